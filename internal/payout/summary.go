package payout

import (
	"context"
	"time"

	"github.com/soulseer/soulseer/internal/ledger"
)

// Summary is what a reader sees of their payouts (DASH-R, EXT-3).
type Summary struct {
	Account        Account
	Onboarded      bool // an account exists (onboarding started)
	AvailableCents int64
	MinimumCents   int64
	Schedule       Schedule
	NextPayoutAt   time.Time
	Held           bool
	HoldReason     string
	Payouts        []Payout
}

// Summary returns the reader's payout account, available earnings, the
// minimum, the next payout date and recent payouts. The next payout is the
// next run (now) when the reader is due with at least the minimum, and
// otherwise the start of the next period.
func (s *Service) Summary(ctx context.Context, userID int64) (Summary, error) {
	sum := Summary{MinimumCents: s.MinCents, Schedule: s.Schedule}
	var err error
	if sum.Account, sum.Onboarded, err = s.ConnectedAccount(ctx, userID); err != nil {
		return Summary{}, err
	}
	if sum.AvailableCents, err = s.Ledger.Balance(ctx, s.DB.Read(), ledger.Earnings(userID)); err != nil {
		return Summary{}, err
	}
	if sum.HoldReason, sum.Held, err = s.HoldReason(ctx, userID); err != nil {
		return Summary{}, err
	}
	if sum.Payouts, err = s.List(ctx, Filter{UserID: userID, Limit: 50}); err != nil {
		return Summary{}, err
	}
	now := s.Clock.Now()
	sum.NextPayoutAt = s.Schedule.NextStart(now)
	start := s.Schedule.PeriodStart(now)
	paidThisPeriod := false
	for _, p := range sum.Payouts {
		if p.State != Failed && !p.CreatedAt.Before(start) {
			paidThisPeriod = true
		}
	}
	if !paidThisPeriod && sum.Next() == NextScheduled {
		sum.NextPayoutAt = now.Add(RunInterval).Truncate(time.Minute)
	}
	return sum, nil
}

// What a reader's next payout waits for (DASH-R, EXT-3).
const (
	NextSetup        = "setup"         // the connected account does not take payouts yet
	NextHeld         = "held"          // an admin holds the reader's payouts
	NextBelowMinimum = "below_minimum" // less than the minimum is available
	NextScheduled    = "scheduled"     // everything available is paid at NextPayoutAt
)

// Next says what the reader's next payout waits for, checked in the order
// Pay refuses one: an account that does not take payouts, a hold, then
// less than the minimum available; otherwise everything available is paid
// at NextPayoutAt.
func (s Summary) Next() string {
	switch {
	case !s.Account.PayoutsEnabled:
		return NextSetup
	case s.Held:
		return NextHeld
	case s.AvailableCents < s.MinimumCents:
		return NextBelowMinimum
	}
	return NextScheduled
}
