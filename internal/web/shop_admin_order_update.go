package web

import (
	"fmt"
	"net/http"

	"github.com/soulseer/soulseer/internal/apperr"
	"github.com/soulseer/soulseer/internal/shop"
)

// adminShopOrderShip ships order id with the carrier and tracking number
// typed (SHOP-7); the buyer is told and sees them on the order's page.
func (s *Server) adminShopOrderShip(w http.ResponseWriter, r *http.Request) error {
	return s.adminShopOrderFormAct(w, r, "Marked as shipped; the buyer is told the tracking number.", func(p *adminShopOrderPage) (shop.Order, error) {
		p.Carrier, p.Track = r.PostFormValue("carrier"), r.PostFormValue("tracking_number")
		return s.Shop.Ship(r.Context(), userOf(r), p.Order.ID, p.Carrier, p.Track)
	})
}

// adminShopOrderDeliver marks shipped order id delivered (SHOP-7).
func (s *Server) adminShopOrderDeliver(w http.ResponseWriter, r *http.Request) error {
	return s.adminShopOrderFormAct(w, r, "Marked as delivered.", func(p *adminShopOrderPage) (shop.Order, error) {
		return s.Shop.Deliver(r.Context(), userOf(r), p.Order.ID)
	})
}

// adminShopOrderRefund gives order id's money back to the buyer's wallet
// and its items back to stock, for the reason typed (SHOP-7).
func (s *Server) adminShopOrderRefund(w http.ResponseWriter, r *http.Request) error {
	return s.adminShopOrderFormAct(w, r, "Refunded to the buyer's wallet; the items are back in stock.", func(p *adminShopOrderPage) (shop.Order, error) {
		p.Reason = r.PostFormValue("reason")
		return s.Shop.Refund(r.Context(), userOf(r), p.Order.ID, p.Reason)
	})
}

// adminShopOrderFormAct runs one admin action on the order the path names
// (audited by the shop) and shows the order saying done; a refusal shows
// the order's page again with the reason beside the form.
func (s *Server) adminShopOrderFormAct(w http.ResponseWriter, r *http.Request, done string, act func(*adminShopOrderPage) (shop.Order, error)) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	if err := parseForm(w, r); err != nil {
		return err
	}
	p, err := s.adminShopOrderData(w, r, id)
	if err != nil {
		return err
	}
	_, err = act(&p)
	switch code := apperr.CodeOf(err); code {
	case "":
		s.setFlash(w, done)
		http.Redirect(w, r, fmt.Sprintf("/admin/shop/orders/%d", id), http.StatusSeeOther)
		return nil
	case apperr.Invalid, apperr.Conflict:
		p.Message = apperr.MessageOf(err)
		if e := apperr.As(err); e != nil {
			p.Errors = e.Fields
		}
		return s.render(w, statusOf(code), "admin_shop_order", p)
	}
	return err
}
