package payment

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"strconv"
	"strings"
	"time"

	"github.com/stripe/stripe-go/v85"

	"github.com/soulseer/soulseer/internal/account"
	"github.com/soulseer/soulseer/internal/apperr"
	"github.com/soulseer/soulseer/internal/clock"
	"github.com/soulseer/soulseer/internal/db"
	"github.com/soulseer/soulseer/internal/job"
	"github.com/soulseer/soulseer/internal/ledger"
	"github.com/soulseer/soulseer/internal/redirect"
)

// Currency is the one currency wallets hold.
const Currency = "usd"

// Service runs top-ups, webhooks, refunds, adjustments and reconciliation.
type Service struct {
	DB            *db.DB
	Clock         clock.Clock
	Ledger        *ledger.Ledger
	Gateway       Gateway
	Jobs          *job.Queue
	Log           *slog.Logger
	BaseURL       string
	WebhookSecret string
	MinTopUp      int64
	MaxTopUp      int64
	// Credited, when set, runs in the transaction that credits a top-up to
	// the wallet, after the credit: what the top-up was for (a shop order
	// paid by card) is paid there, so the money never sits between the
	// two. An error undoes the credit, and Stripe's event is retried.
	Credited func(ctx context.Context, tx *db.Tx, t TopUp) error
	// CatalogChanged, when set, takes the product.* and price.* events of
	// the Stripe catalog in the event's transaction and returns a note for
	// the event's record; without it they are ignored.
	CatalogChanged func(ctx context.Context, tx *db.Tx, ev stripe.Event) (string, error)
	// ConnectChanged, when set, takes the Connect events of readers'
	// payouts (account.updated, transfer.reversed) in the event's
	// transaction and returns a note for the event's record; without it
	// they are ignored.
	ConnectChanged func(ctx context.Context, tx *db.Tx, ev stripe.Event) (string, error)
	// CardSetUp, when set, takes a completed card-saving page (see
	// StartCardSetup) in the event's transaction and returns a note for
	// the event's record; an apperr.NotFound says no one asked for the
	// page, recorded as a mismatch. Without it such pages are ignored.
	CardSetUp func(ctx context.Context, tx *db.Tx, c CardSetup) (string, error)
	// CardSettled, when set, runs in the transaction that settles a top-up
	// charged to a saved card (see ChargeCard): after its credit to the
	// wallet, with failure "", or when the card was refused, with failure
	// saying why for the card holder. An error undoes the settling.
	CardSettled func(ctx context.Context, tx *db.Tx, t TopUp, failure string) error
}

// TopUp statuses.
const (
	TopUpPending    = "pending"    // checkout created, not paid yet
	TopUpProcessing = "processing" // paid with a delayed method; waiting for Stripe to confirm
	TopUpPaid       = "paid"       // credited to the wallet
	TopUpFailed     = "failed"
	TopUpExpired    = "expired"
)

// TopUp is one attempt to add money to a wallet.
type TopUp struct {
	ID                int64
	UserID            int64
	AmountCents       int64
	Currency          string
	Status            string
	Mode              string
	CheckoutSessionID string
	CheckoutURL       string
	ReturnPath        string // where the browser goes after paying or cancelling
	PaymentIntentID   string
	CreditedCents     int64
	RefundedCents     int64
	CreatedAt         time.Time
	PaidAt            time.Time
}

// Refundable is how much of the top-up may still go back to the card.
func (t TopUp) Refundable() int64 { return t.CreditedCents - t.RefundedCents }

const topUpColumns = `id, COALESCE(user_id, 0), amount_cents, currency, status, mode, COALESCE(checkout_session_id, ''), checkout_url, return_path,
	COALESCE(payment_intent_id, ''), credited_cents, refunded_cents, created_at, paid_at`

func scanTopUp(row interface{ Scan(...any) error }) (TopUp, error) {
	var t TopUp
	var created int64
	var paid sql.NullInt64
	err := row.Scan(&t.ID, &t.UserID, &t.AmountCents, &t.Currency, &t.Status, &t.Mode, &t.CheckoutSessionID, &t.CheckoutURL, &t.ReturnPath,
		&t.PaymentIntentID, &t.CreditedCents, &t.RefundedCents, &created, &paid)
	if err != nil {
		return TopUp{}, err
	}
	t.CreatedAt, t.PaidAt = db.Time(created), db.NullTime(paid)
	return t, nil
}

func getTopUp(ctx context.Context, q db.Querier, where, lock string, arg any) (TopUp, error) {
	t, err := scanTopUp(q.QueryRowContext(ctx, "SELECT "+topUpColumns+" FROM topups WHERE "+where+lock, arg))
	if errors.Is(err, sql.ErrNoRows) {
		return TopUp{}, apperr.Errorf(apperr.NotFound, "No such top-up.")
	}
	if err != nil {
		return TopUp{}, fmt.Errorf("payment: get top-up: %w", err)
	}
	return t, nil
}

// ValidateAmount checks a top-up amount against the configured limits.
func (s *Service) ValidateAmount(cents int64) error {
	if cents < s.MinTopUp || cents > s.MaxTopUp {
		return apperr.Validation(map[string]string{"amount_cents": fmt.Sprintf("Top up between %s and %s.",
			ledger.FormatCents(s.MinTopUp), ledger.FormatCents(s.MaxTopUp))})
	}
	return nil
}

