package web

import (
	"net/http"
)

// apiSubscriptionUpdate subscribes the caller to reader {id} for a month
// from their wallet (LIV-3): 201 with the subscription; 200 and nothing
// charged when already subscribed (a cancellation is taken back). 402 for
// a short wallet, naming what to add; 409 when the reader offers none or
// it is oneself; 403 in a block with the reader.
func (s *Server) apiSubscriptionUpdate(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	sub, replayed, err := s.Live.Subscribe(r.Context(), userOf(r), id)
	if err != nil {
		return err
	}
	return writeJSON(w, createdOr(replayed), sub)
}
