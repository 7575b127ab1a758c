package payout

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/soulseer/soulseer/internal/apperr"
	"github.com/soulseer/soulseer/internal/audit"
	"github.com/soulseer/soulseer/internal/db"
	"github.com/soulseer/soulseer/internal/ledger"
)

// Due is a reader whose account takes payouts, who is not held and has not
// been paid this period, with what they have available.
type Due struct {
	UserID         int64
	ReaderName     string
	AvailableCents int64
}

// Payable reports whether the reader has at least the minimum available.
func (d Due) Payable(minCents int64) bool { return d.AvailableCents >= minCents }

// Due lists the readers the next run considers: account onboarded, payouts
// not held, no payout (other than a failed one) since the current period
// began.
func (s *Service) Due(ctx context.Context) ([]Due, error) {
	start := s.Schedule.PeriodStart(s.Clock.Now())
	rows, err := s.DB.Read().QueryContext(ctx, `SELECT a.user_id, u.display_name FROM payout_accounts a JOIN users u ON u.id = a.user_id
		WHERE a.payouts_enabled
		  AND NOT EXISTS (SELECT 1 FROM payout_holds h WHERE h.user_id = a.user_id)
		  AND NOT EXISTS (SELECT 1 FROM payouts p WHERE p.user_id = a.user_id AND p.state <> 'failed' AND p.created_at >= $1)
		ORDER BY a.user_id`, db.Millis(start))
	if err != nil {
		return nil, fmt.Errorf("payout: due: %w", err)
	}
	due, err := db.Collect(rows, func(r db.Row) (Due, error) {
		var d Due
		return d, r.Scan(&d.UserID, &d.ReaderName)
	})
	if err != nil {
		return nil, err
	}
	for i := range due {
		if due[i].AvailableCents, err = s.Ledger.Balance(ctx, s.DB.Read(), ledger.Earnings(due[i].UserID)); err != nil {
			return nil, err
		}
	}
	return due, nil
}

// Report says what a run did.
type Report struct {
	Retried      int     // pending payouts sent again
	Paid         []int64 // payouts made
	Failed       []int64 // payouts Stripe refused (money back in earnings)
	Pending      []int64 // payouts whose outcome is not known yet (sent again later)
	BelowMinimum int     // due readers with less than the minimum available
	Skipped      int     // due readers whose payout could not start (e.g. one became held meanwhile)
}

// RunDue first sends again every payout left pending (by a crash or an
// unknown answer), then pays each due reader with at least the minimum
// available their whole available earnings (EXT-3). actorID is the admin
// who ran it, 0 for the schedule; an admin's run is audited with what it
// did (SEC-4), besides each payout's own record. Errors of single readers
// are counted, not returned, so one reader never stops the others'
// payouts.
func (s *Service) RunDue(ctx context.Context, actorID int64) (Report, error) {
	rep, err := s.runDue(ctx, actorID)
	if err != nil || actorID == 0 {
		return rep, err
	}
	return rep, s.DB.Tx(ctx, func(tx *db.Tx) error {
		return audit.Record(ctx, tx, audit.Entry{ActorID: actorID, Action: "payout.run", Model: "payout", Details: map[string]any{
			"paid": rep.Paid, "failed": rep.Failed, "pending": rep.Pending, "retried": rep.Retried, "below_minimum": rep.BelowMinimum, "skipped": rep.Skipped,
		}, At: s.Clock.Now()})
	})
}

func (s *Service) runDue(ctx context.Context, actorID int64) (Report, error) {
	var rep Report
	if err := s.retryPending(ctx, &rep); err != nil {
		return rep, err
	}
	due, err := s.Due(ctx)
	if err != nil {
		return rep, err
	}
	for _, d := range due {
		if !d.Payable(s.MinCents) {
			rep.BelowMinimum++
			continue
		}
		p, err := s.Pay(ctx, d.UserID, 0, actorID)
		switch {
		case err == nil:
			rep.add(p)
		case apperr.As(err) != nil:
			s.Log.Info("payout skipped", "reader", d.UserID, "why", err)
			rep.Skipped++
		default:
			// The transfer's outcome is unknown: the payout stays pending.
			p, perr := s.pendingOf(ctx, d.UserID)
			if perr != nil || p.ID == 0 {
				return rep, err
			}
			rep.Pending = append(rep.Pending, p.ID)
		}
	}
	return rep, nil
}

func (r *Report) add(p Payout) {
	switch p.State {
	case Paid:
		r.Paid = append(r.Paid, p.ID)
	case Failed:
		r.Failed = append(r.Failed, p.ID)
	default:
		r.Pending = append(r.Pending, p.ID)
	}
}

// pendingOf returns the reader's pending payout (ID 0 when none).
func (s *Service) pendingOf(ctx context.Context, userID int64) (Payout, error) {
	ps, err := s.List(ctx, Filter{UserID: userID, State: Pending, Limit: 1})
	if err != nil || len(ps) == 0 {
		return Payout{}, err
	}
	return ps[0], nil
}

// RetryAfter is how old a pending payout must be before a run sends it
// again, so a run does not race the request that is sending it now.
const RetryAfter = 10 * time.Second

// retryPending sends again the payouts pending for longer than RetryAfter,
// with their own idempotency keys: one Stripe already made is answered,
// not made again.
func (s *Service) retryPending(ctx context.Context, rep *Report) error {
	cutoff := db.Millis(s.Clock.Now().Add(-RetryAfter))
	rows, err := s.DB.Read().QueryContext(ctx, `SELECT id FROM payouts WHERE state = 'pending' AND updated_at <= $1 ORDER BY id`, cutoff)
	if err != nil {
		return fmt.Errorf("payout: pending: %w", err)
	}
	ids, err := db.Collect(rows, func(r db.Row) (int64, error) {
		var id int64
		return id, r.Scan(&id)
	})
	if err != nil {
		return err
	}
	for _, id := range ids {
		rep.Retried++
		p, err := s.Send(ctx, id)
		if err != nil && !errors.Is(err, context.Canceled) {
			rep.Pending = append(rep.Pending, id)
			continue
		}
		if err != nil {
			return err
		}
		rep.add(p)
	}
	return nil
}
