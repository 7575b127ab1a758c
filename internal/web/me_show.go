package web

import "net/http"

// apiMeShow returns the signed-in user.
func (s *Server) apiMeShow(w http.ResponseWriter, r *http.Request) error {
	return writeJSON(w, http.StatusOK, s.userJSON(r, userOf(r)))
}

// apiTokenRequest is the body of POST /api/v1/auth/tokens.
type apiTokenRequest struct {
	Name string `json:"name"`
}

// apiTokenCreate issues a bearer API token for the signed-in user; the token
// is shown only in this response.
func (s *Server) apiTokenCreate(w http.ResponseWriter, r *http.Request) error {
	var req apiTokenRequest
	if err := decodeJSON(w, r, &req); err != nil {
		return err
	}
	tok, err := s.Accounts.CreateAPIToken(r.Context(), userOf(r).ID, req.Name)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusCreated, map[string]string{"token": tok, "name": req.Name})
}
