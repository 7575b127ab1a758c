package web

import (
	"net/http"
	"time"

	"github.com/soulseer/soulseer/internal/apperr"
	"github.com/soulseer/soulseer/internal/payout"
)

// dueJSON is a reader the next run considers.
type dueJSON struct {
	ReaderID       int64  `json:"reader_id"`
	ReaderName     string `json:"reader_name"`
	AvailableCents int64  `json:"available_cents"`
}

// holdJSON is a held reader.
type holdJSON struct {
	ReaderID  int64     `json:"reader_id"`
	Reason    string    `json:"reason"`
	CreatedAt time.Time `json:"created_at"`
}

// adminPayoutsJSON is the payout control's state.
type adminPayoutsJSON struct {
	MinimumCents int64        `json:"minimum_cents"`
	Due          []dueJSON    `json:"due"`
	Holds        []holdJSON   `json:"holds"`
	Payouts      []payoutJSON `json:"payouts"`
}

// apiAdminPayoutsList answers the readers due, the held readers and the
// latest payouts, optionally only those in ?state= (pending, paid or
// failed) (EXT-3).
func (s *Server) apiAdminPayoutsList(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	state := r.URL.Query().Get("state")
	if state != "" && state != payout.Pending && state != payout.Paid && state != payout.Failed {
		return apperr.Validation(map[string]string{"state": "pending, paid or failed"})
	}
	due, err := s.Payouts.Due(ctx)
	if err != nil {
		return err
	}
	holds, err := s.Payouts.Holds(ctx)
	if err != nil {
		return err
	}
	ps, err := s.Payouts.List(ctx, payout.Filter{State: state, Limit: 200})
	if err != nil {
		return err
	}
	out := adminPayoutsJSON{MinimumCents: s.Payouts.MinCents, Due: []dueJSON{}, Holds: []holdJSON{}, Payouts: payoutsJSON(ps)}
	for _, d := range due {
		out.Due = append(out.Due, dueJSON{ReaderID: d.UserID, ReaderName: d.ReaderName, AvailableCents: d.AvailableCents})
	}
	for _, h := range holds {
		out.Holds = append(out.Holds, holdJSON{ReaderID: h.UserID, Reason: h.Reason, CreatedAt: h.CreatedAt})
	}
	return writeJSON(w, http.StatusOK, out)
}
