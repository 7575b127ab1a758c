package payment

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/riverqueue/river"
	"github.com/stripe/stripe-go/v85"

	"github.com/soulseer/soulseer/internal/db"
)

// ParkWindow is how long a parked Stripe event waits for its object before
// it is recorded as a mismatch for the admins — Stripe's own retry window.
const ParkWindow = 72 * time.Hour

// releaseParked applies, oldest first, the events parked on any of
// objects; what those make known releases further events (a dispute opened
// by a released event lets its parked closing through), all inside tx.
func (s *Service) releaseParked(ctx context.Context, tx *db.Tx, objects []string) error {
	seen := map[string]bool{}
	for len(objects) > 0 {
		object := objects[0]
		objects = objects[1:]
		if object == "" || seen[object] {
			continue
		}
		seen[object] = true
		events, err := parkedEvents(ctx, tx, `object_id = $1`, s.DB.ForUpdate(), object)
		if err != nil {
			return err
		}
		for _, ev := range events {
			eff, err := s.apply(ctx, tx, ev)
			if err != nil {
				return err
			}
			if err := recordOutcome(ctx, tx, ev.ID, eff); err != nil {
				return err
			}
			objects = append(objects, eff.known...)
		}
	}
	return nil
}

// recordOutcome stores what applying an event did.
func recordOutcome(ctx context.Context, tx *db.Tx, id string, eff effect) error {
	_, err := tx.ExecContext(ctx, `UPDATE stripe_events SET status = $1, note = $2, object_id = $3 WHERE id = $4`,
		eff.outcome, eff.note, eff.awaits, id)
	if err != nil {
		return fmt.Errorf("payment: record event %s: %w", id, err)
	}
	return nil
}

// parkedEvents reads the parked events matching where, oldest first; tail
// ends the query (a LIMIT, a row lock).
func parkedEvents(ctx context.Context, q db.Querier, where, tail string, args ...any) ([]stripe.Event, error) {
	rows, err := q.QueryContext(ctx, `SELECT payload FROM stripe_events WHERE status = 'parked' AND `+where+
		` ORDER BY received_at, id`+tail, args...)
	if err != nil {
		return nil, fmt.Errorf("payment: parked events: %w", err)
	}
	defer rows.Close()
	var out []stripe.Event
	for rows.Next() {
		var payload string
		if err := rows.Scan(&payload); err != nil {
			return nil, err
		}
		var ev stripe.Event
		if err := json.Unmarshal([]byte(payload), &ev); err != nil || ev.Data == nil {
			return nil, fmt.Errorf("payment: stored event is unreadable: %v", err)
		}
		out = append(out, ev)
	}
	return out, rows.Err()
}

// RetryParked applies parked events whose object has arrived by a path
// that did not release them, and records as a mismatch those that waited
// longer than ParkWindow, so an admin sees them. It reports how many were
// applied and how many given up.
func (s *Service) RetryParked(ctx context.Context) (applied, expired int, err error) {
	events, err := parkedEvents(ctx, s.DB.Read(), `TRUE`, ` LIMIT 500`)
	if err != nil {
		return 0, 0, err
	}
	cutoff := s.Clock.Now().Add(-ParkWindow)
	for _, ev := range events {
		err := s.DB.Tx(ctx, func(tx *db.Tx) error {
			var status string
			var received int64
			if err := tx.QueryRowContext(ctx, `SELECT status, received_at FROM stripe_events WHERE id = $1`+s.DB.ForUpdate(), ev.ID).Scan(&status, &received); err != nil {
				return err
			}
			if status != EventParked {
				return nil
			}
			eff, err := s.settleEvent(ctx, tx, ev)
			switch {
			case err != nil:
				return err
			case eff.outcome != EventParked:
				applied++
			case db.Time(received).Before(cutoff):
				expired++
				s.Log.Error("stripe event waited too long for its object", "event", ev.ID, "type", ev.Type, "object", eff.awaits)
				return recordOutcome(ctx, tx, ev.ID, mismatch(fmt.Sprintf("gave up after %s: %s", ParkWindow, eff.note)))
			}
			return nil
		})
		if err != nil {
			return applied, expired, err
		}
	}
	return applied, expired, nil
}

// ParkedEventsArgs is the periodic job that retries and expires parked
// Stripe events.
type ParkedEventsArgs struct{}

// Kind names the job.
func (ParkedEventsArgs) Kind() string { return "payment.parked_events" }

// ParkedEventsWorker runs RetryParked.
type ParkedEventsWorker struct {
	river.WorkerDefaults[ParkedEventsArgs]
	Payments *Service
}

// Work retries the parked events once.
func (w *ParkedEventsWorker) Work(ctx context.Context, _ *river.Job[ParkedEventsArgs]) error {
	applied, expired, err := w.Payments.RetryParked(ctx)
	if applied+expired > 0 {
		w.Payments.Log.Info("parked stripe events", "applied", applied, "expired", expired)
	}
	return err
}
