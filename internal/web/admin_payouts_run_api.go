package web

import (
	"net/http"

	"github.com/soulseer/soulseer/internal/apperr"
	"github.com/soulseer/soulseer/internal/payout"
)

// payoutRunRequest names the reader to pay now, or none for every reader
// due; amount_cents (optional, with a reader) pays part of what is
// available.
type payoutRunRequest struct {
	ReaderID    int64 `json:"reader_id"`
	AmountCents int64 `json:"amount_cents"`
}

// payoutRunJSON is what a run did.
type payoutRunJSON struct {
	Paid         []int64 `json:"paid"`
	Failed       []int64 `json:"failed"`
	Pending      []int64 `json:"pending"`
	Retried      int     `json:"retried"`
	BelowMinimum int     `json:"below_minimum"`
	Skipped      int     `json:"skipped"`
}

// apiAdminPayoutsRun pays out now (EXT-3), audited (SEC-4): every reader
// due, or the one named, whose refusal (below the minimum, held, not
// onboarded, a payout under way) is a problem that changes nothing.
func (s *Server) apiAdminPayoutsRun(w http.ResponseWriter, r *http.Request) error {
	var req payoutRunRequest
	if err := decodeJSON(w, r, &req); err != nil {
		return err
	}
	ctx, admin := r.Context(), userOf(r)
	var rep payout.Report
	switch {
	case req.ReaderID < 0 || (req.ReaderID == 0 && req.AmountCents != 0):
		return apperr.Validation(map[string]string{"reader_id": "Name the reader to pay an amount to, or neither to pay everyone due."})
	case req.ReaderID > 0:
		p, err := s.Payouts.Pay(ctx, req.ReaderID, req.AmountCents, admin.ID)
		if err != nil {
			return err
		}
		if p.State == payout.Paid {
			rep.Paid = []int64{p.ID}
		} else { // refused by Stripe: its money is back in earnings
			rep.Failed = []int64{p.ID}
		}
	default:
		var err error
		if rep, err = s.Payouts.RunDue(ctx, admin.ID); err != nil {
			return err
		}
	}
	// append to an empty slice, so that none shows as [] rather than null
	return writeJSON(w, http.StatusOK, payoutRunJSON{Paid: append([]int64{}, rep.Paid...), Failed: append([]int64{}, rep.Failed...),
		Pending: append([]int64{}, rep.Pending...),
		Retried: rep.Retried, BelowMinimum: rep.BelowMinimum, Skipped: rep.Skipped})
}
