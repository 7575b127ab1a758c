package payment

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

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
	EventParked    = "parked"    // it is about an object that has not arrived yet; applied when it does
)

// effect is what applying an event did: its outcome and a note for the
// record, the Stripe object a parked event waits for, and the objects the
// event made known (events parked on them can now be applied).
type effect struct {
	outcome, note string
	awaits        string
	known         []string
}

func processed(note string, known ...string) effect {
	return effect{outcome: EventProcessed, note: note, known: known}
}

func mismatch(note string) effect { return effect{outcome: EventMismatch, note: note} }

// parked is the effect of an event that needs object (a payment intent or
// dispute id) to arrive first.
func parked(object, note string) effect {
	return effect{outcome: EventParked, note: note, awaits: object}
}

// WebhookResult says what happened to a delivered event.
type WebhookResult struct {
	EventID   string
	Type      string
	Duplicate bool // the event was processed before; nothing was done
	Outcome   string
	Note      string
}

var errBadSignature = apperr.Errorf(apperr.Invalid, "The webhook signature is invalid, too old or dated in the future.")

// SignatureSkew is how far a webhook signature's timestamp may lie from
// SoulSeer's clock, either way: an older one may be a replayed delivery, a
// later one was made to outlive the age limit.
const SignatureSkew = 5 * time.Minute

