package payment

import (
	"context"
	"errors"
	"fmt"
	"strconv"

	"github.com/stripe/stripe-go/v85"
)

// CreateCustomer creates the user's Stripe Customer, tagged with the user
// id; the idempotency key makes a retried request create one customer.
func (g *StripeGateway) CreateCustomer(ctx context.Context, req CustomerRequest) (string, error) {
	id := strconv.FormatInt(req.UserID, 10)
	params := &stripe.CustomerCreateParams{Metadata: map[string]string{"user_id": id}}
	if req.Email != "" {
		params.Email = stripe.String(req.Email)
	}
	params.SetIdempotencyKey("soulseer-customer-" + id)
	c, err := g.client.V1Customers.Create(ctx, params)
	if err != nil {
		return "", fmt.Errorf("payment: stripe customer: %w", err)
	}
	return c.ID, nil
}

// CreateCardSetup creates a Stripe Checkout Session in setup mode that
// saves a card to the customer, tagged with the user id (the session and
// its SetupIntent).
func (g *StripeGateway) CreateCardSetup(ctx context.Context, req CardSetupRequest) (Checkout, error) {
	tag := map[string]string{"user_id": strconv.FormatInt(req.UserID, 10)}
	params := &stripe.CheckoutSessionCreateParams{
		Mode:               stripe.String(string(stripe.CheckoutSessionModeSetup)),
		Customer:           stripe.String(req.CustomerID),
		Currency:           stripe.String(Currency),
		PaymentMethodTypes: stripe.StringSlice([]string{"card"}),
		SuccessURL:         stripe.String(req.SuccessURL),
		CancelURL:          stripe.String(req.CancelURL),
		Metadata:           tag,
		SetupIntentData:    &stripe.CheckoutSessionCreateSetupIntentDataParams{Metadata: tag},
	}
	s, err := g.client.V1CheckoutSessions.Create(ctx, params)
	if err != nil {
		return Checkout{}, fmt.Errorf("payment: stripe card setup: %w", err)
	}
	return Checkout{SessionID: s.ID, URL: s.URL}, nil
}

// SetupCard reads the SetupIntent with its payment method expanded.
func (g *StripeGateway) SetupCard(ctx context.Context, setupIntentID string) (Card, error) {
	params := &stripe.SetupIntentRetrieveParams{}
	params.AddExpand("payment_method")
	si, err := g.client.V1SetupIntents.Retrieve(ctx, setupIntentID, params)
	if err != nil {
		return Card{}, fmt.Errorf("payment: stripe setup intent %s: %w", setupIntentID, err)
	}
	if si.PaymentMethod == nil || si.PaymentMethod.ID == "" {
		return Card{}, fmt.Errorf("payment: stripe setup intent %s saved no payment method", setupIntentID)
	}
	c := Card{PaymentMethodID: si.PaymentMethod.ID}
	if pm := si.PaymentMethod.Card; pm != nil {
		c.Brand, c.Last4 = string(pm.Brand), pm.Last4
	}
	return c, nil
}

// ChargeCard creates and confirms an off-session PaymentIntent for the
// top-up, tagged with the top-up id, under req's idempotency key. A card
// error, or any other definite refusal (a payment method no longer
// attached), is a *Declined.
func (g *StripeGateway) ChargeCard(ctx context.Context, req CardChargeRequest) (CardChargeResult, error) {
	params := &stripe.PaymentIntentCreateParams{
		Amount:        stripe.Int64(req.AmountCents),
		Currency:      stripe.String(req.Currency),
		Customer:      stripe.String(req.CustomerID),
		PaymentMethod: stripe.String(req.PaymentMethodID),
		Confirm:       stripe.Bool(true),
		OffSession:    stripe.Bool(true),
		Description:   stripe.String("SoulSeer wallet auto-reload"),
		Metadata:      map[string]string{"topup_id": strconv.FormatInt(req.TopUpID, 10)},
	}
	params.SetIdempotencyKey(req.IdempotencyKey)
	pi, err := g.client.V1PaymentIntents.Create(ctx, params)
	var se *stripe.Error
	if errors.As(err, &se) && (se.Type == stripe.ErrorTypeCard || Permanent(err)) {
		d := &Declined{Reason: refusalReason(string(se.Type), string(se.Code), se.Msg)}
		if se.PaymentIntent != nil {
			d.PaymentIntentID = se.PaymentIntent.ID
		}
		return CardChargeResult{}, d
	}
	if err != nil {
		return CardChargeResult{}, fmt.Errorf("payment: stripe card charge: %w", err)
	}
	return CardChargeResult{PaymentIntentID: pi.ID, Status: string(pi.Status), AmountCents: pi.Amount}, nil
}
