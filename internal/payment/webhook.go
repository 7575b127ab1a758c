package payment

import (
	"context"
	"encoding/json"
	"fmt"
	"strconv"

	"github.com/stripe/stripe-go/v85"
	"github.com/stripe/stripe-go/v85/webhook"

	"github.com/soulseer/soulseer/internal/apperr"
	"github.com/soulseer/soulseer/internal/audit"
	"github.com/soulseer/soulseer/internal/db"
	"github.com/soulseer/soulseer/internal/ledger"
)

// Outcomes of a Stripe event, as recorded in stripe_events.
const (
	EventProcessed = "processed" // it changed something (or confirmed a state)
	EventIgnored   = "ignored"   // a type SoulSeer does not act on
	EventMismatch  = "mismatch"  // it names something SoulSeer does not know, or disagrees with it
)

// WebhookResult says what happened to a delivered event.
type WebhookResult struct {
	EventID   string
	Type      string
	Duplicate bool // the event was processed before; nothing was done
	Outcome   string
	Note      string
}

var errBadSignature = apperr.Errorf(apperr.Invalid, "The webhook signature is invalid or too old.")

// HandleWebhook verifies a Stripe webhook delivery and applies it exactly
// once (WAL-5): the event id is stored in the same transaction as its
// effect, so a repeated or concurrent delivery of the same event finds it
// and changes nothing. A bad signature, wrong secret, tampered body or stale
// timestamp is an Invalid error (HTTP 400); anything else is answered
// successfully, including events that are unknown or do not match a top-up,
// which are recorded without crediting.
func (s *Service) HandleWebhook(ctx context.Context, payload []byte, signature string) (WebhookResult, error) {
	ev, err := webhook.ConstructEventWithOptions(payload, signature, s.WebhookSecret,
		webhook.ConstructEventOptions{IgnoreAPIVersionMismatch: true})
	if err != nil {
		s.Log.Warn("rejected webhook", "err", err)
		return WebhookResult{}, errBadSignature
	}
	res := WebhookResult{EventID: ev.ID, Type: string(ev.Type)}
	if ev.ID == "" || ev.Data == nil {
		return WebhookResult{}, apperr.Errorf(apperr.Invalid, "The event has no id or data.")
	}
	err = s.DB.Tx(ctx, func(tx *db.Tx) error {
		r, err := tx.ExecContext(ctx, `INSERT INTO stripe_events (id, type, livemode, payload, received_at) VALUES ($1, $2, $3, $4, $5)
			ON CONFLICT (id) DO NOTHING`, ev.ID, string(ev.Type), ev.Livemode, string(payload), db.Millis(s.Clock.Now()))
		if err != nil {
			return err
		}
		if n, _ := r.RowsAffected(); n == 0 {
			res.Duplicate = true
			return nil
		}
		res.Outcome, res.Note, err = s.apply(ctx, tx, ev)
		if err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, `UPDATE stripe_events SET status = $1, note = $2 WHERE id = $3`, res.Outcome, res.Note, ev.ID)
		return err
	})
	if err != nil {
		return WebhookResult{}, fmt.Errorf("payment: webhook %s: %w", ev.ID, err)
	}
	if res.Outcome == EventMismatch {
		s.Log.Warn("stripe event does not match our records", "event", ev.ID, "type", ev.Type, "note", res.Note)
	}
	return res, nil
}

// apply performs an event's effect inside the event's transaction and says
// how it went.
func (s *Service) apply(ctx context.Context, tx *db.Tx, ev stripe.Event) (outcome, note string, err error) {
	raw := ev.Data.Raw
	switch ev.Type {
	case "checkout.session.completed", "checkout.session.async_payment_succeeded", "checkout.session.async_payment_failed", "checkout.session.expired":
		var cs checkoutSession
		if err := json.Unmarshal(raw, &cs); err != nil || cs.ID == "" {
			return EventMismatch, "unreadable checkout session", nil
		}
		return s.applyCheckout(ctx, tx, ev, cs)
	case "charge.refunded":
		var ch charge
		if err := json.Unmarshal(raw, &ch); err != nil || ch.ID == "" {
			return EventMismatch, "unreadable charge", nil
		}
		return s.applyChargeRefunded(ctx, tx, ev, ch)
	case "charge.dispute.created", "charge.dispute.closed":
		var d dispute
		if err := json.Unmarshal(raw, &d); err != nil || d.ID == "" {
			return EventMismatch, "unreadable dispute", nil
		}
		if ev.Type == "charge.dispute.created" {
			return s.applyDisputeCreated(ctx, tx, ev, d)
		}
		return s.applyDisputeClosed(ctx, tx, ev, d)
	}
	return EventIgnored, "event type not used", nil
}

