package payout

import (
	"context"
	"errors"
	"fmt"
	"strconv"

	"github.com/soulseer/soulseer/internal/apperr"
	"github.com/soulseer/soulseer/internal/audit"
	"github.com/soulseer/soulseer/internal/db"
	"github.com/soulseer/soulseer/internal/ledger"
)

// Pay pays a reader out (EXT-3): amountCents of their available earnings,
// or all of them when amountCents is 0, to their connected account.
// actorID is the admin who asked, 0 for the schedule. The payout is
// recorded pending with its ledger transfer (earnings → payouts, key
// payout:{id}) and audit record in one transaction, then sent to Stripe
// (see Send). It is refused when the reader's account does not take
// payouts yet, their payouts are held, one is already pending, or the
// amount is below the minimum or above what is available.
func (s *Service) Pay(ctx context.Context, readerID, amountCents, actorID int64) (Payout, error) {
	p, err := s.start(ctx, readerID, amountCents, actorID, 0, s.MinCents)
	if err != nil {
		return Payout{}, err
	}
	return s.Send(ctx, p.ID)
}

// PayFinal pays a reader closing their account everything available,
// however little (SEC-2), on the terms of Pay otherwise.
func (s *Service) PayFinal(ctx context.Context, readerID int64) (Payout, error) {
	p, err := s.start(ctx, readerID, 0, 0, 0, 1)
	if err != nil {
		return Payout{}, err
	}
	return s.Send(ctx, p.ID)
}

// refusal says why a reader cannot be paid out at all, in the order Pay
// checks, or "": no payout account (found is false), one that does not
// take payouts yet, or a hold with its reason.
func refusal(a Account, found bool, holdReason string, held bool) string {
	switch {
	case !found:
		return "This reader has not set up payouts yet."
	case !a.PayoutsEnabled:
		return "This reader's payout account does not take payouts yet."
	case held:
		return "Payouts to this reader are held: " + holdReason
	}
	return ""
}

// Refusal says why the reader cannot be paid out now, however much they
// have earned, or "" when they can: a final payout (SEC-2) is previewed
// with it.
func (s *Service) Refusal(ctx context.Context, readerID int64) (string, error) {
	a, found, err := s.ConnectedAccount(ctx, readerID)
	if err != nil {
		return "", err
	}
	reason, held, err := s.HoldReason(ctx, readerID)
	if err != nil {
		return "", err
	}
	return refusal(a, found, reason, held), nil
}

// start records a pending payout and takes its money out of earnings.
func (s *Service) start(ctx context.Context, readerID, amountCents, actorID, retryOf, minCents int64) (Payout, error) {
	if amountCents < 0 || amountCents > ledger.MaxAmount {
		return Payout{}, apperr.Validation(map[string]string{"amount_cents": "Give an amount in cents, or none for everything available."})
	}
	var p Payout
	err := s.DB.Tx(ctx, func(tx *db.Tx) error {
		a, err := getAccount(ctx, tx, "user_id = $1", s.DB.ForUpdate(), readerID)
		found := apperr.CodeOf(err) != apperr.NotFound
		if err != nil && found {
			return err
		}
		reason, held, err := holdOf(ctx, tx, readerID)
		if err != nil {
			return err
		}
		if msg := refusal(a, found, reason, held); msg != "" {
			return apperr.Errorf(apperr.Conflict, "%s", msg)
		}
		avail, err := s.Ledger.Balance(ctx, tx, ledger.Earnings(readerID))
		if err != nil {
			return err
		}
		amount := amountCents
		if amount == 0 {
			amount = avail
		}
		switch {
		case amount < minCents:
			return apperr.Errorf(apperr.Unprocessable, "A payout is at least %s; %s is available.", ledger.FormatCents(minCents), ledger.FormatCents(avail))
		case amount > avail:
			return apperr.Errorf(apperr.Unprocessable, "Only %s is available to pay out.", ledger.FormatCents(avail))
		}
		now := db.Millis(s.Clock.Now())
		var id int64
		err = tx.QueryRowContext(ctx, `INSERT INTO payouts (user_id, amount_cents, state, stripe_account_id, admin_id, retry_of, created_at, updated_at)
			VALUES ($1, $2, 'pending', $3, $4, $5, $6, $6) RETURNING id`, readerID, amount, a.StripeAccountID, nullID(actorID), nullID(retryOf), now).Scan(&id)
		if s.DB.IsUniqueViolation(err) {
			return apperr.Errorf(apperr.Conflict, "A payout to this reader is already under way, or this payout was retried already.")
		}
		if err != nil {
			return err
		}
		pid := strconv.FormatInt(id, 10)
		if _, err := s.Ledger.Post(ctx, tx, ledger.Transfer{Key: "payout:" + pid, Type: ledger.TypePayout,
			Postings:  []ledger.Posting{{Account: ledger.Earnings(readerID), Amount: -amount}, {Account: ledger.Payouts(), Amount: amount}},
			CauseType: "payout", CauseID: pid, Memo: "Payout to the connected Stripe account", ActorID: actorID}); err != nil {
			return err
		}
		details := map[string]any{"reader_id": readerID, "amount_cents": amount, "stripe_account_id": a.StripeAccountID}
		action := "payout.create"
		if retryOf != 0 {
			action, details["retry_of"] = "payout.retry", retryOf
		}
		if err := audit.Record(ctx, tx, audit.Entry{ActorID: actorID, Action: action, Model: "payout", ObjectID: pid,
			Details: details, At: s.Clock.Now()}); err != nil {
			return err
		}
		p, err = getPayout(ctx, tx, id, "")
		return err
	})
	if err != nil {
		return Payout{}, fmt.Errorf("payout: start: %w", err)
	}
	return p, nil
}

