package web

import (
	"fmt"
	"net/http"

	"github.com/soulseer/soulseer/internal/shop"
)

// adminShopOrderPage is one order with what an admin may do next.
type adminShopOrderPage struct {
	Page
	Order   shop.Order
	Steps   []orderStep
	Lines   []orderLine
	Carrier string            // the ship form, as typed
	Track   string            // the ship form's tracking number, as typed
	Reason  string            // the refund form, as typed
	Message string            // why the last action was refused
	Errors  map[string]string // the refused fields
}

// CanShip reports whether the order is physical and paid, or shipped
// (whose tracking may be corrected).
func (p adminShopOrderPage) CanShip() bool {
	return p.Order.Physical && (p.Order.State == shop.Paid || p.Order.State == shop.Shipped)
}

// CanDeliver reports whether the order is on its way.
func (p adminShopOrderPage) CanDeliver() bool { return p.Order.State == shop.Shipped }

// CanRefund reports whether the order's money may be given back.
func (p adminShopOrderPage) CanRefund() bool { return p.Order.Downloadable() }

// adminShopOrderShow shows any order to an admin (SHOP-7) with the forms
// that ship it (carrier and tracking number), mark it delivered or refund
// it with a reason.
func (s *Server) adminShopOrderShow(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	p, err := s.adminShopOrderData(w, r, id)
	if err != nil {
		return err
	}
	return s.render(w, http.StatusOK, "admin_shop_order", p)
}

// adminShopOrderData is order id's admin page as it stands.
func (s *Server) adminShopOrderData(w http.ResponseWriter, r *http.Request, id int64) (adminShopOrderPage, error) {
	o, err := s.Shop.Order(r.Context(), userOf(r), id)
	if err != nil {
		return adminShopOrderPage{}, err
	}
	return adminShopOrderPage{Page: s.page(w, r, fmt.Sprintf("Order #%d", o.ID)), Order: o, Steps: orderSteps(o), Lines: orderLines(o),
		Carrier: o.Carrier, Track: o.TrackingNumber}, nil
}