// expandable is a Stripe field that holds an id or an expanded object.
type expandable string

func (e *expandable) UnmarshalJSON(b []byte) error {
	var id string
	if err := json.Unmarshal(b, &id); err == nil {
		*e = expandable(id)
		return nil
	}
	var obj struct {
		ID string `json:"id"`
	}
	if err := json.Unmarshal(b, &obj); err != nil {
		return err
	}
	*e = expandable(obj.ID)
	return nil
}

type checkoutSession struct {
	ID                string            `json:"id"`
	AmountTotal       int64             `json:"amount_total"`
	Currency          string            `json:"currency"`
	PaymentStatus     string            `json:"payment_status"`
	PaymentIntent     expandable        `json:"payment_intent"`
	ClientReferenceID string            `json:"client_reference_id"`
	Metadata          map[string]string `json:"metadata"`
}

type charge struct {
	ID             string     `json:"id"`
	Amount         int64      `json:"amount"`
	AmountRefunded int64      `json:"amount_refunded"`
	PaymentIntent  expandable `json:"payment_intent"`
}

type dispute struct {
	ID            string     `json:"id"`
	Amount        int64      `json:"amount"`
	Charge        expandable `json:"charge"`
	PaymentIntent expandable `json:"payment_intent"`
	Status        string     `json:"status"`
}

// applyCheckout credits a paid top-up (once: the ledger key is the top-up),
// or records that it is processing, failed or expired.
func (s *Service) applyCheckout(ctx context.Context, tx *db.Tx, ev stripe.Event, cs checkoutSession) (string, string, error) {
	t, err := getTopUp(ctx, tx, "checkout_session_id = $1", s.DB.ForUpdate(), cs.ID)
	if apperr.CodeOf(err) == apperr.NotFound {
		return EventMismatch, "no top-up has Checkout Session " + cs.ID, nil
	}
	if err != nil {
		return "", "", err
	}
	setStatus := func(st string) error {
		_, err := tx.ExecContext(ctx, `UPDATE topups SET status = $1 WHERE id = $2 AND status IN ('pending', 'processing')`, st, t.ID)
		return err
	}
	switch {
	case ev.Type == "checkout.session.expired":
		return EventProcessed, "checkout expired", setStatus(TopUpExpired)
	case ev.Type == "checkout.session.async_payment_failed":
		return EventProcessed, "delayed payment failed", setStatus(TopUpFailed)
	case ev.Type == "checkout.session.completed" && cs.PaymentStatus != "paid":
		return EventProcessed, "payment not settled yet (" + cs.PaymentStatus + ")", setStatus(TopUpProcessing)
	}
	// checkout.session.completed with payment_status "paid", or
	// checkout.session.async_payment_succeeded.
	if cs.Currency != "" && cs.Currency != t.Currency {
		return EventMismatch, fmt.Sprintf("currency %s does not match top-up %d (%s)", cs.Currency, t.ID, t.Currency), nil
	}
	if cs.AmountTotal <= 0 || cs.AmountTotal > ledger.MaxAmount {
		return EventMismatch, fmt.Sprintf("amount_total %d is not a valid amount", cs.AmountTotal), nil
	}
	if t.Status == TopUpPaid {
		return EventProcessed, fmt.Sprintf("top-up %d already credited", t.ID), nil
	}
	_, err = s.Ledger.Post(ctx, tx, ledger.Transfer{
		Key:  "topup:" + strconv.FormatInt(t.ID, 10),
		Type: ledger.TypeTopUp,
		Postings: []ledger.Posting{
			{Account: ledger.StripeClearing(), Amount: -cs.AmountTotal},
			{Account: ledger.Wallet(t.UserID), Amount: cs.AmountTotal},
		},
		CauseType: "topup", CauseID: strconv.FormatInt(t.ID, 10), StripeEventID: ev.ID, Memo: "Wallet top-up",
	})
	if apperr.CodeOf(err) == apperr.Conflict {
		return EventMismatch, fmt.Sprintf("top-up %d was already credited with a different amount", t.ID), nil
	}
	if err != nil {
		return "", "", err
	}
	if _, err := tx.ExecContext(ctx, `UPDATE topups SET status = 'paid', credited_cents = $1, paid_at = $2, payment_intent_id = $3 WHERE id = $4`,
		cs.AmountTotal, db.Millis(s.Clock.Now()), nullString(string(cs.PaymentIntent)), t.ID); err != nil {
		return "", "", err
	}
	note := fmt.Sprintf("credited %s to top-up %d", ledger.FormatCents(cs.AmountTotal), t.ID)
	if cs.AmountTotal != t.AmountCents {
		note += fmt.Sprintf(" (requested %s)", ledger.FormatCents(t.AmountCents))
	}
	return EventProcessed, note, nil
}

