package web

import "net/http"

// apiTokensList lists the signed-in user's working API tokens, without
// their secrets (ACC-10).
func (s *Server) apiTokensList(w http.ResponseWriter, r *http.Request) error {
	list, err := s.Accounts.APITokens(r.Context(), userOf(r).ID)
	if err != nil {
		return err
	}
	out := make([]tokenResponse, 0, len(list))
	for _, t := range list {
		out = append(out, tokenJSON(t))
	}
	return writeJSON(w, http.StatusOK, map[string]any{"tokens": out})
}
