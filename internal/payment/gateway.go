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
