package web

import (
	"net/http"

	"github.com/soulseer/soulseer/internal/live"
)

// moderatorList is the answer of GET /api/v1/me/moderators.
type moderatorList struct {
	Moderators []live.Moderator `json:"moderators"`
}

// apiModeratorsList answers the moderators the calling reader appointed,
// by name (LIV-8).
func (s *Server) apiModeratorsList(w http.ResponseWriter, r *http.Request) error {
	list, err := s.Live.Moderators(r.Context(), userOf(r).ID)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, moderatorList{Moderators: list})
}
