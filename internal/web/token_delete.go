package web

import "net/http"

// tokenDelete revokes one of the signed-in user's API tokens from the
// dashboard (ACC-10); another user's token is not found.
func (s *Server) tokenDelete(w http.ResponseWriter, r *http.Request) error {
	if err := s.Accounts.RevokeAPIToken(r.Context(), userOf(r).ID, r.PathValue("id")); err != nil {
		return err
	}
	s.setFlash(w, "The API token was revoked. Scripts using it can no longer sign in.")
	http.Redirect(w, r, "/dashboard#api-tokens", http.StatusSeeOther)
	return nil
}

// apiTokenDelete revokes one of the signed-in user's API tokens and answers
// 204 (ACC-10); another user's token is not found (404).
func (s *Server) apiTokenDelete(w http.ResponseWriter, r *http.Request) error {
	if err := s.Accounts.RevokeAPIToken(r.Context(), userOf(r).ID, r.PathValue("id")); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}
