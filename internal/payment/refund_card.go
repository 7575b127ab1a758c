package payment

import (
	"context"
	"errors"
	"fmt"
	"strconv"

	"github.com/riverqueue/river"

	"github.com/soulseer/soulseer/internal/apperr"
	"github.com/soulseer/soulseer/internal/audit"
	"github.com/soulseer/soulseer/internal/db"
	"github.com/soulseer/soulseer/internal/ledger"
)

// CardRefundAttempts is how many times a card refund is sent to Stripe
// without a definite answer (a timeout, an outage) before it waits for an
// admin in the review queue. River's back-off spreads them over hours,
// well within the 24 hours Stripe keeps an idempotency key.
const CardRefundAttempts = 10

// CardRefundArgs asks for a pending card refund to be sent to Stripe.
type CardRefundArgs struct {
	RefundID int64 `json:"refund_id"`
}

// Kind names the job.
func (CardRefundArgs) Kind() string { return "payment.card_refund" }

// CardRefundWorker sends pending card refunds to Stripe. Stripe's
// idempotency key (the refund id) makes a retried job refund once. Only a
// definite refusal gives the money back to the wallet, and only after
// looking up that no refund with this key exists at Stripe (the refusal may
// answer a repeat of one that went through). An answer that proves nothing
// — a timeout, a 5xx, a lost connection — is retried; after
// CardRefundAttempts the refund waits in the admin review queue, with the
// wallet still debited, because the money may already be on the card.
type CardRefundWorker struct {
	river.WorkerDefaults[CardRefundArgs]
	Payments *Service
}

// Work sends one refund.
func (w *CardRefundWorker) Work(ctx context.Context, j *river.Job[CardRefundArgs]) error {
	s := w.Payments
	r, err := s.Refund(ctx, j.Args.RefundID)
	if apperr.CodeOf(err) == apperr.NotFound {
		return river.JobCancel(err)
	}
	if err != nil {
		return err
	}
	if r.Status != RefundPending {
		return nil
	}
	t, err := getTopUp(ctx, s.DB.Read(), "id = $1", "", r.TopUpID)
	if err != nil {
		return err
	}
	req := RefundRequest{PaymentIntentID: t.PaymentIntentID, AmountCents: r.AmountCents, IdempotencyKey: cardRefundKey(r.ID)}
	res, sendErr := s.Gateway.Refund(ctx, req)
	if sendErr == nil {
		return s.cardRefundDone(ctx, r, res, 0)
	}
	found, ok, findErr := s.Gateway.FindRefund(ctx, req)
	switch {
	case findErr == nil && ok:
		return s.cardRefundDone(ctx, r, found, 0)
	case findErr == nil && errors.Is(sendErr, ErrRefused):
		return s.cardRefundReverse(ctx, r, sendErr.Error(), 0)
	case j.Attempt < CardRefundAttempts:
		return errors.Join(sendErr, findErr)
	}
	s.Log.Error("card refund outcome unknown; waiting for an admin", "refund", r.ID, "err", sendErr, "lookup", findErr)
	return s.cardRefundHold(ctx, r, sendErr.Error())
}

// cardRefundKey is the Stripe idempotency key of a card refund, which
// FindRefund also looks for.
func cardRefundKey(refundID int64) string {
	return "soulseer-refund-" + strconv.FormatInt(refundID, 10)
}

// settleRefund moves a card refund out of pending or review to status,
// returning false when another worker or admin settled it first.
func settleRefund(ctx context.Context, tx *db.Tx, r Refund, status, stripeID, failure string, now int64) (bool, error) {
	u, err := tx.ExecContext(ctx, `UPDATE refunds SET status = $1, stripe_refund_id = $2, failure = $3, updated_at = $4
		WHERE id = $5 AND status IN ('pending', 'review')`, status, stripeID, failure, now, r.ID)
	if err != nil {
		return false, fmt.Errorf("payment: settle refund %d: %w", r.ID, err)
	}
	n, err := u.RowsAffected()
	return n == 1, err
}

// cardRefundDone records that Stripe refunded the card. actorID is the
// admin who confirmed it, 0 when Stripe's answer did.
func (s *Service) cardRefundDone(ctx context.Context, r Refund, res RefundResult, actorID int64) error {
	return s.DB.Tx(ctx, func(tx *db.Tx) error {
		done, err := settleRefund(ctx, tx, r, RefundSucceeded, res.ID, "", db.Millis(s.Clock.Now()))
		if err != nil || !done || actorID == 0 {
			return err
		}
		return audit.Record(ctx, tx, audit.Entry{ActorID: actorID, Action: "wallet.refund_card_confirmed", Model: "refund",
			ObjectID: strconv.FormatInt(r.ID, 10), Details: map[string]any{"stripe_refund_id": res.ID}, At: s.Clock.Now()})
	})
}

// cardRefundReverse records that the refund never reached the card and
// gives the money back to the wallet, once.
func (s *Service) cardRefundReverse(ctx context.Context, r Refund, why string, actorID int64) error {
	return s.DB.Tx(ctx, func(tx *db.Tx) error {
		done, err := settleRefund(ctx, tx, r, RefundFailed, "", why, db.Millis(s.Clock.Now()))
		if err != nil || !done {
			return err
		}
		rid := strconv.FormatInt(r.ID, 10)
		if _, err := s.Ledger.Post(ctx, tx, ledger.Transfer{Key: "refund-reversal:" + rid, Type: ledger.TypeRefund,
			Postings:  []ledger.Posting{{Account: ledger.StripeClearing(), Amount: -r.AmountCents}, {Account: ledger.Wallet(r.UserID), Amount: r.AmountCents}},
			CauseType: "refund", CauseID: rid, Memo: "Card refund not made; money returned to the wallet", ActorID: actorID}); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE topups SET refunded_cents = refunded_cents - $1 WHERE id = $2`, r.AmountCents, r.TopUpID); err != nil {
			return err
		}
		return audit.Record(ctx, tx, audit.Entry{ActorID: actorID, Action: "wallet.refund_card_failed", Model: "refund", ObjectID: rid,
			Details: map[string]any{"error": why}, At: s.Clock.Now()})
	})
}

// cardRefundHold puts a refund whose outcome Stripe never told in the
// admin review queue, leaving the wallet debited.
func (s *Service) cardRefundHold(ctx context.Context, r Refund, why string) error {
	return s.DB.Tx(ctx, func(tx *db.Tx) error {
		done, err := settleRefund(ctx, tx, r, RefundReview, "", why, db.Millis(s.Clock.Now()))
		if err != nil || !done {
			return err
		}
		return audit.Record(ctx, tx, audit.Entry{Action: "wallet.refund_card_review", Model: "refund", ObjectID: strconv.FormatInt(r.ID, 10),
			Details: map[string]any{"error": why, "attempts": CardRefundAttempts}, At: s.Clock.Now()})
	})
}