// CreateTopUp starts a top-up: a pending record and a checkout page — Stripe
// Checkout, or the built-in test page in test mode (WAL-4, WAL-10). After
// paying (or cancelling) the browser returns to returnPath, a path on this
// site without a query, such as a reading room; anything else (another
// site, by any spelling) means the wallet.
func (s *Service) CreateTopUp(ctx context.Context, u account.User, cents int64, returnPath string) (TopUp, error) {
	if err := s.ValidateAmount(cents); err != nil {
		return TopUp{}, err
	}
	return s.createTopUp(ctx, u, cents, returnPath, CheckoutRequest{})
}

// MinCardPayment is the least a card payment for a purchase may be: the
// smallest charge Stripe makes in dollars.
const MinCardPayment int64 = 50

// CreatePurchaseTopUp starts a top-up that pays for a purchase (a shop
// order): its checkout page lists what lines buy instead of a top-up and
// closes at expires, and the amount is bounded by what a card can pay
// (MinCardPayment) and the largest top-up, not the smallest. The purchase
// is paid from the wallet once the top-up is credited (see Credited).
func (s *Service) CreatePurchaseTopUp(ctx context.Context, u account.User, cents int64, returnPath string, lines []CheckoutLine, expires time.Time) (TopUp, error) {
	if cents < MinCardPayment || cents > s.MaxTopUp {
		return TopUp{}, apperr.Errorf(apperr.Unprocessable, "A card pays between %s and %s here; pay from your wallet instead.",
			ledger.FormatCents(MinCardPayment), ledger.FormatCents(s.MaxTopUp))
	}
	return s.createTopUp(ctx, u, cents, returnPath, CheckoutRequest{Lines: lines, ExpiresAt: expires})
}

// createTopUp records a top-up of cents and opens its checkout page, shaped
// by page's lines and expiry.
func (s *Service) createTopUp(ctx context.Context, u account.User, cents int64, returnPath string, page CheckoutRequest) (TopUp, error) {
	// The checkout adds its own query to the path.
	if returnPath = redirect.Local(returnPath, "/wallet"); strings.ContainsAny(returnPath, "?#") {
		returnPath = "/wallet"
	}
	var id int64
	err := s.DB.Tx(ctx, func(tx *db.Tx) error {
		return tx.QueryRowContext(ctx, `INSERT INTO topups (user_id, amount_cents, currency, mode, return_path, created_at) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`,
			u.ID, cents, Currency, s.Gateway.Mode(), returnPath, db.Millis(s.Clock.Now())).Scan(&id)
	})
	if err != nil {
		return TopUp{}, fmt.Errorf("payment: create top-up: %w", err)
	}
	page.TopUpID, page.AmountCents, page.Currency, page.CustomerEmail = id, cents, Currency, u.Email
	page.SuccessURL = s.BaseURL + returnPath + "?topup=" + strconv.FormatInt(id, 10)
	page.CancelURL = s.BaseURL + returnPath + "?cancelled=" + strconv.FormatInt(id, 10)
	co, err := s.Gateway.CreateCheckout(ctx, page)
	if err != nil {
		s.Log.Error("checkout creation failed", "topup", id, "err", err)
		_ = s.setStatus(ctx, id, TopUpFailed)
		return TopUp{}, apperr.Errorf(apperr.Unavailable, "We could not reach the payment provider. Please try again in a moment.")
	}
	var t TopUp
	err = s.DB.Tx(ctx, func(tx *db.Tx) error {
		if _, err := tx.ExecContext(ctx, `UPDATE topups SET checkout_session_id = $1, checkout_url = $2 WHERE id = $3`, co.SessionID, co.URL, id); err != nil {
			return err
		}
		var err error
		t, err = getTopUp(ctx, tx, "id = $1", "", id)
		return err
	})
	if err != nil {
		return TopUp{}, fmt.Errorf("payment: save checkout: %w", err)
	}
	return t, nil
}

func (s *Service) setStatus(ctx context.Context, id int64, status string) error {
	return s.DB.Tx(ctx, func(tx *db.Tx) error {
		_, err := tx.ExecContext(ctx, `UPDATE topups SET status = $1 WHERE id = $2`, status, id)
		return err
	})
}

// TopUp returns one of the user's top-ups (admins may read any).
func (s *Service) TopUp(ctx context.Context, viewer account.User, id int64) (TopUp, error) {
	t, err := getTopUp(ctx, s.DB.Read(), "id = $1", "", id)
	if err != nil {
		return TopUp{}, err
	}
	if t.UserID != viewer.ID && viewer.Role != account.RoleAdmin {
		return TopUp{}, apperr.Errorf(apperr.NotFound, "No such top-up.")
	}
	return t, nil
}

// TopUpBySession returns the top-up paid through a checkout session.
func (s *Service) TopUpBySession(ctx context.Context, sessionID string) (TopUp, error) {
	return getTopUp(ctx, s.DB.Read(), "checkout_session_id = $1", "", sessionID)
}

// TopUps lists a user's top-ups, newest first (all users' when userID is 0).
func (s *Service) TopUps(ctx context.Context, userID int64, limit int) ([]TopUp, error) {
	if limit <= 0 || limit > 200 {
		limit = 50
	}
	where, args := "", []any{}
	if userID != 0 {
		where, args = "WHERE user_id = $1 ", []any{userID}
	}
	rows, err := s.DB.Read().QueryContext(ctx, "SELECT "+topUpColumns+" FROM topups "+where+fmt.Sprintf("ORDER BY id DESC LIMIT %d", limit), args...)
	if err != nil {
		return nil, fmt.Errorf("payment: list top-ups: %w", err)
	}
	defer rows.Close()
	var out []TopUp
	for rows.Next() {
		t, err := scanTopUp(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, t)
	}
	return out, rows.Err()
}
