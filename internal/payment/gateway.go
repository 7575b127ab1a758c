// Package payment brings money into and out of SoulSeer through Stripe:
// wallet top-ups with Stripe Checkout, the webhook that credits them exactly
// once, refunds to the card or the wallet, admin adjustments, card disputes
// and the monthly reconciliation against Stripe (WAL-4 … WAL-10). Every
// movement goes through the ledger.
package payment

import (
	"context"
	"errors"
	"time"
)

// Gateway is the part of Stripe SoulSeer uses. StripeGateway talks to Stripe
// (or stripe-mock); TestGateway is the built-in test mode used when no
// Stripe key is configured (WAL-10).
type Gateway interface {
	// Mode is "stripe" or "test".
	Mode() string
	// CreateCheckout starts a hosted payment page for a top-up.
	CreateCheckout(ctx context.Context, req CheckoutRequest) (Checkout, error)
	// Refund sends money back to the card that paid a top-up. An error
	// wrapping ErrRefused means no refund was made; any other error leaves
	// the outcome unknown.
	Refund(ctx context.Context, req RefundRequest) (RefundResult, error)
	// FindRefund looks for the refund made earlier with req's idempotency
	// key, for when Refund's answer was lost or is in doubt. ok is false
	// when the payment has no such refund.
	FindRefund(ctx context.Context, req RefundRequest) (res RefundResult, ok bool, err error)
	// Charges lists successful card charges created in [from, to).
	Charges(ctx context.Context, from, to time.Time) ([]Charge, error)
	// CreateCustomer creates a user's Customer, to which the cards they
	// save belong.
	CreateCustomer(ctx context.Context, req CustomerRequest) (string, error)
	// CreateCardSetup starts a hosted page on which a customer saves a
	// card for charges made while they are away (a Checkout Session in
	// setup mode).
	CreateCardSetup(ctx context.Context, req CardSetupRequest) (Checkout, error)
	// SetupCard returns the card a completed setup (a SetupIntent) saved.
	SetupCard(ctx context.Context, setupIntentID string) (Card, error)
	// ChargeCard charges a saved card while its holder is away (an
	// off-session PaymentIntent, confirmed at once). A *Declined error is
	// a definite refusal of the card; any other error leaves the outcome
	// unknown, and asking again with the same idempotency key is safe.
	ChargeCard(ctx context.Context, req CardChargeRequest) (CardChargeResult, error)
}

// ErrRefused marks a definite refusal from the payment provider (a bad
// request, an amount above what is left to refund): nothing happened there,
// and asking again will not change it. Only such an answer lets a refund be
// given back to the wallet.
var ErrRefused = errors.New("refused by the payment provider")

// CheckoutRequest describes the payment page for one top-up.
type CheckoutRequest struct {
	TopUpID       int64
	AmountCents   int64
	Currency      string
	CustomerEmail string
	SuccessURL    string
	CancelURL     string
	// Lines, when given, is what the page lists instead of a top-up: what
	// the money buys (a shop order's products). Their sum is AmountCents.
	Lines []CheckoutLine
	// ExpiresAt, when set, closes the page (Stripe takes 30 minutes to
	// 24 hours from now).
	ExpiresAt time.Time
}

// CheckoutLine is one line of a checkout page: a product and how many.
type CheckoutLine struct {
	Name      string
	UnitCents int64
	Quantity  int64
}

// Checkout is a created payment page.
type Checkout struct {
	SessionID string
	URL       string
}

// RefundRequest refunds part or all of a payment. The idempotency key makes
// a retried request refund at most once.
type RefundRequest struct {
	PaymentIntentID string
	AmountCents     int64
	IdempotencyKey  string
}

// RefundResult is Stripe's answer to a refund.
type RefundResult struct {
	ID     string
	Status string
}

// Charge is a successful card payment as Stripe records it.
type Charge struct {
	ID              string
	PaymentIntentID string
	AmountCents     int64
	RefundedCents   int64
	Created         time.Time
}

// CustomerRequest describes the Customer of one user.
type CustomerRequest struct {
	UserID int64
	Email  string
}

// CardSetupRequest describes the page on which a customer saves a card.
type CardSetupRequest struct {
	UserID     int64
	CustomerID string
	SuccessURL string
	CancelURL  string
}

// Card is a saved card: the payment method to charge and what identifies
// it to its holder.
type Card struct {
	PaymentMethodID string
	Brand           string // "visa", "mastercard", …
	Last4           string
}

// CardChargeRequest charges a top-up's amount to a saved card. The
// idempotency key makes a retried request charge at most once.
type CardChargeRequest struct {
	TopUpID         int64
	CustomerID      string
	PaymentMethodID string
	AmountCents     int64
	Currency        string
	IdempotencyKey  string
}

// CardChargeResult is the payment provider's answer to a card charge: the
// PaymentIntent and its status ("succeeded", or one that a webhook
// settles later, such as "processing").
type CardChargeResult struct {
	PaymentIntentID string
	Status          string
	AmountCents     int64
}

// Declined is a card charge the card's issuer or the payment provider
// refused for good (declined, or a bank asking its holder to confirm, which
// cannot happen while they are away): nothing was charged.
type Declined struct {
	PaymentIntentID string // the refused PaymentIntent, when one was made
	Reason          string // for the card holder, e.g. "Your card was declined."
}

func (d *Declined) Error() string { return "payment: card charge refused: " + d.Reason }
