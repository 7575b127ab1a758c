package web

import (
	"net/http"

	"github.com/soulseer/soulseer/internal/shop"
)

// adminShopProductNew shows the form that adds a product kept here
// (SHOP-2): digital by default, on sale, with a stock count.
func (s *Server) adminShopProductNew(w http.ResponseWriter, r *http.Request) error {
	p := adminShopProductPage{Page: s.page(w, r, "New product"), Form: productForm{Kind: shop.Digital, Stock: "0", Unlimited: true, Active: true}}
	return s.render(w, http.StatusOK, "admin_shop_product", p)
}

// adminShopProductCreate adds the product the form describes and opens
// its page, where its file and picture are uploaded.
func (s *Server) adminShopProductCreate(w http.ResponseWriter, r *http.Request) error {
	if err := parseForm(w, r); err != nil {
		return err
	}
	return s.saveProduct(w, r, 0)
}
