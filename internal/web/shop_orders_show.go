package web

import (
	"net/http"

	"github.com/soulseer/soulseer/internal/shop"
)

// shopOrdersPage is the list of the viewer's own orders.
type shopOrdersPage struct {
	Page
	Orders []shop.Order
}

// shopOrdersShow lists the viewer's orders, newest first (SHOP-7).
func (s *Server) shopOrdersShow(w http.ResponseWriter, r *http.Request) error {
	orders, err := s.Shop.Orders(r.Context(), shop.OrderFilter{UserID: userOf(r).ID})
	if err != nil {
		return err
	}
	return s.render(w, http.StatusOK, "shop_orders", shopOrdersPage{Page: s.page(w, r, "Your orders"), Orders: orders})
}
