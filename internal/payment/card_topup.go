package payment

import (
	"context"
	"errors"
	"fmt"
	"strconv"

	"github.com/stripe/stripe-go/v85"

	"github.com/soulseer/soulseer/internal/apperr"
	"github.com/soulseer/soulseer/internal/db"
	"github.com/soulseer/soulseer/internal/ledger"
)

// A top-up paid by a saved card (WAL-12) has no Checkout Session: it is
// made inside the transaction that decides it (NewCardTopUp), charged
// after that commits (ChargeCard), and credited to the wallet only when
// the payment provider says the charge succeeded — by its answer or by the
// payment_intent.succeeded webhook, whichever comes first, once, as the
// ledger key is the top-up's. Its PaymentIntent carries the top-up id in
// its metadata, which is how the webhook finds it.

// NewCardTopUp records, inside tx, a top-up of cents for the user that a
// saved card will pay; the amount must be one a top-up may be.
func (s *Service) NewCardTopUp(ctx context.Context, tx *db.Tx, userID, cents int64) (TopUp, error) {
	if err := s.ValidateAmount(cents); err != nil {
		return TopUp{}, err
	}
	var id int64
	if err := tx.QueryRowContext(ctx, `INSERT INTO topups (user_id, amount_cents, currency, mode, created_at) VALUES ($1, $2, $3, $4, $5) RETURNING id`,
		userID, cents, Currency, s.Gateway.Mode(), db.Millis(s.Clock.Now())).Scan(&id); err != nil {
		return TopUp{}, fmt.Errorf("payment: create card top-up: %w", err)
	}
	return getTopUp(ctx, tx, "id = $1", "", id)
}

// AbandonCardTopUp fails a card top-up that is still pending, so it no
// longer counts as under way. Should an earlier attempt to charge it have
// reached the payment provider after all, the money taken is still
// credited when the provider says so.
func (s *Service) AbandonCardTopUp(ctx context.Context, id int64) error {
	return s.DB.Tx(ctx, func(tx *db.Tx) error {
		_, err := tx.ExecContext(ctx, `UPDATE topups SET status = 'failed' WHERE id = $1 AND status = 'pending' AND checkout_session_id IS NULL`, id)
		return err
	})
}

// ChargeCard charges the pending top-up t to the saved card paymentMethod
// of customer under key (one per attempt, so a retry charges at most once)
// and settles it: credited when the card pays, failed when it is refused.
// In test mode the outcome arrives as the signed webhook Stripe would send
// (WAL-10); with Stripe it is applied from the answer at once, and the
// webhook that follows finds it settled. Any other answer leaves the
// top-up processing until Stripe's webhook settles it. An error means the
// outcome is unknown: ask again with the same key.
func (s *Service) ChargeCard(ctx context.Context, t TopUp, customer, paymentMethod, key string) error {
	res, err := s.Gateway.ChargeCard(ctx, CardChargeRequest{TopUpID: t.ID, CustomerID: customer, PaymentMethodID: paymentMethod,
		AmountCents: t.AmountCents, Currency: t.Currency, IdempotencyKey: key})
	var d *Declined
	switch {
	case errors.As(err, &d):
		return s.settleCard(ctx, t, paymentIntent{ID: d.PaymentIntentID, Amount: t.AmountCents, Currency: t.Currency, Status: "requires_payment_method",
			LastPaymentError: &paymentError{Type: string(stripe.ErrorTypeCard), Code: "card_declined", Message: d.Reason}}, d.Reason)
	case err != nil:
		return fmt.Errorf("payment: charge saved card for top-up %d: %w", t.ID, err)
	case res.Status == string(stripe.PaymentIntentStatusSucceeded):
		return s.settleCard(ctx, t, paymentIntent{ID: res.PaymentIntentID, Amount: res.AmountCents, Currency: t.Currency, Status: res.Status}, "")
	}
	return s.DB.Tx(ctx, func(tx *db.Tx) error {
		if err := s.DB.LockKey(ctx, tx, "stripe:"+res.PaymentIntentID); err != nil {
			return err
		}
		_, err := tx.ExecContext(ctx, `UPDATE topups SET status = 'processing', payment_intent_id = $1 WHERE id = $2 AND status = 'pending'`,
			res.PaymentIntentID, t.ID)
		return err
	})
}

// settleCard applies the charge's outcome: in test mode as the signed
// event Stripe would send, otherwise at once, releasing the events parked
// on the payment intent.
func (s *Service) settleCard(ctx context.Context, t TopUp, pi paymentIntent, failure string) error {
	pi.Metadata = map[string]string{"topup_id": strconv.FormatInt(t.ID, 10)}
	if _, ok := s.Gateway.(*TestGateway); ok {
		typ := "payment_intent.succeeded"
		if failure != "" {
			typ = "payment_intent.payment_failed"
		}
		return s.deliverTestEvent(ctx, typ, pi.object())
	}
	return s.DB.Tx(ctx, func(tx *db.Tx) error {
		eff, err := s.applyCardPayment(ctx, tx, "", t.ID, pi, failure)
		if err != nil {
			return err
		}
		if eff.outcome == EventMismatch {
			s.Log.Warn("card charge does not match our records", "topup", t.ID, "payment_intent", pi.ID, "note", eff.note)
		}
		return s.releaseParked(ctx, tx, eff.known)
	})
}

