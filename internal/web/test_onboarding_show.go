package web

import (
	"net/http"

	"github.com/soulseer/soulseer/internal/apperr"
)

// testOnboardingShow renders the test-mode page that stands in for
// Stripe's Connect onboarding when no Stripe key is configured (EXT-3),
// clearly labelled: no bank account is connected and no money leaves.
func (s *Server) testOnboardingShow(w http.ResponseWriter, r *http.Request) error {
	if s.Payouts.Gateway.Mode() != "test" {
		return apperr.Errorf(apperr.NotFound, "The test onboarding is only available in test mode.")
	}
	return s.render(w, http.StatusOK, "test_onboarding", s.page(w, r, "Test payout onboarding"))
}
