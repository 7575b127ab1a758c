package web

import (
	"net/http"
	"strconv"

	"github.com/soulseer/soulseer/internal/apperr"
	"github.com/soulseer/soulseer/internal/payment"
	"github.com/soulseer/soulseer/internal/shop"
)

// testCheckoutPage is the data of the built-in test-mode checkout.
type testCheckoutPage struct {
	Page
	TopUp payment.TopUp
	Order *shop.Order // the shop order the payment is for; nil for a top-up
}

// testCheckoutShow renders the test-mode payment page that stands in for
// Stripe Checkout when no Stripe key is configured (WAL-10).
func (s *Server) testCheckoutShow(w http.ResponseWriter, r *http.Request) error {
	if s.Payments.Gateway.Mode() != "test" {
		return apperr.Errorf(apperr.NotFound, "The test checkout is only available in test mode.")
	}
	t, err := s.Payments.TopUpBySession(r.Context(), r.PathValue("session"))
	if err != nil || t.UserID != userOf(r).ID {
		return apperr.Errorf(apperr.NotFound, "No such checkout.")
	}
	if t.Status != payment.TopUpPending {
		http.Redirect(w, r, t.ReturnPath+"?topup="+strconv.FormatInt(t.ID, 10), http.StatusSeeOther)
		return nil
	}
	p := testCheckoutPage{Page: s.page(w, r, "Test checkout"), TopUp: t}
	if o, ok, err := s.Shop.OrderPaidBy(r.Context(), t.ID); err != nil {
		return err
	} else if ok {
		p.Order = &o
	}
	return s.render(w, http.StatusOK, "test_checkout", p)
}

// testCheckoutPay "pays" a test checkout: a signed webhook is delivered
// through the same verification path as Stripe's, and the browser returns to
// the wallet.
func (s *Server) testCheckoutPay(w http.ResponseWriter, r *http.Request) error {
	t, err := s.Payments.PayTestCheckout(r.Context(), userOf(r), r.PathValue("session"))
	if err != nil {
		return err
	}
	http.Redirect(w, r, t.ReturnPath+"?topup="+strconv.FormatInt(t.ID, 10), http.StatusSeeOther)
	return nil
}
