package web

import "net/http"

// onboardingLink is where a reader continues payout onboarding.
type onboardingLink struct {
	URL string `json:"url"`
}

// apiPayoutOnboardingCreate opens the reader's Express account on first use
// and answers a fresh onboarding link (EXT-3): Stripe's, or the built-in
// test page in test mode.
func (s *Server) apiPayoutOnboardingCreate(w http.ResponseWriter, r *http.Request) error {
	link, err := s.Payouts.Onboard(r.Context(), userOf(r))
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, onboardingLink{URL: link})
}
