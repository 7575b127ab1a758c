package live

import (
	"context"
	"fmt"
	"time"

	"github.com/soulseer/soulseer/internal/apperr"
	"github.com/soulseer/soulseer/internal/db"
	"github.com/soulseer/soulseer/internal/ledger"
	"github.com/soulseer/soulseer/internal/notify"
)

// renewBatchSize is how many due subscriptions one run of Renew takes.
const renewBatchSize = 100

// Renew renews the active subscriptions whose period has ended (LIV-3):
// one asked to be cancelled ends as cancelled, and so does one whose
// reader no longer offers subscriptions (its subscriber notified); any
// other is charged the price it was taken at for the next month from the
// subscriber's wallet, and one the wallet cannot pay ends as lapsed, its
// subscriber notified (notify.KindSubscription). Each period is renewed exactly once, however
// often and however concurrently Renew runs: the period moves on only
// from the end it was read with, and the payment is keyed by the new
// period's start. It returns how many subscriptions it renewed or ended.
func (s *Service) Renew(ctx context.Context) (int, error) {
	now := s.Clock.Now()
	rows, err := s.DB.Read().QueryContext(ctx, fmt.Sprintf(`SELECT `+subColumns+subFrom+` WHERE s.state = 'active' AND s.period_end <= $1
		ORDER BY s.period_end, s.id LIMIT %d`, renewBatchSize), db.Millis(now))
	if err != nil {
		return 0, fmt.Errorf("live: renew: %w", err)
	}
	var due []Subscription
	for rows.Next() {
		sub, err := scanSub(rows)
		if err != nil {
			rows.Close()
			return 0, fmt.Errorf("live: renew: %w", err)
		}
		due = append(due, sub)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return 0, fmt.Errorf("live: renew: %w", err)
	}
	n := 0
	for _, sub := range due {
		done, err := s.renewOne(ctx, sub, now)
		if err != nil {
			return n, err
		}
		if done {
			n++
		}
	}
	return n, nil
}

// renewOne renews or ends sub, read as due at now; done is false when
// another run got there first.
func (s *Service) renewOne(ctx context.Context, sub Subscription, now time.Time) (done bool, err error) {
	err = s.DB.Tx(ctx, func(tx *db.Tx) error {
		done = false
		oldEnd := db.Millis(sub.PeriodEnd)
		if sub.CancelAtPeriodEnd {
			return s.endSub(ctx, tx, sub.ID, oldEnd, SubCancelled, now, &done)
		}
		var offered int64
		if err := tx.QueryRowContext(ctx, `SELECT subscription_price_cents FROM reader_profiles WHERE user_id = $1`, sub.ReaderID).Scan(&offered); err != nil {
			return fmt.Errorf("live: renew: %w", err)
		}
		if offered == 0 {
			if err := s.endSub(ctx, tx, sub.ID, oldEnd, SubCancelled, now, &done); err != nil || !done {
				return err
			}
			return s.Notify.Send(ctx, tx, notify.Notification{UserID: sub.SubscriberID, Kind: notify.KindSubscription,
				Title: "Your subscription to " + sub.ReaderName + " has ended",
				Body:  sub.ReaderName + " no longer offers subscriptions, so yours ended with the month you paid for and nothing more will be charged.",
				URL:   "/subscriptions"})
		}
		next := sub.PeriodEnd.AddDate(0, 1, 0)
		res, err := tx.ExecContext(ctx, `UPDATE stream_subscriptions SET period_start = period_end, period_end = $3, updated_at = $4
			WHERE id = $1 AND period_end = $2 AND state = 'active'`, sub.ID, oldEnd, db.Millis(next), db.Millis(now))
		if err != nil {
			return fmt.Errorf("live: renew: %w", err)
		}
		if n, err := res.RowsAffected(); err != nil || n == 0 {
			return err // renewed by another run
		}
		err = s.chargePeriod(ctx, tx, sub.ID, sub.SubscriberID, sub.ReaderID, sub.PriceCents, sub.PeriodEnd, sub.ReaderName)
		if apperr.CodeOf(err) != apperr.InsufficientFunds {
			done = err == nil
			return err
		}
		// Nothing moved: the period stays the one paid for and the subscription lapses.
		if _, err := tx.ExecContext(ctx, `UPDATE stream_subscriptions SET period_start = $2, period_end = $3, state = 'lapsed' WHERE id = $1`,
			sub.ID, db.Millis(sub.PeriodStart), oldEnd); err != nil {
			return fmt.Errorf("live: lapse: %w", err)
		}
		done = true
		return s.Notify.Send(ctx, tx, notify.Notification{UserID: sub.SubscriberID, Kind: notify.KindSubscription,
			Title: "Your subscription to " + sub.ReaderName + " has lapsed",
			Body: fmt.Sprintf("Your balance could not pay the next month (%s), so %s's premium streams need a ticket or a new subscription.",
				ledger.FormatCents(sub.PriceCents), sub.ReaderName),
			URL: "/wallet"})
	})
	return done, err
}

// endSub ends subscription id as state if its period still ends at
// periodEnd, setting done when it did.
func (s *Service) endSub(ctx context.Context, tx *db.Tx, id, periodEnd int64, state string, now time.Time, done *bool) error {
	res, err := tx.ExecContext(ctx, `UPDATE stream_subscriptions SET state = $3, updated_at = $4 WHERE id = $1 AND period_end = $2 AND state = 'active'`,
		id, periodEnd, state, db.Millis(now))
	if err != nil {
		return fmt.Errorf("live: end subscription: %w", err)
	}
	n, err := res.RowsAffected()
	*done = n > 0
	return err
}
