package web

import (
	"fmt"
	"net/http"

	"github.com/soulseer/soulseer/internal/ledger"
)

// adminPayoutsRun pays out every due reader, or the one named by
// reader_id, now (EXT-3), audited (SEC-4); a refusal (below the minimum,
// held, not onboarded) is shown on the page and changes nothing.
func (s *Server) adminPayoutsRun(w http.ResponseWriter, r *http.Request) error {
	if err := parseForm(w, r); err != nil {
		return err
	}
	ctx, admin := r.Context(), userOf(r)
	if v := r.PostFormValue("reader_id"); v != "" {
		id, err := formReaderID(v)
		if err != nil {
			return s.adminPayoutsRefused(w, r, err, adminPayoutsPage{})
		}
		p, err := s.Payouts.Pay(ctx, id, 0, admin.ID)
		if err != nil {
			return s.adminPayoutsRefused(w, r, err, adminPayoutsPage{})
		}
		s.setFlash(w, fmt.Sprintf("Payout #%d of %s to %s: %s.", p.ID, ledger.FormatCents(p.AmountCents), p.ReaderName, p.State))
	} else {
		rep, err := s.Payouts.RunDue(ctx, admin.ID)
		if err != nil {
			return err
		}
		s.setFlash(w, fmt.Sprintf("Payouts run: %d paid, %d failed, %d waiting for Stripe, %d below the minimum.",
			len(rep.Paid), len(rep.Failed), len(rep.Pending), rep.BelowMinimum))
	}
	http.Redirect(w, r, "/admin/payouts", http.StatusSeeOther)
	return nil
}
