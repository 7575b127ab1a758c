package web

import "net/http"

// adminPayoutHoldCreate holds a reader's payouts with a required reason
// (EXT-3, SEC-4: audited); a bad field is shown beside it, as typed.
func (s *Server) adminPayoutHoldCreate(w http.ResponseWriter, r *http.Request) error {
	if err := parseForm(w, r); err != nil {
		return err
	}
	form := adminPayoutsPage{HoldReader: r.PostFormValue("reader_id"), HoldReason: r.PostFormValue("reason")}
	id, err := formReaderID(form.HoldReader)
	if err == nil {
		err = s.Payouts.HoldPayouts(r.Context(), userOf(r).ID, id, form.HoldReason)
	}
	if err != nil {
		return s.adminPayoutsRefused(w, r, err, form)
	}
	s.setFlash(w, "Payouts to that reader are held until released.")
	http.Redirect(w, r, "/admin/payouts", http.StatusSeeOther)
	return nil
}
