package web

import (
	"net/http"
)

// apiMessageUnlock pays for a paid reply and answers with its text and the
// ledger transfer that paid for it (MSG-4, MSG-6); asking again answers the
// same and pays nothing. A short wallet is a 402 problem saying how much is
// missing.
func (s *Server) apiMessageUnlock(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	m, err := s.Messages.Unlock(r.Context(), userOf(r), id)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, m)
}
