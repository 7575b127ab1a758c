package web

import (
	"net/http"
	"strconv"

	"github.com/soulseer/soulseer/internal/apperr"
	"github.com/soulseer/soulseer/internal/forum"
)

// forumThreadList is a page of a category's threads.
type forumThreadList struct {
	Category forum.Category `json:"category"`
	Threads  []forum.Thread `json:"threads"`
	Page     int            `json:"page"`
	More     bool           `json:"more"` // a next page exists
}

// pageParam reads the page query parameter: 1 when absent, else a whole
// number from 1.
func pageParam(r *http.Request) (int, error) {
	v := r.URL.Query().Get("page")
	if v == "" {
		return 1, nil
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 1 {
		return 0, apperr.Validation(map[string]string{"page": "Use a page number from 1."})
	}
	return n, nil
}

// sortParam reads the sort query parameter, active when absent.
func sortParam(r *http.Request) forum.Sort {
	if v := r.URL.Query().Get("sort"); v != "" {
		return forum.Sort(v)
	}
	return forum.Active
}

// apiForumThreadsList answers a page of a category's threads, pinned ones
// first, by activity, newest or top (COM-2).
func (s *Server) apiForumThreadsList(w http.ResponseWriter, r *http.Request) error {
	page, err := pageParam(r)
	if err != nil {
		return err
	}
	c, threads, more, err := s.Forum.Threads(r.Context(), r.PathValue("slug"), sortParam(r), page)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, forumThreadList{Category: c, Threads: threads, Page: page, More: more})
}