func nullString(s string) any {
	if s == "" {
		return nil
	}
	return s
}

// applyChargeRefunded takes money refunded from Stripe's side (e.g. in the
// Stripe dashboard) out of the wallet. Refunds SoulSeer made itself are
// already counted in refunded_cents, so they are not taken twice. The wallet
// never goes negative: a shortfall is recorded for the admins.
func (s *Service) applyChargeRefunded(ctx context.Context, tx *db.Tx, ev stripe.Event, ch charge) (string, string, error) {
	if ch.PaymentIntent == "" {
		return EventMismatch, "charge has no payment intent", nil
	}
	t, err := getTopUp(ctx, tx, "payment_intent_id = $1", s.DB.ForUpdate(), string(ch.PaymentIntent))
	if apperr.CodeOf(err) == apperr.NotFound {
		return EventMismatch, "no top-up paid with " + string(ch.PaymentIntent), nil
	}
	if err != nil {
		return "", "", err
	}
	newly := min(ch.AmountRefunded, t.CreditedCents) - t.RefundedCents
	if newly <= 0 {
		return EventProcessed, "refund already accounted for", nil
	}
	bal, err := s.Ledger.Balance(ctx, tx, ledger.Wallet(t.UserID))
	if err != nil {
		return "", "", err
	}
	take := min(newly, bal)
	if take > 0 {
		if _, err := s.Ledger.Post(ctx, tx, ledger.Transfer{
			Key:  fmt.Sprintf("stripe-refund:%s:%d", ch.ID, ch.AmountRefunded),
			Type: ledger.TypeRefund,
			Postings: []ledger.Posting{
				{Account: ledger.Wallet(t.UserID), Amount: -take},
				{Account: ledger.StripeClearing(), Amount: take},
			},
			CauseType: "topup", CauseID: strconv.FormatInt(t.ID, 10), StripeEventID: ev.ID, Memo: "Refunded to card by Stripe",
		}); err != nil {
			return "", "", err
		}
	}
	if _, err := tx.ExecContext(ctx, `UPDATE topups SET refunded_cents = refunded_cents + $1 WHERE id = $2`, newly, t.ID); err != nil {
		return "", "", err
	}
	note := fmt.Sprintf("card refund of %s on top-up %d taken from the wallet", ledger.FormatCents(take), t.ID)
	if take < newly {
		note += fmt.Sprintf("; %s could not be taken (wallet held only %s)", ledger.FormatCents(newly-take), ledger.FormatCents(bal))
	}
	err = audit.Record(ctx, tx, audit.Entry{Action: "wallet.card_refund_external", Model: "topup", ObjectID: strconv.FormatInt(t.ID, 10),
		Details: map[string]any{"event": ev.ID, "refunded_cents": newly, "taken_cents": take}, At: s.Clock.Now()})
	return EventProcessed, note, err
}

