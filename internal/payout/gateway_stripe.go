package payout

import (
	"context"
	"fmt"
	"strconv"

	"github.com/stripe/stripe-go/v85"

	"github.com/soulseer/soulseer/internal/payment"
)

// StripeGateway is the Gateway backed by Stripe Connect.
type StripeGateway struct {
	client *stripe.Client
}

// NewStripeGateway returns a gateway using secretKey; apiURL overrides the
// API base URL (stripe-mock in tests), empty means Stripe.
func NewStripeGateway(secretKey, apiURL string) *StripeGateway {
	return &StripeGateway{client: payment.NewStripeClient(secretKey, apiURL)}
}

// Mode reports "stripe".
func (g *StripeGateway) Mode() string { return "stripe" }

// CreateAccount creates an Express account that takes transfers, tagged
// with the reader's id; the idempotency key is the reader, so a repeat
// after a lost answer opens no second account.
func (g *StripeGateway) CreateAccount(ctx context.Context, userID int64, email string) (string, error) {
	id := strconv.FormatInt(userID, 10)
	params := &stripe.AccountCreateParams{
		Type:     stripe.String(string(stripe.AccountTypeExpress)),
		Metadata: map[string]string{"soulseer_user_id": id},
		Capabilities: &stripe.AccountCreateCapabilitiesParams{
			Transfers: &stripe.AccountCreateCapabilitiesTransfersParams{Requested: stripe.Bool(true)},
		},
	}
	if email != "" {
		params.Email = stripe.String(email)
	}
	params.SetIdempotencyKey("soulseer-connect-" + id)
	a, err := g.client.V1Accounts.Create(ctx, params)
	if err != nil {
		return "", fmt.Errorf("payout: stripe account: %w", err)
	}
	return a.ID, nil
}

// OnboardingLink creates an account_onboarding AccountLink.
func (g *StripeGateway) OnboardingLink(ctx context.Context, accountID, refreshURL, returnURL string) (string, error) {
	l, err := g.client.V1AccountLinks.Create(ctx, &stripe.AccountLinkCreateParams{
		Account:    stripe.String(accountID),
		RefreshURL: stripe.String(refreshURL),
		ReturnURL:  stripe.String(returnURL),
		Type:       stripe.String("account_onboarding"),
	})
	if err != nil {
		return "", fmt.Errorf("payout: stripe account link: %w", err)
	}
	return l.URL, nil
}

// Account retrieves the account from Stripe.
func (g *StripeGateway) Account(ctx context.Context, accountID string) (AccountState, error) {
	a, err := g.client.V1Accounts.GetByID(ctx, accountID, nil)
	if err != nil {
		return AccountState{}, fmt.Errorf("payout: stripe account %s: %w", accountID, err)
	}
	return stateOf(a), nil
}

// stateOf reads what payouts need from a Stripe account.
func stateOf(a *stripe.Account) AccountState {
	st := AccountState{ID: a.ID, DetailsSubmitted: a.DetailsSubmitted, PayoutsEnabled: a.PayoutsEnabled}
	if a.Requirements != nil {
		st.Requirements = a.Requirements.CurrentlyDue
		st.DisabledReason = string(a.Requirements.DisabledReason)
	}
	return st
}

// Transfer creates a Stripe Transfer in the wallet currency, tagged with
// the payout (metadata and transfer group), under the request's
// idempotency key. Stripe forgets idempotency keys after a day, so a
// transfer already made for the payout — found by its group and metadata
// — is answered first, whenever the payout is sent again. A 4xx answer
// other than a rate limit or a conflict is a definite refusal
// (ErrRefused).
func (g *StripeGateway) Transfer(ctx context.Context, req TransferRequest) (string, error) {
	id := strconv.FormatInt(req.PayoutID, 10)
	list := &stripe.TransferListParams{TransferGroup: stripe.String("payout-" + id)}
	list.Limit = stripe.Int64(10)
	for t, err := range g.client.V1Transfers.List(ctx, list).All(ctx) {
		if err != nil {
			return "", fmt.Errorf("payout: stripe transfers of payout %s: %w", id, err)
		}
		if t.TransferGroup == "payout-"+id && t.Metadata["soulseer_payout_id"] == id {
			return t.ID, nil
		}
	}
	params := &stripe.TransferCreateParams{
		Amount:        stripe.Int64(req.AmountCents),
		Currency:      stripe.String(payment.Currency),
		Destination:   stripe.String(req.Destination),
		TransferGroup: stripe.String("payout-" + id),
		Metadata:      map[string]string{"soulseer_payout_id": id},
	}
	params.SetIdempotencyKey(req.IdempotencyKey)
	t, err := g.client.V1Transfers.Create(ctx, params)
	if err != nil && payment.Permanent(err) {
		return "", fmt.Errorf("payout: stripe transfer: %w: %w", ErrRefused, err)
	}
	if err != nil {
		return "", fmt.Errorf("payout: stripe transfer: %w", err)
	}
	return t.ID, nil
}
