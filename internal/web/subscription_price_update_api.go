package web

import (
	"net/http"
)

// subscriptionPriceRequest is the body of PUT /api/v1/me/subscription-price.
type subscriptionPriceRequest struct {
	PriceCents int64 `json:"price_cents"`
}

// apiSubscriptionPriceUpdate sets the calling reader's monthly
// subscription price (LIV-3); 0 offers none. Running subscriptions keep
// their price. 400 naming price_cents when out of range.
func (s *Server) apiSubscriptionPriceUpdate(w http.ResponseWriter, r *http.Request) error {
	var req subscriptionPriceRequest
	if err := decodeJSON(w, r, &req); err != nil {
		return err
	}
	if err := s.Live.SetSubscriptionPrice(r.Context(), userOf(r), req.PriceCents); err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, req)
}