// applyDisputeCreated holds the disputed amount back from the wallet (as much
// as it still holds), so it cannot be spent while the bank decides.
func (s *Service) applyDisputeCreated(ctx context.Context, tx *db.Tx, ev stripe.Event, d dispute) (string, string, error) {
	t, err := s.topUpOfDispute(ctx, tx, d)
	if err != nil {
		return EventMismatch, err.Error(), nil
	}
	bal, err := s.Ledger.Balance(ctx, tx, ledger.Wallet(t.UserID))
	if err != nil {
		return "", "", err
	}
	hold := min(d.Amount, bal)
	if hold > 0 {
		if _, err := s.Ledger.Post(ctx, tx, ledger.Transfer{
			Key: "dispute-hold:" + d.ID, Type: ledger.TypeDisputeHold,
			Postings: []ledger.Posting{
				{Account: ledger.Wallet(t.UserID), Amount: -hold},
				{Account: ledger.Hold(t.UserID), Amount: hold},
			},
			CauseType: "dispute", CauseID: d.ID, StripeEventID: ev.ID, Memo: "Held during a card dispute",
		}); err != nil {
			return "", "", err
		}
	}
	now := db.Millis(s.Clock.Now())
	if _, err := tx.ExecContext(ctx, `INSERT INTO disputes (id, topup_id, user_id, amount_cents, held_cents, status, created_at, updated_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $7) ON CONFLICT (id) DO NOTHING`, d.ID, t.ID, t.UserID, d.Amount, hold, d.Status, now); err != nil {
		return "", "", err
	}
	err = audit.Record(ctx, tx, audit.Entry{Action: "wallet.dispute_hold", Model: "dispute", ObjectID: d.ID,
		Details: map[string]any{"event": ev.ID, "topup": t.ID, "user": t.UserID, "disputed_cents": d.Amount, "held_cents": hold}, At: s.Clock.Now()})
	return EventProcessed, fmt.Sprintf("held %s of %s disputed on top-up %d", ledger.FormatCents(hold), ledger.FormatCents(d.Amount), t.ID), err
}

// applyDisputeClosed releases the held money back to the wallet when the
// dispute is won, or lets it go to the card holder's bank when it is lost.
func (s *Service) applyDisputeClosed(ctx context.Context, tx *db.Tx, ev stripe.Event, d dispute) (string, string, error) {
	var userID, held int64
	err := tx.QueryRowContext(ctx, `SELECT COALESCE(user_id, 0), held_cents FROM disputes WHERE id = $1`+s.DB.ForUpdate(), d.ID).Scan(&userID, &held)
	if err != nil {
		return EventMismatch, "no open dispute " + d.ID, nil
	}
	won := d.Status == "won" || d.Status == "warning_closed"
	if held > 0 {
		to := ledger.Wallet(userID)
		memo := "Dispute won: held money released"
		if !won {
			to, memo = ledger.StripeClearing(), "Dispute lost: held money returned to the card holder's bank"
		}
		if _, err := s.Ledger.Post(ctx, tx, ledger.Transfer{
			Key: "dispute-release:" + d.ID, Type: ledger.TypeDisputeRelease,
			Postings:  []ledger.Posting{{Account: ledger.Hold(userID), Amount: -held}, {Account: to, Amount: held}},
			CauseType: "dispute", CauseID: d.ID, StripeEventID: ev.ID, Memo: memo,
		}); err != nil {
			return "", "", err
		}
	}
	if _, err := tx.ExecContext(ctx, `UPDATE disputes SET status = $1, updated_at = $2 WHERE id = $3`, d.Status, db.Millis(s.Clock.Now()), d.ID); err != nil {
		return "", "", err
	}
	err = audit.Record(ctx, tx, audit.Entry{Action: "wallet.dispute_closed", Model: "dispute", ObjectID: d.ID,
		Details: map[string]any{"event": ev.ID, "status": d.Status, "held_cents": held}, At: s.Clock.Now()})
	return EventProcessed, "dispute " + d.Status, err
}

func (s *Service) topUpOfDispute(ctx context.Context, tx *db.Tx, d dispute) (TopUp, error) {
	if d.PaymentIntent != "" {
		if t, err := getTopUp(ctx, tx, "payment_intent_id = $1", "", string(d.PaymentIntent)); err == nil {
			return t, nil
		}
	}
	return TopUp{}, fmt.Errorf("no top-up paid with %q", string(d.PaymentIntent))
}
