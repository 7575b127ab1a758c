package payment

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"time"

	"github.com/stripe/stripe-go/v85"
)

// StripeGateway is the Gateway backed by the Stripe API.
type StripeGateway struct {
	client *stripe.Client
}

// NewStripeGateway returns a gateway using secretKey. apiURL overrides the
// API base URL (stripe-mock in tests, or a proxy); empty means Stripe.
func NewStripeGateway(secretKey, apiURL string) *StripeGateway {
	return &StripeGateway{client: NewStripeClient(secretKey, apiURL)}
}

// NewStripeClient returns the Stripe API client every part of SoulSeer
// that talks to Stripe uses: 30-second requests, two retries on network
// failures, no logging of its own. apiURL overrides the API base URL
// (stripe-mock in tests, or a proxy); empty means Stripe.
func NewStripeClient(secretKey, apiURL string) *stripe.Client {
	cfg := &stripe.BackendConfig{
		HTTPClient:        &http.Client{Timeout: 30 * time.Second},
		LeveledLogger:     &stripe.LeveledLogger{Level: stripe.LevelNull},
		MaxNetworkRetries: stripe.Int64(2),
	}
	if apiURL != "" {
		cfg.URL = stripe.String(apiURL)
	}
	return stripe.NewClient(secretKey, stripe.WithBackends(stripe.NewBackendsWithConfig(cfg)))
}

// Mode reports "stripe".
func (g *StripeGateway) Mode() string { return "stripe" }

// CreateCheckout creates a Stripe Checkout Session in payment mode for the
// top-up amount, tagged with the top-up id, listing req's lines (or one
// line, the top-up).
func (g *StripeGateway) CreateCheckout(ctx context.Context, req CheckoutRequest) (Checkout, error) {
	id := strconv.FormatInt(req.TopUpID, 10)
	params := &stripe.CheckoutSessionCreateParams{
		Mode:              stripe.String(string(stripe.CheckoutSessionModePayment)),
		SuccessURL:        stripe.String(req.SuccessURL),
		CancelURL:         stripe.String(req.CancelURL),
		ClientReferenceID: stripe.String(id),
		Metadata:          map[string]string{"topup_id": id},
	}
	lines := req.Lines
	if len(lines) == 0 {
		lines = []CheckoutLine{{Name: "SoulSeer wallet top-up", UnitCents: req.AmountCents, Quantity: 1}}
	}
	for _, l := range lines {
		params.LineItems = append(params.LineItems, &stripe.CheckoutSessionCreateLineItemParams{
			Quantity: stripe.Int64(l.Quantity),
			PriceData: &stripe.CheckoutSessionCreateLineItemPriceDataParams{
				Currency:    stripe.String(req.Currency),
				UnitAmount:  stripe.Int64(l.UnitCents),
				ProductData: &stripe.CheckoutSessionCreateLineItemPriceDataProductDataParams{Name: stripe.String(l.Name)},
			},
		})
	}
	if !req.ExpiresAt.IsZero() {
		params.ExpiresAt = stripe.Int64(req.ExpiresAt.Unix())
	}
	if req.CustomerEmail != "" {
		params.CustomerEmail = stripe.String(req.CustomerEmail)
	}
	params.SetIdempotencyKey("soulseer-topup-" + id)
	s, err := g.client.V1CheckoutSessions.Create(ctx, params)
	if err != nil {
		return Checkout{}, fmt.Errorf("payment: stripe checkout: %w", err)
	}
	return Checkout{SessionID: s.ID, URL: s.URL}, nil
}

// refundKeyMetadata is the metadata field that carries a refund's
// idempotency key, so FindRefund can recognise it at Stripe.
const refundKeyMetadata = "soulseer_refund_key"

// Refund creates a Stripe refund against the payment intent, tagged with
// its idempotency key. A 4xx answer other than a rate limit or a conflict
// is a definite refusal (ErrRefused).
func (g *StripeGateway) Refund(ctx context.Context, req RefundRequest) (RefundResult, error) {
	params := &stripe.RefundCreateParams{
		PaymentIntent: stripe.String(req.PaymentIntentID),
		Amount:        stripe.Int64(req.AmountCents),
		Metadata:      map[string]string{refundKeyMetadata: req.IdempotencyKey},
	}
	params.SetIdempotencyKey(req.IdempotencyKey)
	r, err := g.client.V1Refunds.Create(ctx, params)
	if err != nil && Permanent(err) {
		return RefundResult{}, fmt.Errorf("payment: stripe refund: %w: %w", ErrRefused, err)
	}
	if err != nil {
		return RefundResult{}, fmt.Errorf("payment: stripe refund: %w", err)
	}
	return RefundResult{ID: r.ID, Status: string(r.Status)}, nil
}

// FindRefund lists the payment intent's refunds at Stripe and returns the
// one tagged with req's idempotency key.
func (g *StripeGateway) FindRefund(ctx context.Context, req RefundRequest) (RefundResult, bool, error) {
	params := &stripe.RefundListParams{PaymentIntent: stripe.String(req.PaymentIntentID)}
	params.Limit = stripe.Int64(100)
	for r, err := range g.client.V1Refunds.List(ctx, params).All(ctx) {
		if err != nil {
			return RefundResult{}, false, fmt.Errorf("payment: stripe refunds: %w", err)
		}
		if r.Metadata[refundKeyMetadata] == req.IdempotencyKey && r.Status != stripe.RefundStatusFailed && r.Status != stripe.RefundStatusCanceled {
			return RefundResult{ID: r.ID, Status: string(r.Status)}, true, nil
		}
	}
	return RefundResult{}, false, nil
}

// Charges lists successful charges created in [from, to).
func (g *StripeGateway) Charges(ctx context.Context, from, to time.Time) ([]Charge, error) {
	params := &stripe.ChargeListParams{CreatedRange: &stripe.RangeQueryParams{
		GreaterThanOrEqual: from.Unix(), LesserThan: to.Unix(),
	}}
	params.Limit = stripe.Int64(100)
	var out []Charge
	for c, err := range g.client.V1Charges.List(ctx, params).All(ctx) {
		if err != nil {
			return nil, fmt.Errorf("payment: stripe charges: %w", err)
		}
		if c.Status != stripe.ChargeStatusSucceeded || !c.Paid {
			continue
		}
		ch := Charge{ID: c.ID, AmountCents: c.Amount, RefundedCents: c.AmountRefunded, Created: time.Unix(c.Created, 0).UTC()}
		if c.PaymentIntent != nil {
			ch.PaymentIntentID = c.PaymentIntent.ID
		}
		out = append(out, ch)
	}
	return out, nil
}

// Permanent reports whether a Stripe error will not go away on retry (a bad
// request rather than a network problem, rate limit or Stripe outage): a
// definite refusal (ErrRefused) of a refund or a payout's transfer.
func Permanent(err error) bool {
	var se *stripe.Error
	if !errors.As(err, &se) {
		return false
	}
	return se.HTTPStatusCode >= 400 && se.HTTPStatusCode < 500 && se.HTTPStatusCode != http.StatusTooManyRequests &&
		se.HTTPStatusCode != http.StatusConflict
}
