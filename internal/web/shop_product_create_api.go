package web

import (
	"net/http"

	"github.com/soulseer/soulseer/internal/shop"
)

// apiAdminShopProductCreate adds a product to the catalog kept here
// (SHOP-2, SHOP-3), audited: 201 with the product. stock counts what is
// left; unlimited sells without counting. Bad fields are a 400 naming
// them.
func (s *Server) apiAdminShopProductCreate(w http.ResponseWriter, r *http.Request) error {
	var in shop.ProductInput
	if err := decodeJSON(w, r, &in); err != nil {
		return err
	}
	p, err := s.Shop.CreateProduct(r.Context(), userOf(r), in)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusCreated, p)
}
