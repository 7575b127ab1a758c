package web

import (
	"net/http"

	"github.com/soulseer/soulseer/internal/payout"
)

// readerPayoutsOnboardingRefresh is Stripe's refresh_url: an onboarding
// link expired or was used, so a fresh one is made and the reader sent on
// (EXT-3). A reader who has not started onboarding goes to the payout
// settings instead, so a link from elsewhere opens no account.
func (s *Server) readerPayoutsOnboardingRefresh(w http.ResponseWriter, r *http.Request) error {
	u := userOf(r)
	_, ok, err := s.Payouts.ConnectedAccount(r.Context(), u.ID)
	if err != nil {
		return err
	}
	target := payout.PayoutsPath
	if ok {
		if target, err = s.Payouts.Onboard(r.Context(), u); err != nil {
			return err
		}
	}
	http.Redirect(w, r, target, http.StatusSeeOther)
	return nil
}
