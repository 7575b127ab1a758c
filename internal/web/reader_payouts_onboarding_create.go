package web

import "net/http"

// readerPayoutsOnboardingCreate sends a reader to onboarding (EXT-3): their
// Express account is opened on first use and the browser goes to a fresh
// Stripe onboarding link (in test mode, the built-in test page).
func (s *Server) readerPayoutsOnboardingCreate(w http.ResponseWriter, r *http.Request) error {
	link, err := s.Payouts.Onboard(r.Context(), userOf(r))
	if err != nil {
		return err
	}
	http.Redirect(w, r, link, http.StatusSeeOther)
	return nil
}