// HandleWebhook verifies a Stripe webhook delivery and applies it exactly
// once (WAL-5): the event id is stored in the same transaction as its
// effect, so a repeated or concurrent delivery of the same event finds it
// and changes nothing. A bad signature, wrong secret, tampered body, or a
// signature timestamp more than SignatureSkew before or after the service's
// clock is an Invalid error (HTTP 400) that records nothing (SEC-5); a
// database failure is an error
// too (HTTP 500, so Stripe delivers again). Everything else is answered
// successfully: an event about an object that has not arrived yet (a
// dispute closed before it was opened, a refund before the top-up's
// completion) is parked and applied when the object arrives; an event that
// is unknown or contradicts SoulSeer's records is recorded without moving
// money.
func (s *Service) HandleWebhook(ctx context.Context, payload []byte, signature string) (WebhookResult, error) {
	// stripe-go bounds only the signature's age, against the wall clock;
	// both bounds are checked here against the service's clock instead.
	ev, err := webhook.ConstructEventWithOptions(payload, signature, s.WebhookSecret,
		webhook.ConstructEventOptions{IgnoreAPIVersionMismatch: true, IgnoreTolerance: true})
	if err == nil {
		err = s.checkSignatureTime(signature)
	}
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
		eff, err := s.settleEvent(ctx, tx, ev)
		res.Outcome, res.Note = eff.outcome, eff.note
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

// checkSignatureTime refuses a verified Stripe-Signature header whose
// timestamp is more than SignatureSkew away from the service's clock. The
// timestamp is read as stripe-go's verifier reads it: the last t= pair.
func (s *Service) checkSignatureTime(header string) error {
	var signed int64
	for _, pair := range strings.Split(header, ",") {
		if k, v, _ := strings.Cut(pair, "="); k == "t" {
			var err error
			if signed, err = strconv.ParseInt(v, 10, 64); err != nil {
				return fmt.Errorf("payment: signature timestamp %q: %w", v, err)
			}
		}
	}
	off := time.Unix(signed, 0).Sub(s.Clock.Now())
	if off > SignatureSkew || off < -SignatureSkew {
		return fmt.Errorf("payment: signature timestamp %s away from now", off)
	}
	return nil
}

// settleEvent applies a stored event, records its outcome, and applies the
// events that were parked waiting for what it made known.
func (s *Service) settleEvent(ctx context.Context, tx *db.Tx, ev stripe.Event) (effect, error) {
	eff, err := s.apply(ctx, tx, ev)
	if apperr.CodeOf(err) == apperr.Conflict {
		// The ledger already holds this effect with other amounts: the
		// event contradicts an earlier one. Recorded, not redelivered.
		eff, err = mismatch(err.Error()), nil
	}
	if err != nil {
		return effect{}, err
	}
	if err := recordOutcome(ctx, tx, ev.ID, eff); err != nil {
		return effect{}, err
	}
	return eff, s.releaseParked(ctx, tx, eff.known)
}

// apply performs an event's effect inside the event's transaction and says
// how it went. Only database failures are errors.
func (s *Service) apply(ctx context.Context, tx *db.Tx, ev stripe.Event) (effect, error) {
	raw := ev.Data.Raw
	switch ev.Type {
	case "checkout.session.completed", "checkout.session.async_payment_succeeded", "checkout.session.async_payment_failed", "checkout.session.expired":
		var cs checkoutSession
		if err := json.Unmarshal(raw, &cs); err != nil || cs.ID == "" {
			return mismatch("unreadable checkout session"), nil
		}
		if cs.Mode == "setup" {
			return s.applyCardSetup(ctx, tx, ev, cs)
		}
		return s.applyCheckout(ctx, tx, ev, cs)
	case "payment_intent.succeeded", "payment_intent.payment_failed":
		var pi paymentIntent
		if err := json.Unmarshal(raw, &pi); err != nil || pi.ID == "" {
			return mismatch("unreadable payment intent"), nil
		}
		return s.applyPaymentIntent(ctx, tx, ev, pi)
	case "charge.refunded":
		var ch charge
		if err := json.Unmarshal(raw, &ch); err != nil || ch.ID == "" {
			return mismatch("unreadable charge"), nil
		}
		return s.applyChargeRefunded(ctx, tx, ev, ch)
	case "charge.dispute.created", "charge.dispute.closed":
		var d dispute
		if err := json.Unmarshal(raw, &d); err != nil || d.ID == "" {
			return mismatch("unreadable dispute"), nil
		}
		if ev.Type == "charge.dispute.created" {
			return s.applyDisputeCreated(ctx, tx, ev, d)
		}
		return s.applyDisputeClosed(ctx, tx, ev, d)
	case "product.created", "product.updated", "product.deleted", "price.created", "price.updated", "price.deleted":
		if s.CatalogChanged != nil {
			note, err := s.CatalogChanged(ctx, tx, ev)
			return processed(note), err
		}
	case "account.updated", "transfer.reversed":
		if s.ConnectChanged != nil {
			note, err := s.ConnectChanged(ctx, tx, ev)
			return processed(note), err
		}
	}
	return effect{outcome: EventIgnored, note: "event type not used"}, nil
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
	Mode              string            `json:"mode"` // "payment" (a top-up) or "setup" (a card saved)
	SetupIntent       expandable        `json:"setup_intent"`
	Customer          expandable        `json:"customer"`
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
// or records that it is processing, failed or expired. A session SoulSeer
// did not save (the process stopped between creating it at Stripe and
// saving its id) is found by the top-up id in its metadata; events parked
// on the payment intent it paid with are released.
func (s *Service) applyCheckout(ctx context.Context, tx *db.Tx, ev stripe.Event, cs checkoutSession) (effect, error) {
	t, err := s.topUpOfSession(ctx, tx, cs)
	if apperr.CodeOf(err) == apperr.NotFound {
		return mismatch("no top-up has Checkout Session " + cs.ID), nil
	}
	if err != nil {
		return effect{}, err
	}
	setStatus := func(st string) error {
		_, err := tx.ExecContext(ctx, `UPDATE topups SET status = $1 WHERE id = $2 AND status IN ('pending', 'processing')`, st, t.ID)
		return err
	}
	switch {
	case ev.Type == "checkout.session.expired":
		return processed("checkout expired"), setStatus(TopUpExpired)
	case ev.Type == "checkout.session.async_payment_failed":
		return processed("delayed payment failed"), setStatus(TopUpFailed)
	case ev.Type == "checkout.session.completed" && cs.PaymentStatus != "paid":
		return processed("payment not settled yet (" + cs.PaymentStatus + ")"), setStatus(TopUpProcessing)
	}
	// checkout.session.completed with payment_status "paid", or
	// checkout.session.async_payment_succeeded.
	if cs.Currency != "" && cs.Currency != t.Currency {
		return mismatch(fmt.Sprintf("currency %s does not match top-up %d (%s)", cs.Currency, t.ID, t.Currency)), nil
	}
	if cs.AmountTotal <= 0 || cs.AmountTotal > ledger.MaxAmount {
		return mismatch(fmt.Sprintf("amount_total %d is not a valid amount", cs.AmountTotal)), nil
	}
	if t.Status == TopUpPaid {
		return processed(fmt.Sprintf("top-up %d already credited", t.ID)), nil
	}
	err = s.creditTopUp(ctx, tx, t, cs.AmountTotal, string(cs.PaymentIntent), ev.ID, "Wallet top-up")
	if apperr.CodeOf(err) == apperr.Conflict {
		return mismatch(fmt.Sprintf("top-up %d was already credited with a different amount", t.ID)), nil
	}
	if err != nil {
		return effect{}, err
	}
	if s.Credited != nil {
		t.Status, t.CreditedCents = TopUpPaid, cs.AmountTotal
		if err := s.Credited(ctx, tx, t); err != nil {
			return effect{}, err
		}
	}
	note := fmt.Sprintf("credited %s to top-up %d", ledger.FormatCents(cs.AmountTotal), t.ID)
	if cs.AmountTotal != t.AmountCents {
		note += fmt.Sprintf(" (requested %s)", ledger.FormatCents(t.AmountCents))
	}
	if cs.PaymentIntent == "" {
		return processed(note), nil
	}
	return processed(note, string(cs.PaymentIntent)), nil
}

// creditTopUp credits amount of top-up t to its owner's wallet, once (the
// ledger key is the top-up, whichever event or answer brings the money),
// and records the top-up paid with paymentIntent. An apperr.Conflict means
// the top-up was credited before with another amount; nothing changed.
func (s *Service) creditTopUp(ctx context.Context, tx *db.Tx, t TopUp, amount int64, paymentIntent, eventID, memo string) error {
	id := strconv.FormatInt(t.ID, 10)
	_, err := s.Ledger.Post(ctx, tx, ledger.Transfer{
		Key:  "topup:" + id,
		Type: ledger.TypeTopUp,
		Postings: []ledger.Posting{
			{Account: ledger.StripeClearing(), Amount: -amount},
			{Account: ledger.Wallet(t.UserID), Amount: amount},
		},
		CauseType: "topup", CauseID: id, StripeEventID: eventID, Memo: memo,
	})
	if err != nil {
		return err
	}
	_, err = tx.ExecContext(ctx, `UPDATE topups SET status = 'paid', credited_cents = $1, paid_at = $2, payment_intent_id = $3 WHERE id = $4`,
		amount, db.Millis(s.Clock.Now()), nullString(paymentIntent), t.ID)
	return err
}

// topUpOfSession finds the top-up a Checkout Session pays, locked: by the
// session id, or by the top-up id in the session's metadata when the
// session id was never saved (Stripe mode only).
func (s *Service) topUpOfSession(ctx context.Context, tx *db.Tx, cs checkoutSession) (TopUp, error) {
	t, err := getTopUp(ctx, tx, "checkout_session_id = $1", s.DB.ForUpdate(), cs.ID)
	if apperr.CodeOf(err) != apperr.NotFound {
		return t, err
	}
	id, perr := strconv.ParseInt(cs.Metadata["topup_id"], 10, 64)
	if perr != nil || id <= 0 {
		return TopUp{}, err
	}
	t, err = getTopUp(ctx, tx, "id = $1 AND checkout_session_id IS NULL AND mode = 'stripe'", s.DB.ForUpdate(), id)
	if err != nil {
		return TopUp{}, err
	}
	_, err = tx.ExecContext(ctx, `UPDATE topups SET checkout_session_id = $1 WHERE id = $2`, cs.ID, t.ID)
	t.CheckoutSessionID = cs.ID
	return t, err
}

func nullString(s string) any {
	if s == "" {
		return nil
	}
	return s
}

// topUpPaidWith finds the top-up paid with a payment intent, locked, after
// taking the intent's key lock so that an event waiting for the top-up and
// the top-up's completion never miss each other. NotFound means the top-up
// has not been completed (yet).
func (s *Service) topUpPaidWith(ctx context.Context, tx *db.Tx, paymentIntent string) (TopUp, error) {
	if err := s.DB.LockKey(ctx, tx, "stripe:"+paymentIntent); err != nil {
		return TopUp{}, err
	}
	return getTopUp(ctx, tx, "payment_intent_id = $1", s.DB.ForUpdate(), paymentIntent)
}

// applyChargeRefunded takes money refunded from Stripe's side (e.g. in the
// Stripe dashboard) out of the wallet. Refunds SoulSeer made itself are
// already counted in refunded_cents, so they are not taken twice. The wallet
// never goes negative: a shortfall is recorded for the admins. A refund of a
// top-up whose completion has not arrived yet waits for it.
func (s *Service) applyChargeRefunded(ctx context.Context, tx *db.Tx, ev stripe.Event, ch charge) (effect, error) {
	if ch.PaymentIntent == "" {
		return mismatch("charge has no payment intent"), nil
	}
	t, err := s.topUpPaidWith(ctx, tx, string(ch.PaymentIntent))
	if apperr.CodeOf(err) == apperr.NotFound {
		return parked(string(ch.PaymentIntent), "waiting for the top-up paid with "+string(ch.PaymentIntent)), nil
	}
	if err != nil {
		return effect{}, err
	}
	newly := min(ch.AmountRefunded, t.CreditedCents) - t.RefundedCents
	if newly <= 0 {
		return processed("refund already accounted for"), nil
	}
	bal, err := s.Ledger.Balance(ctx, tx, ledger.Wallet(t.UserID))
	if err != nil {
		return effect{}, err
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
			return effect{}, err
		}
	}
	if _, err := tx.ExecContext(ctx, `UPDATE topups SET refunded_cents = refunded_cents + $1 WHERE id = $2`, newly, t.ID); err != nil {
		return effect{}, err
	}
	note := fmt.Sprintf("card refund of %s on top-up %d taken from the wallet", ledger.FormatCents(take), t.ID)
	if take < newly {
		note += fmt.Sprintf("; %s could not be taken (wallet held only %s)", ledger.FormatCents(newly-take), ledger.FormatCents(bal))
	}
	err = audit.Record(ctx, tx, audit.Entry{Action: "wallet.card_refund_external", Model: "topup", ObjectID: strconv.FormatInt(t.ID, 10),
		Details: map[string]any{"event": ev.ID, "refunded_cents": newly, "taken_cents": take}, At: s.Clock.Now()})
	return processed(note), err
}

// applyDisputeCreated holds the disputed amount back from the wallet (as much
// as it still holds), so it cannot be spent while the bank decides. A
// dispute of a top-up whose completion has not arrived yet waits for it;
// once opened, events parked on the dispute are released.
func (s *Service) applyDisputeCreated(ctx context.Context, tx *db.Tx, ev stripe.Event, d dispute) (effect, error) {
	if d.PaymentIntent == "" {
		return mismatch("dispute " + d.ID + " names no payment intent"), nil
	}
	t, err := s.topUpPaidWith(ctx, tx, string(d.PaymentIntent))
	if apperr.CodeOf(err) == apperr.NotFound {
		return parked(string(d.PaymentIntent), "waiting for the top-up paid with "+string(d.PaymentIntent)), nil
	}
	if err != nil {
		return effect{}, err
	}
	if err := s.DB.LockKey(ctx, tx, "stripe:"+d.ID); err != nil {
		return effect{}, err
	}
	var opened int
	if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM disputes WHERE id = $1`, d.ID).Scan(&opened); err != nil {
		return effect{}, err
	}
	if opened > 0 {
		return processed("dispute " + d.ID + " already opened"), nil
	}
	bal, err := s.Ledger.Balance(ctx, tx, ledger.Wallet(t.UserID))
	if err != nil {
		return effect{}, err
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
			return effect{}, err
		}
	}
	now := db.Millis(s.Clock.Now())
	if _, err := tx.ExecContext(ctx, `INSERT INTO disputes (id, topup_id, user_id, amount_cents, held_cents, status, created_at, updated_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $7) ON CONFLICT (id) DO NOTHING`, d.ID, t.ID, t.UserID, d.Amount, hold, d.Status, now); err != nil {
		return effect{}, err
	}
	err = audit.Record(ctx, tx, audit.Entry{Action: "wallet.dispute_hold", Model: "dispute", ObjectID: d.ID,
		Details: map[string]any{"event": ev.ID, "topup": t.ID, "user": t.UserID, "disputed_cents": d.Amount, "held_cents": hold}, At: s.Clock.Now()})
	return processed(fmt.Sprintf("held %s of %s disputed on top-up %d", ledger.FormatCents(hold), ledger.FormatCents(d.Amount), t.ID), d.ID), err
}

// applyDisputeClosed releases the held money back to the wallet when the
// dispute is won, or lets it go to the card holder's bank when it is lost.
// A dispute closed before SoulSeer saw it opened waits for the opening.
func (s *Service) applyDisputeClosed(ctx context.Context, tx *db.Tx, ev stripe.Event, d dispute) (effect, error) {
	if err := s.DB.LockKey(ctx, tx, "stripe:"+d.ID); err != nil {
		return effect{}, err
	}
	var userID, held int64
	var status string
	err := tx.QueryRowContext(ctx, `SELECT COALESCE(user_id, 0), held_cents, status FROM disputes WHERE id = $1`+s.DB.ForUpdate(), d.ID).Scan(&userID, &held, &status)
	if errors.Is(err, sql.ErrNoRows) {
		return parked(d.ID, "waiting for dispute "+d.ID+" to be opened"), nil
	}
	if err != nil {
		return effect{}, err
	}
	if closedDispute(status) {
		return processed("dispute " + d.ID + " already closed (" + status + ")"), nil
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
			return effect{}, err
		}
	}
	if _, err := tx.ExecContext(ctx, `UPDATE disputes SET status = $1, updated_at = $2 WHERE id = $3`, d.Status, db.Millis(s.Clock.Now()), d.ID); err != nil {
		return effect{}, err
	}
	err = audit.Record(ctx, tx, audit.Entry{Action: "wallet.dispute_closed", Model: "dispute", ObjectID: d.ID,
		Details: map[string]any{"event": ev.ID, "status": d.Status, "held_cents": held}, At: s.Clock.Now()})
	return processed("dispute " + d.Status), err
}

// closedDispute reports whether a dispute status is final.
func closedDispute(status string) bool {
	return status == "won" || status == "lost" || status == "warning_closed"
}