// paymentIntent is the part of a Stripe PaymentIntent SoulSeer reads.
type paymentIntent struct {
	ID               string            `json:"id"`
	Amount           int64             `json:"amount"`
	Currency         string            `json:"currency"`
	Status           string            `json:"status"`
	Metadata         map[string]string `json:"metadata"`
	LastPaymentError *paymentError     `json:"last_payment_error"`
}

// paymentError is why Stripe refused a PaymentIntent's last charge.
type paymentError struct {
	Type    string `json:"type"`
	Code    string `json:"code"`
	Message string `json:"message"`
}

// object is pi as a Stripe event carries it.
func (pi paymentIntent) object() map[string]any {
	o := map[string]any{"id": pi.ID, "object": "payment_intent", "amount": pi.Amount, "currency": pi.Currency, "status": pi.Status,
		"metadata": pi.Metadata, "livemode": false}
	if e := pi.LastPaymentError; e != nil {
		o["last_payment_error"] = map[string]any{"type": e.Type, "code": e.Code, "message": e.Message}
	}
	return o
}

// refusalReason says, for the card holder, why a card charge was refused,
// from Stripe's error type, code and message.
func refusalReason(typ, code, msg string) string {
	switch {
	case code == string(stripe.ErrorCodeAuthenticationRequired):
		return "Your bank asked you to confirm the payment, which cannot be done while you are away."
	case typ == string(stripe.ErrorTypeCard) && msg != "":
		return msg
	case typ == string(stripe.ErrorTypeCard):
		return "Your card was declined."
	}
	return "Your saved card can no longer be charged."
}

// applyPaymentIntent settles, from a payment_intent.succeeded or
// payment_intent.payment_failed event, the top-up a saved card pays; the
// payment intents of Checkout top-ups carry no top-up id and are left to
// their sessions' events.
func (s *Service) applyPaymentIntent(ctx context.Context, tx *db.Tx, ev stripe.Event, pi paymentIntent) (effect, error) {
	id, err := strconv.ParseInt(pi.Metadata["topup_id"], 10, 64)
	if err != nil || id <= 0 {
		return effect{outcome: EventIgnored, note: "not a charge of a saved card"}, nil
	}
	failure := ""
	if ev.Type == "payment_intent.payment_failed" {
		e := pi.LastPaymentError
		if e == nil {
			e = &paymentError{}
		}
		failure = refusalReason(e.Type, e.Code, e.Message)
	}
	return s.applyCardPayment(ctx, tx, ev.ID, id, pi, failure)
}

// applyCardPayment settles card top-up topupID by pi: it fails it with
// failure when that is set, and otherwise credits pi's amount — unless it
// is credited already, which is never undone. The money Stripe took is
// credited even to a top-up failed or abandoned here before.
func (s *Service) applyCardPayment(ctx context.Context, tx *db.Tx, eventID string, topupID int64, pi paymentIntent, failure string) (effect, error) {
	if pi.ID != "" {
		if err := s.DB.LockKey(ctx, tx, "stripe:"+pi.ID); err != nil {
			return effect{}, err
		}
	}
	t, err := getTopUp(ctx, tx, "id = $1 AND checkout_session_id IS NULL", s.DB.ForUpdate(), topupID)
	if apperr.CodeOf(err) == apperr.NotFound {
		return mismatch(fmt.Sprintf("no top-up %d is paid by a saved card", topupID)), nil
	}
	if err != nil {
		return effect{}, err
	}
	switch {
	case t.PaymentIntentID != "" && pi.ID != "" && t.PaymentIntentID != pi.ID:
		return mismatch(fmt.Sprintf("top-up %d is paid by %s, not %s", t.ID, t.PaymentIntentID, pi.ID)), nil
	case t.Status == TopUpPaid:
		return processed(fmt.Sprintf("top-up %d already credited", t.ID)), nil
	case failure != "" && t.Status == TopUpFailed:
		return processed(fmt.Sprintf("top-up %d already failed", t.ID)), nil
	case failure != "":
		if _, err := tx.ExecContext(ctx, `UPDATE topups SET status = 'failed', payment_intent_id = COALESCE($1, payment_intent_id) WHERE id = $2`,
			nullString(pi.ID), t.ID); err != nil {
			return effect{}, err
		}
		if s.CardSettled != nil {
			t.Status = TopUpFailed
			if err := s.CardSettled(ctx, tx, t, failure); err != nil {
				return effect{}, err
			}
		}
		return processed(fmt.Sprintf("card refused for top-up %d: %s", t.ID, failure)), nil
	case pi.Currency != "" && pi.Currency != t.Currency:
		return mismatch(fmt.Sprintf("currency %s does not match top-up %d (%s)", pi.Currency, t.ID, t.Currency)), nil
	case pi.Amount <= 0 || pi.Amount > ledger.MaxAmount:
		return mismatch(fmt.Sprintf("amount %d is not a valid amount", pi.Amount)), nil
	}
	err = s.creditTopUp(ctx, tx, t, pi.Amount, pi.ID, eventID, "Wallet top-up from your saved card")
	if apperr.CodeOf(err) == apperr.Conflict {
		return mismatch(fmt.Sprintf("top-up %d was already credited with a different amount", t.ID)), nil
	}
	if err != nil {
		return effect{}, err
	}
	if s.CardSettled != nil {
		t.Status, t.CreditedCents, t.PaymentIntentID = TopUpPaid, pi.Amount, pi.ID
		if err := s.CardSettled(ctx, tx, t, ""); err != nil {
			return effect{}, err
		}
	}
	return processed(fmt.Sprintf("credited %s to top-up %d from a saved card", ledger.FormatCents(pi.Amount), t.ID), pi.ID), nil
}
