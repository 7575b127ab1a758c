package web

import (
	"net/http"
	"slices"
	"strings"

	"github.com/soulseer/soulseer/internal/apperr"
	"github.com/soulseer/soulseer/internal/shop"
)

// shopOrderList is a list of orders, newest first.
type shopOrderList struct {
	Orders []shop.Order `json:"orders"`
}

// apiShopOrdersList answers the signed-in user's orders, newest first,
// at most 100 (SHOP-7).
func (s *Server) apiShopOrdersList(w http.ResponseWriter, r *http.Request) error {
	list, err := s.Shop.Orders(r.Context(), shop.OrderFilter{UserID: userOf(r).ID})
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, shopOrderList{Orders: list})
}

// apiAdminShopOrdersList answers every buyer's orders to admins, newest
// first, at most 100, narrowed by state (SHOP-7); an unknown state is a
// 400.
func (s *Server) apiAdminShopOrdersList(w http.ResponseWriter, r *http.Request) error {
	f := shop.OrderFilter{State: r.URL.Query().Get("state")}
	if f.State != "" && !slices.Contains(shop.States(), f.State) {
		return apperr.Validation(map[string]string{"state": "Use one of " + strings.Join(shop.States(), ", ") + "."})
	}
	list, err := s.Shop.Orders(r.Context(), f)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, shopOrderList{Orders: list})
}
