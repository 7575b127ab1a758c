// Package payout pays readers' earnings out to their Stripe Connect
// Express accounts (EXT-3): onboarding, scheduled and admin-run payouts
// above a minimum, holds and retries, every one audited (SEC-4). A payout
// takes the money out of earnings in the same transaction that records it,
// then asks Stripe for a transfer whose idempotency key is the payout's id,
// so a payout retried after a crash is transferred at most once; a refusal
// or a reversal gives the money back to earnings.
package payout

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"strconv"
	"time"

	"github.com/soulseer/soulseer/internal/apperr"
	"github.com/soulseer/soulseer/internal/clock"
	"github.com/soulseer/soulseer/internal/db"
	"github.com/soulseer/soulseer/internal/ledger"
)

// Service runs onboarding, payouts, holds and the Connect webhooks.
type Service struct {
	DB       *db.DB
	Clock    clock.Clock
	Ledger   *ledger.Ledger
	Gateway  Gateway
	Log      *slog.Logger
	BaseURL  string
	MinCents int64    // the least one payout may be (SOULSEER_PAYOUT_MIN_CENTS)
	Schedule Schedule // how often readers are paid (SOULSEER_PAYOUT_SCHEDULE)
}

// Payout states.
const (
	Pending = "pending" // taken from earnings; Stripe's transfer not confirmed yet
	Paid    = "paid"    // Stripe made the transfer
	Failed  = "failed"  // refused or reversed; the money is back in earnings
)

// Payout is one movement of a reader's earnings to their connected account.
type Payout struct {
	ID               int64
	UserID           int64
	ReaderName       string
	AmountCents      int64
	State            string
	StripeAccountID  string
	StripeTransferID string
	Failure          string
	Attempts         int
	AdminID          int64 // the admin who ran or retried it; 0 for the schedule
	RetryOf          int64
	CreatedAt        time.Time
	UpdatedAt        time.Time
}

const payoutColumns = `p.id, p.user_id, u.display_name, p.amount_cents, p.state, p.stripe_account_id, p.stripe_transfer_id, p.failure,
	p.attempts, COALESCE(p.admin_id, 0), COALESCE(p.retry_of, 0), p.created_at, p.updated_at`

const payoutFrom = ` FROM payouts p JOIN users u ON u.id = p.user_id `

func scanPayout(row db.Row) (Payout, error) {
	var p Payout
	var created, updated int64
	err := row.Scan(&p.ID, &p.UserID, &p.ReaderName, &p.AmountCents, &p.State, &p.StripeAccountID, &p.StripeTransferID, &p.Failure,
		&p.Attempts, &p.AdminID, &p.RetryOf, &created, &updated)
	p.CreatedAt, p.UpdatedAt = db.Time(created), db.Time(updated)
	return p, err
}

// Payout returns one payout.
func (s *Service) Payout(ctx context.Context, id int64) (Payout, error) {
	return getPayout(ctx, s.DB.Read(), id, "")
}

func getPayout(ctx context.Context, q db.Querier, id int64, lock string) (Payout, error) {
	p, err := scanPayout(q.QueryRowContext(ctx, "SELECT "+payoutColumns+payoutFrom+"WHERE p.id = $1"+lock, id))
	if errors.Is(err, sql.ErrNoRows) {
		return Payout{}, apperr.Errorf(apperr.NotFound, "No such payout.")
	}
	if err != nil {
		return Payout{}, fmt.Errorf("payout: get %d: %w", id, err)
	}
	return p, nil
}

// Filter narrows a listing of payouts; zero fields match everything.
type Filter struct {
	UserID int64
	State  string
	Limit  int // default 50
}

// List returns matching payouts, newest first.
func (s *Service) List(ctx context.Context, f Filter) ([]Payout, error) {
	where, args := "WHERE 1 = 1", []any{}
	if f.UserID != 0 {
		args = append(args, f.UserID)
		where += " AND p.user_id = $" + strconv.Itoa(len(args))
	}
	if f.State != "" {
		args = append(args, f.State)
		where += " AND p.state = $" + strconv.Itoa(len(args))
	}
	if f.Limit <= 0 {
		f.Limit = 50
	}
	rows, err := s.DB.Read().QueryContext(ctx, "SELECT "+payoutColumns+payoutFrom+where+" ORDER BY p.id DESC LIMIT "+strconv.Itoa(f.Limit), args...)
	if err != nil {
		return nil, fmt.Errorf("payout: list: %w", err)
	}
	return db.Collect(rows, scanPayout)
}

// FailedSince counts the payouts that failed — refused by Stripe or
// reversed, their money back in earnings — at or after since, for the
// admin's dashboard (DASH-A). A failed payout is never updated again, so
// its last update is when it failed.
func (s *Service) FailedSince(ctx context.Context, since time.Time) (int, error) {
	var n int
	err := s.DB.Read().QueryRowContext(ctx, `SELECT COUNT(*) FROM payouts WHERE state = 'failed' AND updated_at >= $1`, db.Millis(since)).Scan(&n)
	if err != nil {
		return 0, fmt.Errorf("payout: failed since: %w", err)
	}
	return n, nil
}

// TransferKey is the Stripe idempotency key of a payout's transfer: the
// same for every attempt, so Stripe makes it at most once.
func TransferKey(payoutID int64) string { return "soulseer-payout-" + strconv.FormatInt(payoutID, 10) }
