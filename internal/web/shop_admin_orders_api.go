package web

import (
	"net/http"

	"github.com/soulseer/soulseer/internal/shop"
)

// shopShipment is how a physical order was sent.
type shopShipment struct {
	Carrier        string `json:"carrier"`
	TrackingNumber string `json:"tracking_number"`
}

// apiAdminShopOrderShip marks paid physical order {id} shipped with its
// carrier and tracking number (SHOP-7), tells the buyer, audited: 200
// with the order. Sending the same details again changes nothing; an
// order not paid, or digital, is a 409.
func (s *Server) apiAdminShopOrderShip(w http.ResponseWriter, r *http.Request) error {
	return s.apiShopOrderAct(w, r, func(id int64) (shop.Order, error) {
		var req shopShipment
		if err := decodeJSON(w, r, &req); err != nil {
			return shop.Order{}, err
		}
		return s.Shop.Ship(r.Context(), userOf(r), id, req.Carrier, req.TrackingNumber)
	})
}

// apiAdminShopOrderDeliver marks shipped order {id} delivered (SHOP-7),
// tells the buyer, audited: 200 with the order; again changes nothing; an
// order not shipped is a 409.
func (s *Server) apiAdminShopOrderDeliver(w http.ResponseWriter, r *http.Request) error {
	return s.apiShopOrderAct(w, r, func(id int64) (shop.Order, error) {
		return s.Shop.Deliver(r.Context(), userOf(r), id)
	})
}

// shopRefund is why an order is refunded.
type shopRefund struct {
	Reason string `json:"reason"`
}

// apiAdminShopOrderRefund gives paid order {id}'s money back to the
// buyer's wallet and its items back to stock (SHOP-7), tells the buyer,
// audited with the reason: 200 with the order. Refunding again moves no
// money; an order never paid is a 409.
func (s *Server) apiAdminShopOrderRefund(w http.ResponseWriter, r *http.Request) error {
	return s.apiShopOrderAct(w, r, func(id int64) (shop.Order, error) {
		var req shopRefund
		if err := decodeJSON(w, r, &req); err != nil {
			return shop.Order{}, err
		}
		return s.Shop.Refund(r.Context(), userOf(r), id, req.Reason)
	})
}

// apiShopOrderAct runs an admin's action on order {id} and answers the
// order as it is afterwards.
func (s *Server) apiShopOrderAct(w http.ResponseWriter, r *http.Request, act func(id int64) (shop.Order, error)) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	o, err := act(id)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, o)
}
