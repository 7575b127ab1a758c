package web

import (
	"net/http"

	"github.com/soulseer/soulseer/internal/message"
)

// apiMessageSendRequest is the body of POST /api/v1/messages.
type apiMessageSendRequest struct {
	ToUserID int64  `json:"to_user_id"`
	Body     string `json:"body"`
	Paid     bool   `json:"paid"`
}

// apiMessageCreate sends a message to the other side of a client–reader
// pair (MSG-1, MSG-3) and answers 201 with it, sealed: a paid reply comes
// back without its text, as the client will first see it.
func (s *Server) apiMessageCreate(w http.ResponseWriter, r *http.Request) error {
	var req apiMessageSendRequest
	if err := decodeJSON(w, r, &req); err != nil {
		return err
	}
	m, err := s.Messages.Send(r.Context(), userOf(r), message.SendInput{To: req.ToUserID, Body: req.Body, Paid: req.Paid})
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusCreated, m)
}
