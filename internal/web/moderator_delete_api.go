package web

import (
	"net/http"
)

// apiModeratorDelete dismisses the user {user_id} as a moderator of the
// calling reader's streams (LIV-8); dismissing someone who is not one
// changes nothing.
func (s *Server) apiModeratorDelete(w http.ResponseWriter, r *http.Request) error {
	id, err := blockedUserID(r)
	if err != nil {
		return err
	}
	if err := s.Live.DismissModerator(r.Context(), userOf(r), id); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}
