package web

import (
	"net/http"
	"slices"

	"github.com/soulseer/soulseer/internal/shop"
)

// adminShopOrdersPage lists orders, narrowed by state.
type adminShopOrdersPage struct {
	Page
	State  string
	States []string
	Orders []shop.Order
}

// adminShopOrdersShow lists the latest orders of every buyer, newest
// first, narrowed by ?state= (SHOP-7); an unknown state lists them all.
func (s *Server) adminShopOrdersShow(w http.ResponseWriter, r *http.Request) error {
	state := r.URL.Query().Get("state")
	if !slices.Contains(shop.States(), state) {
		state = ""
	}
	orders, err := s.Shop.Orders(r.Context(), shop.OrderFilter{State: state})
	if err != nil {
		return err
	}
	return s.render(w, http.StatusOK, "admin_shop_orders", adminShopOrdersPage{Page: s.page(w, r, "Shop orders"), State: state,
		States: shop.States(), Orders: orders})
}
