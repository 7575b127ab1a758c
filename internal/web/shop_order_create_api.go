package web

import (
	"net/http"

	"github.com/soulseer/soulseer/internal/shop"
)

// apiShopOrderCreate places the signed-in user's order (SHOP-3, SHOP-4,
// SHOP-5): its items, a coupon code, how to pay (wallet or card) and, for
// physical products, the shipping address. Paid from the wallet it is
// paid at once (a digital order is delivered at once too); paid by card
// it waits, holding its stock, until the checkout_url it answers is paid.
// 201 with the order. The Idempotency-Key header names the request: the
// same key answers the order it placed (200) and charges nothing again.
// A product sold out is a 409, a short wallet a 402 saying what to add,
// bad fields a 400 naming them (shipping_address.city, coupon_code, …).
func (s *Server) apiShopOrderCreate(w http.ResponseWriter, r *http.Request) error {
	var req shop.OrderRequest
	if err := decodeJSON(w, r, &req); err != nil {
		return err
	}
	req.Key = r.Header.Get(idempotencyHeader)
	o, replayed, err := s.Shop.PlaceOrder(r.Context(), userOf(r), req)
	keyAsHeader(err, "key")
	if err != nil {
		return err
	}
	status := http.StatusCreated
	if replayed {
		status = http.StatusOK
	}
	return writeJSON(w, status, o)
}
