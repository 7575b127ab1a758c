package web

import (
	"fmt"
	"net/http"

	"github.com/soulseer/soulseer/internal/forum"
)

// forumPostShow sends a link to a post on to the page of its thread where
// it is shown (COM-2): search results and replies land on it.
func (s *Server) forumPostShow(w http.ResponseWriter, r *http.Request) error {
	_, at, err := s.forumPostAt(r)
	if err != nil {
		return err
	}
	http.Redirect(w, r, at, http.StatusSeeOther)
	return nil
}

// forumPostAt is the post the {id} path parameter names and its address
// on its thread's page.
func (s *Server) forumPostAt(r *http.Request) (forum.Post, string, error) {
	id, err := pathID(r)
	if err != nil {
		return forum.Post{}, "", err
	}
	p, page, err := s.Forum.Post(r.Context(), id)
	if err != nil {
		return forum.Post{}, "", err
	}
	if page == 1 {
		return p, fmt.Sprintf("/forum/t/%d#post-%d", p.ThreadID, id), nil
	}
	return p, fmt.Sprintf("/forum/t/%d?page=%d#post-%d", p.ThreadID, page, id), nil
}
