package web

import "net/http"

// apiMeShow returns the signed-in user.
func (s *Server) apiMeShow(w http.ResponseWriter, r *http.Request) error {
	return writeJSON(w, http.StatusOK, s.userJSON(r, userOf(r)))
}
