package web

import (
	"net/http"

	"github.com/soulseer/soulseer/internal/shop"
)

// apiAdminShopProductUpdate changes the fields sent of product {id}
// (SHOP-2, SHOP-3), audited: 200 with the product. active false archives
// it. A product mirrored from Stripe is changed there: here only its
// category (409 otherwise).
func (s *Server) apiAdminShopProductUpdate(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	var in shop.ProductInput
	if err := decodeJSON(w, r, &in); err != nil {
		return err
	}
	p, err := s.Shop.UpdateProduct(r.Context(), userOf(r), id, in)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, p)
}
