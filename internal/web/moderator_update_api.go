package web

import (
	"net/http"
)

// apiModeratorUpdate appoints the user {user_id} a moderator of every
// stream of the calling reader (LIV-8); appointing again changes nothing.
// 404 for no such user, 409 for oneself.
func (s *Server) apiModeratorUpdate(w http.ResponseWriter, r *http.Request) error {
	id, err := blockedUserID(r)
	if err != nil {
		return err
	}
	m, err := s.Live.AppointModerator(r.Context(), userOf(r), id)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, m)
}
