// Package deletion closes accounts for good (SEC-2). A person asks with
// their password (and two-factor code) and confirms through a link sent to
// their address; then what they owe and are owed is settled — open
// readings end, future bookings are cancelled with their refunds, a
// reader's earnings are paid out, the wallet goes back to the cards that
// topped it up — and their personal data is erased or anonymised in one
// transaction. Their account row stays as "Deleted user" so that what
// others keep (a conversation, a forum thread, the ledger) still reads.
package deletion

import (
	"context"
	"fmt"
	"log/slog"

	"github.com/soulseer/soulseer/internal/account"
	"github.com/soulseer/soulseer/internal/clock"
	"github.com/soulseer/soulseer/internal/db"
	"github.com/soulseer/soulseer/internal/filestore"
	"github.com/soulseer/soulseer/internal/ledger"
	"github.com/soulseer/soulseer/internal/live"
	"github.com/soulseer/soulseer/internal/payment"
	"github.com/soulseer/soulseer/internal/payout"
	"github.com/soulseer/soulseer/internal/reading"
	"github.com/soulseer/soulseer/internal/schedule"
)

// Service settles and erases accounts.
type Service struct {
	DB       *db.DB
	Clock    clock.Clock
	Log      *slog.Logger
	Files    *filestore.Store
	Accounts *account.Service
	Ledger   *ledger.Ledger
	Payments *payment.Service
	Payouts  *payout.Service
	Readings *reading.Service
	Schedule *schedule.Service
	Live     *live.Service
}

// BookingFate is what deleting the account does to one upcoming booking.
type BookingFate struct {
	Booking schedule.Booking
	// Cancelled is false for a booking already under way, which the
	// client can no longer cancel: it is settled as usual.
	Cancelled   bool
	RefundCents int64 // to the client, when cancelled
	ToYou       bool  // the one deleting is the client, so the refund is theirs
}

// Preview is what deleting u's account now would do, for the page that
// asks them to confirm.
type Preview struct {
	BalanceCents    int64 // in the wallet once upcoming bookings are refunded
	CardRefundCents int64 // of it, back to the cards that topped it up
	EarningsCents   int64 // a reader's, not yet paid out
	// PayoutProblem says why the earnings cannot be paid out; "" when a
	// final payout goes (or there is nothing to pay).
	PayoutProblem string
	OpenReadings  int
	Bookings      []BookingFate
	Live          bool // a stream of theirs is live and ends
}

// KeptCents is the part of the wallet that no card can take back: it is
// forfeited with the account.
func (p Preview) KeptCents() int64 { return p.BalanceCents - p.CardRefundCents }

// Preview tells u what deleting their account now would do.
func (s *Service) Preview(ctx context.Context, u account.User) (Preview, error) {
	var p Preview
	var err error
	q := s.DB.Read()
	if p.BalanceCents, err = s.Ledger.Balance(ctx, q, ledger.Wallet(u.ID)); err != nil {
		return Preview{}, err
	}
	if p.EarningsCents, err = s.Ledger.Balance(ctx, q, ledger.Earnings(u.ID)); err != nil {
		return Preview{}, err
	}
	if p.EarningsCents > 0 {
		if p.PayoutProblem, err = s.Payouts.Refusal(ctx, u.ID); err != nil {
			return Preview{}, err
		}
	}
	if err := q.QueryRowContext(ctx, `SELECT COUNT(*) FROM readings WHERE (client_id = $1 OR reader_id = $1) AND state IN `+reading.OpenStatesSQL,
		u.ID).Scan(&p.OpenReadings); err != nil {
		return Preview{}, fmt.Errorf("deletion: open readings: %w", err)
	}
	bookings, err := s.Schedule.Bookings(ctx, u.ID, "upcoming")
	if err != nil {
		return Preview{}, err
	}
	now := s.Clock.Now()
	for _, b := range bookings {
		refund, ok := s.Schedule.RefundIf(b, u, now)
		p.Bookings = append(p.Bookings, BookingFate{Booking: b, Cancelled: ok, RefundCents: refund, ToYou: b.ClientID == u.ID})
		if ok && b.ClientID == u.ID {
			p.BalanceCents += refund // lands in the wallet before it is refunded
		}
	}
	topups, err := s.Payments.RefundableTopUps(ctx, q, u.ID)
	if err != nil {
		return Preview{}, err
	}
	p.CardRefundCents = min(p.BalanceCents, topups)
	if u.Role == account.RoleReader {
		if _, p.Live, err = s.Live.Current(ctx, u); err != nil {
			return Preview{}, err
		}
	}
	return p, nil
}

// Delete deletes the account a confirmation link (account.RequestDeletion)
// was sent for: it settles (see settle) and then erases (see erase). A
// run that stops half-way is finished by the next one with the same link,
// which stays valid until the erasure commits; nothing is settled twice.
func (s *Service) Delete(ctx context.Context, token string) error {
	u, err := s.Accounts.UserToDelete(ctx, s.DB.Read(), token)
	if err != nil {
		return err
	}
	if err := s.settle(ctx, u); err != nil {
		return err
	}
	files, err := s.erase(ctx, u, token)
	if err != nil {
		return err
	}
	for _, key := range files {
		if err := s.Files.Delete(ctx, key); err != nil {
			s.Log.Error("deletion: remove file", "user", u.ID, "err", err)
		}
	}
	return nil
}
