package web

import (
	"net/http"

	"github.com/soulseer/soulseer/internal/forum"
)

// forumRevisionList is a post's earlier texts.
type forumRevisionList struct {
	Revisions []forum.Revision `json:"revisions"`
}

// apiAdminForumRevisionsList answers what a post said before each edit,
// oldest first, for admins (COM-2).
func (s *Server) apiAdminForumRevisionsList(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	if _, _, err := s.Forum.Post(r.Context(), id); err != nil {
		return err
	}
	list, err := s.Forum.Revisions(r.Context(), userOf(r), id)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, forumRevisionList{Revisions: list})
}
