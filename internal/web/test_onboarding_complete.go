package web

import (
	"net/http"

	"github.com/soulseer/soulseer/internal/payout"
)

// testOnboardingComplete finishes the test-mode onboarding (EXT-3): the
// reader's test account (opened now if need be) takes payouts, and the
// browser returns to the payout settings.
func (s *Server) testOnboardingComplete(w http.ResponseWriter, r *http.Request) error {
	ctx, u := r.Context(), userOf(r)
	if _, err := s.Payouts.Onboard(ctx, u); err != nil {
		return err
	}
	if err := s.Payouts.CompleteTestOnboarding(ctx, u.ID); err != nil {
		return err
	}
	s.setFlash(w, "Test onboarding complete: your earnings will be paid out to the test account.")
	http.Redirect(w, r, payout.PayoutsPath, http.StatusSeeOther)
	return nil
}
