package web

import (
	"net/http"
	"time"

	"github.com/soulseer/soulseer/internal/account"
)

// apiTokenRequest is the body of POST /api/v1/auth/tokens.
type apiTokenRequest struct {
	Name          string `json:"name"`
	ExpiresInDays *int   `json:"expires_in_days"`
}

// tokenResponse is an API token in API responses; Token, the secret, is
// only in the response that created it.
type tokenResponse struct {
	ID        string    `json:"id"`
	Name      string    `json:"name"`
	Token     string    `json:"token,omitempty"`
	CreatedAt time.Time `json:"created_at"`
	ExpiresAt time.Time `json:"expires_at"`
}

func tokenJSON(t account.APIToken) tokenResponse {
	return tokenResponse{ID: t.ID, Name: t.Name, CreatedAt: t.CreatedAt, ExpiresAt: t.ExpiresAt}
}

// apiTokenCreate issues a bearer API token for the signed-in user, working
// for 90 days or the 1 to 365 days asked for (ACC-10); the token is shown
// only in this response.
func (s *Server) apiTokenCreate(w http.ResponseWriter, r *http.Request) error {
	var req apiTokenRequest
	if err := decodeJSON(w, r, &req); err != nil {
		return err
	}
	tok, err := s.Accounts.CreateAPIToken(r.Context(), userOf(r).ID, account.TokenInput{Name: req.Name, ExpiresInDays: req.ExpiresInDays})
	if err != nil {
		return err
	}
	out := tokenJSON(tok.APIToken)
	out.Token = tok.Secret
	return writeJSON(w, http.StatusCreated, out)
}
