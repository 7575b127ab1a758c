package web

import (
	"fmt"
	"net/http"
)

// accountSessionDelete logs out one of the user's sessions from the account
// page; another user's session is not found (ACC-9).
func (s *Server) accountSessionDelete(w http.ResponseWriter, r *http.Request) error {
	if err := s.Accounts.EndSessionByID(r.Context(), userOf(r).ID, r.PathValue("id")); err != nil {
		return err
	}
	s.setFlash(w, "That session is logged out.")
	http.Redirect(w, r, "/account", http.StatusSeeOther)
	return nil
}

// accountSessionsEnd logs the user out everywhere but this browser (ACC-9).
func (s *Server) accountSessionsEnd(w http.ResponseWriter, r *http.Request) error {
	n, err := s.Accounts.EndOtherSessions(r.Context(), userOf(r).ID, currentSession(r))
	if err != nil {
		return err
	}
	switch n {
	case 0:
		s.setFlash(w, "No other session was signed in.")
	case 1:
		s.setFlash(w, "You are logged out of 1 other session.")
	default:
		s.setFlash(w, fmt.Sprintf("You are logged out of %d other sessions.", n))
	}
	http.Redirect(w, r, "/account", http.StatusSeeOther)
	return nil
}
