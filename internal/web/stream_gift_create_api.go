package web

import (
	"net/http"

	"github.com/soulseer/soulseer/internal/live"
)

// sendGiftRequest is the body of POST /api/v1/streams/{id}/gifts.
type sendGiftRequest struct {
	GiftID         int64  `json:"gift_id"`
	Quantity       int    `json:"quantity"`
	IdempotencyKey string `json:"idempotency_key"`
}

// apiStreamGiftCreate sends a gift to a live stream the caller may watch
// (LIV-5, LIV-6, LIV-9): 201 with the gift and its split (what the reader
// receives, what the platform keeps); the same idempotency key again
// answers that gift with 200 and charges nothing, and a key used for
// another gift is a 409. A short wallet is a 402 naming balance, price
// and shortfall; a premium stream without a ticket a 402; a private
// stream the caller was not invited to, or their own stream, a 403; a
// gift no longer offered a 422.
func (s *Server) apiStreamGiftCreate(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	var req sendGiftRequest
	if err := decodeJSON(w, r, &req); err != nil {
		return err
	}
	g, replayed, err := s.Live.SendGift(r.Context(), userOf(r), id, live.SendInput{GiftID: req.GiftID, Quantity: req.Quantity,
		IdempotencyKey: req.IdempotencyKey})
	if err != nil {
		return err
	}
	return writeJSON(w, createdOr(replayed), g)
}
