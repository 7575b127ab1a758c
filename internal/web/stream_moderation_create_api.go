package web

import (
	"net/http"

	"github.com/soulseer/soulseer/internal/live"
)

// apiStreamModerationCreate carries out a moderation action on a stream
// (LIV-8): hide a message, mute a viewer for some minutes, unmute, ban or
// unban. 204 when done; 403 for anyone but the reader, their moderators
// and admins (whose actions are audited); 422 naming the missing or wrong
// field; 409 for muting or banning the reader, an admin or oneself.
func (s *Server) apiStreamModerationCreate(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	var req live.ModerationInput
	if err := decodeJSON(w, r, &req); err != nil {
		return err
	}
	if err := s.Live.Moderate(r.Context(), userOf(r), id, req); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}
