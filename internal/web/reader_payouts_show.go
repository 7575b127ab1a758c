package web

import (
	"net/http"

	"github.com/soulseer/soulseer/internal/payout"
)

// readerPayoutsPage is the data of /reader/payouts.
type readerPayoutsPage struct {
	Page
	payout.Summary
	TestOnboarding bool // onboarding is the built-in test page, not Stripe's
}

// readerPayoutsShow renders a reader's payout settings (EXT-3, DASH-R):
// where onboarding stands and what Stripe still needs, what is available,
// the minimum, the next payout date and past payouts. Back from Stripe's
// onboarding (?onboarded=1) the account is read from Stripe at once rather
// than waiting for its webhook.
func (s *Server) readerPayoutsShow(w http.ResponseWriter, r *http.Request) error {
	ctx, u := r.Context(), userOf(r)
	if r.URL.Query().Get("onboarded") != "" {
		if _, err := s.Payouts.SyncAccount(ctx, u.ID); err != nil {
			return err
		}
	}
	sum, err := s.Payouts.Summary(ctx, u.ID)
	if err != nil {
		return err
	}
	return s.render(w, http.StatusOK, "reader_payouts", readerPayoutsPage{Page: s.page(w, r, "Payouts"), Summary: sum,
		TestOnboarding: s.Payouts.Gateway.Mode() == "test"})
}
