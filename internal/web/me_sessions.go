package web

import (
	"net/http"
	"time"

	"github.com/soulseer/soulseer/internal/account"
)

// sessionResponse is one of the user's login sessions in API responses:
// never its token.
type sessionResponse struct {
	ID         string    `json:"id"`
	IP         string    `json:"ip"`
	UserAgent  string    `json:"user_agent"`
	CreatedAt  time.Time `json:"created_at"`
	LastSeenAt time.Time `json:"last_seen_at"`
	ExpiresAt  time.Time `json:"expires_at"`
	Current    bool      `json:"current"`
}

func sessionJSON(si account.SessionInfo) sessionResponse {
	return sessionResponse{ID: si.ID, IP: si.IP, UserAgent: si.UserAgent, CreatedAt: si.CreatedAt, LastSeenAt: si.LastSeenAt,
		ExpiresAt: si.ExpiresAt, Current: si.Current}
}

// apiSessionsList lists the signed-in user's live login sessions, most
// recently used first; the one the request comes from is marked current
// (ACC-9).
func (s *Server) apiSessionsList(w http.ResponseWriter, r *http.Request) error {
	list, err := s.Accounts.Sessions(r.Context(), userOf(r).ID, currentSession(r))
	if err != nil {
		return err
	}
	out := make([]sessionResponse, 0, len(list))
	for _, si := range list {
		out = append(out, sessionJSON(si))
	}
	return writeJSON(w, http.StatusOK, map[string]any{"sessions": out})
}

// apiSessionDelete logs out one of the user's sessions; another user's
// session is not found (ACC-9).
func (s *Server) apiSessionDelete(w http.ResponseWriter, r *http.Request) error {
	if err := s.Accounts.EndSessionByID(r.Context(), userOf(r).ID, r.PathValue("id")); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}
