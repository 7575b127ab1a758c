package web

import (
	"fmt"
	"net/http"
)

// shopCartPage is the cart: its lines at today's prices, the coupon and
// the subtotal.
type shopCartPage struct {
	Page
	Cart    pricedCart
	Message string            // why the last change was refused
	Errors  map[string]string // the refused fields
}

// shopCartShow shows the browser's cart (SHOP-5), every price read from
// the catalog; products no longer sold leave the cart, saying so.
func (s *Server) shopCartShow(w http.ResponseWriter, r *http.Request) error {
	priced, kept, err := s.priceCart(r.Context(), readCart(r))
	if err != nil {
		return err
	}
	p := shopCartPage{Page: s.page(w, r, "Your cart"), Cart: priced}
	if priced.Gone > 0 {
		s.writeCart(w, kept)
		p.Message = fmt.Sprintf("%s no longer sold left your cart.", countOf(priced.Gone, "product", "products"))
	}
	return s.render(w, http.StatusOK, "shop_cart", p)
}
