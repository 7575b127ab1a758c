package web

import (
	"net/http"

	"github.com/soulseer/soulseer/internal/forum"
)

// forumThreadChange is what an admin changes about a thread; an absent
// field stays as it is.
type forumThreadChange struct {
	Pinned       *bool   `json:"pinned"`
	Locked       *bool   `json:"locked"`
	CategorySlug *string `json:"category_slug"`
}

// apiAdminForumThreadUpdate pins, locks or moves a thread (COM-2),
// audited with what it was before (SEC-4): 200 with the thread.
func (s *Server) apiAdminForumThreadUpdate(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	var req forumThreadChange
	if err := decodeJSON(w, r, &req); err != nil {
		return err
	}
	t, err := s.Forum.ChangeThread(r.Context(), userOf(r), id, forum.ThreadChange{Pinned: req.Pinned, Locked: req.Locked, CategorySlug: req.CategorySlug})
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, t)
}
