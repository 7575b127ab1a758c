package web

import (
	"net/http"

	"github.com/soulseer/soulseer/internal/forum"
)

// forumThreadResponse is a thread with a page of its posts.
type forumThreadResponse struct {
	forum.Thread
	Posts []forum.Post `json:"posts"`
	Page  int          `json:"page"`
	More  bool         `json:"more"` // a next page exists
}

// apiForumThreadShow answers a thread with a page of its posts, oldest
// first, each with its author (and reader badge), sanitised HTML and
// edited mark; a deleted post keeps its place without its text (COM-2).
func (s *Server) apiForumThreadShow(w http.ResponseWriter, r *http.Request) error {
	id, page, err := idAndPage(r)
	if err != nil {
		return err
	}
	t, posts, more, err := s.Forum.Thread(r.Context(), id, page)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, forumThreadResponse{Thread: t, Posts: posts, Page: page, More: more})
}

// idAndPage reads the {id} path parameter and the page query parameter.
func idAndPage(r *http.Request) (int64, int, error) {
	id, err := pathID(r)
	if err != nil {
		return 0, 0, err
	}
	page, err := pageParam(r)
	return id, page, err
}
