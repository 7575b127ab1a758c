package web

import (
	"net/http"

	"github.com/soulseer/soulseer/internal/forum"
)

// forumPage is the data of the forum's index.
type forumPage struct {
	Page
	Categories []forum.Category
}

// forumShow is the forum's index (COM-1): the open categories in the
// admins' order with their thread counts and last activity, and a search
// box. Anyone may read.
func (s *Server) forumShow(w http.ResponseWriter, r *http.Request) error {
	list, err := s.Forum.Categories(r.Context(), false)
	if err != nil {
		return err
	}
	return s.render(w, http.StatusOK, "forum", forumPage{Page: s.page(w, r, "Forum"), Categories: list})
}
