package web

import (
	"fmt"
	"net/http"

	"github.com/soulseer/soulseer/internal/apperr"
	"github.com/soulseer/soulseer/internal/ledger"
	"github.com/soulseer/soulseer/internal/shop"
)

// shopCheckoutCreate places the order of the browser's cart (SHOP-3,
// SHOP-4, SHOP-5) under the form's request key, so a double submit places
// one order. Paid from the wallet it shows the order; by card it sends the
// browser to the order's checkout page, whose payment pays the order and
// returns to it. A refusal (sold out, a short wallet and by how much, a
// coupon that does not apply, the address) shows the form again saying
// why, with nothing charged; the cart is emptied only once the order is
// placed.
func (s *Server) shopCheckoutCreate(w http.ResponseWriter, r *http.Request) error {
	if err := parseForm(w, r); err != nil {
		return err
	}
	c := readCart(r)
	req := shop.OrderRequest{Items: c.Lines, CouponCode: r.PostFormValue("coupon_code"), PayWith: r.PostFormValue("pay_with"),
		Key: r.PostFormValue("request_key")}
	addr := shop.Address{Name: r.PostFormValue("shipping_address.name"), Line1: r.PostFormValue("shipping_address.line1"),
		Line2: r.PostFormValue("shipping_address.line2"), City: r.PostFormValue("shipping_address.city"),
		Region: r.PostFormValue("shipping_address.region"), PostalCode: r.PostFormValue("shipping_address.postal_code"),
		Country: r.PostFormValue("shipping_address.country")}
	if addr != (shop.Address{}) {
		req.Shipping = &addr
	}
	o, replayed, err := s.Shop.PlaceOrder(r.Context(), userOf(r), req)
	if err != nil {
		code := apperr.CodeOf(err)
		switch code {
		case apperr.Invalid, apperr.Conflict, apperr.InsufficientFunds, apperr.Unprocessable, apperr.Unavailable:
		default:
			return err
		}
		priced, _, perr := s.priceCart(r.Context(), c)
		if perr != nil {
			return perr
		}
		p := shopCheckoutPage{Page: s.page(w, r, "Checkout"), Cart: priced, CouponCode: req.CouponCode, PayWith: req.PayWith,
			Shipping: addr, Key: req.Key, Message: apperr.MessageOf(err), Short: code == apperr.InsufficientFunds}
		if e := apperr.As(err); e != nil {
			p.Errors = e.Fields
		}
		return s.render(w, statusOf(code), "shop_checkout", p)
	}
	s.writeCart(w, cart{})
	if o.State == shop.Pending && o.CheckoutURL != "" {
		http.Redirect(w, r, o.CheckoutURL, http.StatusSeeOther)
		return nil
	}
	if !replayed {
		msg := fmt.Sprintf("Thank you! Order #%d is paid: %s was taken from your wallet.", o.ID, ledger.FormatCents(o.TotalCents))
		if o.Physical {
			msg += " We will tell you when it ships."
		} else {
			msg += " Your downloads are ready below."
		}
		s.setFlash(w, msg)
	}
	http.Redirect(w, r, fmt.Sprintf("/shop/orders/%d", o.ID), http.StatusSeeOther)
	return nil
}
