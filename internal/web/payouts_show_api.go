package web

import (
	"net/http"
	"time"

	"github.com/soulseer/soulseer/internal/payout"
)

// payoutJSON is one payout as the API shows it.
type payoutJSON struct {
	ID          int64     `json:"id"`
	ReaderID    int64     `json:"reader_id"`
	AmountCents int64     `json:"amount_cents"`
	State       string    `json:"state"`
	Failure     string    `json:"failure,omitempty"`
	RetryOf     int64     `json:"retry_of,omitempty"`
	CreatedAt   time.Time `json:"created_at"`
}

func payoutsJSON(ps []payout.Payout) []payoutJSON {
	out := make([]payoutJSON, 0, len(ps))
	for _, p := range ps {
		out = append(out, payoutJSON{ID: p.ID, ReaderID: p.UserID, AmountCents: p.AmountCents, State: p.State, Failure: p.Failure,
			RetryOf: p.RetryOf, CreatedAt: p.CreatedAt})
	}
	return out
}

// payoutAccountJSON is where a reader's onboarding stands.
type payoutAccountJSON struct {
	Onboarding     bool     `json:"onboarding_started"`
	PayoutsEnabled bool     `json:"payouts_enabled"`
	Requirements   []string `json:"requirements"`
}

// myPayoutsJSON is a reader's payout summary.
type myPayoutsJSON struct {
	AvailableCents int64             `json:"available_cents"`
	MinimumCents   int64             `json:"minimum_cents"`
	NextPayoutAt   time.Time         `json:"next_payout_at"`
	Schedule       string            `json:"schedule"`
	Held           bool              `json:"held"`
	Account        payoutAccountJSON `json:"account"`
	Payouts        []payoutJSON      `json:"payouts"`
}

// apiPayoutsShow answers the reader's payouts (EXT-3, DASH-R): available
// earnings, the minimum, the next payout date, the account's onboarding
// state and the latest payouts.
func (s *Server) apiPayoutsShow(w http.ResponseWriter, r *http.Request) error {
	sum, err := s.Payouts.Summary(r.Context(), userOf(r).ID)
	if err != nil {
		return err
	}
	reqs := sum.Account.Requirements
	if reqs == nil {
		reqs = []string{}
	}
	return writeJSON(w, http.StatusOK, myPayoutsJSON{AvailableCents: sum.AvailableCents, MinimumCents: sum.MinimumCents,
		NextPayoutAt: sum.NextPayoutAt, Schedule: string(sum.Schedule), Held: sum.Held,
		Account: payoutAccountJSON{Onboarding: sum.Onboarded, PayoutsEnabled: sum.Account.PayoutsEnabled, Requirements: reqs},
		Payouts: payoutsJSON(sum.Payouts)})
}
