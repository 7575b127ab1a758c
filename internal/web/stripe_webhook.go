package web

import (
	"io"
	"net/http"

	"github.com/soulseer/soulseer/internal/apperr"
)

// maxWebhookBody bounds a Stripe event delivery.
const maxWebhookBody = 1 << 20

// stripeWebhookCreate receives Stripe events (WAL-5). A bad signature is
// answered 400; everything else 200 — including duplicates and events that
// match nothing, which are recorded but change nothing.
func (s *Server) stripeWebhookCreate(w http.ResponseWriter, r *http.Request) error {
	payload, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxWebhookBody))
	if err != nil {
		return apperr.Errorf(apperr.TooLarge, "The event is larger than 1 MiB.")
	}
	res, err := s.Payments.HandleWebhook(r.Context(), payload, r.Header.Get("Stripe-Signature"))
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, map[string]any{"received": true, "duplicate": res.Duplicate, "outcome": res.Outcome})
}