func nullID(id int64) any {
	if id == 0 {
		return nil
	}
	return id
}

// Send asks Stripe to transfer a pending payout, under the payout's
// idempotency key, and records the answer: paid; or, on a definite
// refusal, failed with its money back in earnings. Any other answer (a
// timeout, an outage) leaves it pending for the periodic job to send again
// with the same key; the error is returned. A payout no longer pending is
// returned as it is.
func (s *Service) Send(ctx context.Context, id int64) (Payout, error) {
	p, err := s.Payout(ctx, id)
	if err != nil || p.State != Pending {
		return p, err
	}
	tr, sendErr := s.Gateway.Transfer(ctx, TransferRequest{PayoutID: p.ID, Destination: p.StripeAccountID, AmountCents: p.AmountCents, IdempotencyKey: TransferKey(p.ID)})
	switch {
	case sendErr == nil:
		err = s.DB.Tx(ctx, func(tx *db.Tx) error { return s.markPaid(ctx, tx, p, tr) })
	case errors.Is(sendErr, ErrRefused):
		s.Log.Warn("payout refused", "payout", p.ID, "err", sendErr)
		err = s.DB.Tx(ctx, func(tx *db.Tx) error { return s.giveBack(ctx, tx, p, sendErr.Error(), "payout.failed", "") })
	default:
		s.Log.Warn("payout outcome unknown; will retry", "payout", p.ID, "err", sendErr)
		err = s.DB.Tx(ctx, func(tx *db.Tx) error {
			_, err := tx.ExecContext(ctx, `UPDATE payouts SET attempts = attempts + 1, failure = $1, updated_at = $2 WHERE id = $3 AND state = 'pending'`,
				sendErr.Error(), db.Millis(s.Clock.Now()), p.ID)
			return err
		})
		err = errors.Join(sendErr, err)
	}
	if err != nil {
		return Payout{}, fmt.Errorf("payout: send %d: %w", p.ID, err)
	}
	return s.Payout(ctx, p.ID)
}

// markPaid records Stripe's transfer of a pending payout, audited; a
// payout settled meanwhile is left alone.
func (s *Service) markPaid(ctx context.Context, tx *db.Tx, p Payout, transferID string) error {
	r, err := tx.ExecContext(ctx, `UPDATE payouts SET state = 'paid', stripe_transfer_id = $1, failure = '', attempts = attempts + 1, updated_at = $2
		WHERE id = $3 AND state = 'pending'`, transferID, db.Millis(s.Clock.Now()), p.ID)
	if err != nil {
		return err
	}
	if n, _ := r.RowsAffected(); n == 0 {
		return nil
	}
	return audit.Record(ctx, tx, audit.Entry{Action: "payout.paid", Model: "payout", ObjectID: strconv.FormatInt(p.ID, 10),
		Details: map[string]any{"reader_id": p.UserID, "amount_cents": p.AmountCents, "stripe_transfer_id": transferID}, At: s.Clock.Now()})
}

// giveBack marks a pending (or, for a reversal, paid) payout failed with
// why, and returns its money to the reader's earnings once (ledger key
// payout-return:{id}), audited as action. eventID names the Stripe event
// that caused it, if any.
func (s *Service) giveBack(ctx context.Context, tx *db.Tx, p Payout, why, action, eventID string) error {
	r, err := tx.ExecContext(ctx, `UPDATE payouts SET state = 'failed', failure = $1, updated_at = $2 WHERE id = $3 AND state IN ('pending', 'paid')`,
		why, db.Millis(s.Clock.Now()), p.ID)
	if err != nil {
		return err
	}
	if n, _ := r.RowsAffected(); n == 0 {
		return nil
	}
	pid := strconv.FormatInt(p.ID, 10)
	if _, err := s.Ledger.Post(ctx, tx, ledger.Transfer{Key: "payout-return:" + pid, Type: ledger.TypePayout,
		Postings:  []ledger.Posting{{Account: ledger.Payouts(), Amount: -p.AmountCents}, {Account: ledger.Earnings(p.UserID), Amount: p.AmountCents}},
		CauseType: "payout", CauseID: pid, StripeEventID: eventID, Memo: "Payout not made; money returned to earnings"}); err != nil {
		return err
	}
	return audit.Record(ctx, tx, audit.Entry{Action: action, Model: "payout", ObjectID: pid,
		Details: map[string]any{"reader_id": p.UserID, "amount_cents": p.AmountCents, "reason": why, "event": eventID}, At: s.Clock.Now()})
}
