package web

import (
	"fmt"
	"net/http"
)

// adminPayoutRetry pays a failed payout's amount out again as a new payout
// (EXT-3, SEC-4: audited as a retry); a refusal is shown on the page.
func (s *Server) adminPayoutRetry(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	p, err := s.Payouts.Retry(r.Context(), userOf(r).ID, id)
	if err != nil {
		return s.adminPayoutsRefused(w, r, err, adminPayoutsPage{})
	}
	s.setFlash(w, fmt.Sprintf("Payout #%d retried as #%d: %s.", id, p.ID, p.State))
	http.Redirect(w, r, "/admin/payouts", http.StatusSeeOther)
	return nil
}
