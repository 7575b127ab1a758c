package payout

import (
	"context"

	"github.com/soulseer/soulseer/internal/payment"
)

// Gateway is the part of Stripe Connect payouts use. StripeGateway talks to
// Stripe (or stripe-mock); TestGateway is the built-in test mode used when
// no Stripe key is configured.
type Gateway interface {
	// Mode is "stripe" or "test".
	Mode() string
	// CreateAccount opens an Express account for reader userID, once per
	// reader: a repeat returns the same account.
	CreateAccount(ctx context.Context, userID int64, email string) (string, error)
	// OnboardingLink returns a one-time address where the account's owner
	// gives Stripe what it needs. Stripe sends the browser to refreshURL
	// when the link has expired and to returnURL when they are done.
	OnboardingLink(ctx context.Context, accountID, refreshURL, returnURL string) (string, error)
	// Account reads what Stripe knows of the account now.
	Account(ctx context.Context, accountID string) (AccountState, error)
	// Transfer sends money to a connected account. The request's
	// idempotency key makes a repeat transfer at most once. An error
	// wrapping payment.ErrRefused means no transfer was made; any other
	// error leaves the outcome unknown.
	Transfer(ctx context.Context, req TransferRequest) (string, error)
}

// ErrRefused is payment.ErrRefused: a definite refusal, after which the
// money may go back to the reader's earnings.
var ErrRefused = payment.ErrRefused

// AccountState is what Stripe says of a connected account.
type AccountState struct {
	ID               string
	DetailsSubmitted bool
	PayoutsEnabled   bool
	Requirements     []string // fields Stripe needs now (currently_due)
	DisabledReason   string
}

// TransferRequest moves AmountCents to the connected account Destination.
type TransferRequest struct {
	PayoutID       int64
	Destination    string
	AmountCents    int64
	IdempotencyKey string
}
