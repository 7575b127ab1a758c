package web

import (
	"net/http"

	"github.com/soulseer/soulseer/internal/live"
)

// streamRequest is the body of POST /api/v1/streams.
type streamRequest struct {
	Title            string  `json:"title"`
	Visibility       string  `json:"visibility"`
	TicketPriceCents int64   `json:"ticket_price_cents"`
	InvitedUserIDs   []int64 `json:"invited_user_ids"`
}

// apiStreamCreate puts the signed-in reader live (LIV-1, LIV-2): 201 with
// the stream. Only a verified reader may (403); a reader already live gets
// a 409; a bad title, visibility, ticket price or invitation list a 400
// naming the fields.
func (s *Server) apiStreamCreate(w http.ResponseWriter, r *http.Request) error {
	var req streamRequest
	if err := decodeJSON(w, r, &req); err != nil {
		return err
	}
	st, err := s.Live.Start(r.Context(), userOf(r), live.StartInput{Title: req.Title, Visibility: req.Visibility,
		TicketPriceCents: req.TicketPriceCents, InvitedUserIDs: req.InvitedUserIDs})
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusCreated, st)
}
