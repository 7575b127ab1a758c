package web

import (
	"net/http"

	"github.com/soulseer/soulseer/internal/flag"
)

// flagRequest is a flag as the API takes it.
type flagRequest struct {
	TargetType string `json:"target_type"`
	TargetID   int64  `json:"target_id"`
	Reason     string `json:"reason"`
	Note       string `json:"note"`
}

// apiFlagCreate flags an item for the signed-in user (COM-4): 201 with the
// pending flag (COM-5); a second flag of the same item is a 409, one's own
// item a 400, more than the rate limit a 429 with Retry-After (SEC-3).
func (s *Server) apiFlagCreate(w http.ResponseWriter, r *http.Request) error {
	var req flagRequest
	if err := decodeJSON(w, r, &req); err != nil {
		return err
	}
	f, err := s.Flags.Raise(r.Context(), userOf(r), flag.RaiseInput{TargetType: req.TargetType, TargetID: req.TargetID, Reason: req.Reason, Note: req.Note})
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusCreated, f)
}
