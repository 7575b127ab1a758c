package web

import (
	"net/http"

	"github.com/soulseer/soulseer/internal/live"
)

// giftRequest is a gift of the catalog as an admin writes it.
type giftRequest struct {
	Name       string `json:"name"`
	PriceCents int64  `json:"price_cents"`
	Animation  string `json:"animation"`
	Active     *bool  `json:"active"`
	SortOrder  int    `json:"sort_order"`
}

func (g giftRequest) input() live.GiftInput {
	return live.GiftInput{Name: g.Name, PriceCents: g.PriceCents, Animation: g.Animation, Active: g.Active, SortOrder: g.SortOrder}
}

// apiAdminGiftCreate adds a gift to the catalog (LIV-4), audited (SEC-4):
// 201 with the gift; bad fields are a 400 naming them.
func (s *Server) apiAdminGiftCreate(w http.ResponseWriter, r *http.Request) error {
	var req giftRequest
	if err := decodeJSON(w, r, &req); err != nil {
		return err
	}
	g, err := s.Live.CreateGift(r.Context(), userOf(r), req.input())
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusCreated, g)
}
