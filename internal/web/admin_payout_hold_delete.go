package web

import "net/http"

// adminPayoutHoldDelete releases a reader's held payouts (EXT-3, SEC-4:
// audited); they are paid at the next run when due.
func (s *Server) adminPayoutHoldDelete(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	if err := s.Payouts.ReleasePayouts(r.Context(), userOf(r).ID, id); err != nil {
		return s.adminPayoutsRefused(w, r, err, adminPayoutsPage{})
	}
	s.setFlash(w, "The hold is released.")
	http.Redirect(w, r, "/admin/payouts", http.StatusSeeOther)
	return nil
}
