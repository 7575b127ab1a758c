package payment

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"

	"github.com/soulseer/soulseer/internal/db"
)

// CreateCustomer returns a new test-mode customer id.
func (g *TestGateway) CreateCustomer(context.Context, CustomerRequest) (string, error) {
	return testID("cus"), nil
}

// CreateCardSetup records a built-in test page for saving a card (WAL-10,
// WAL-12) and returns its address; after it the browser goes to the
// request's success or cancel address on this site.
func (g *TestGateway) CreateCardSetup(ctx context.Context, req CardSetupRequest) (Checkout, error) {
	id := testID("cs")
	err := g.DB.Tx(ctx, func(tx *db.Tx) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO test_card_setups (session_id, user_id, customer_id, success_path, cancel_path, created_at)
			VALUES ($1, $2, $3, $4, $5, $6)`, id, req.UserID, req.CustomerID,
			strings.TrimPrefix(req.SuccessURL, g.BaseURL), strings.TrimPrefix(req.CancelURL, g.BaseURL), db.Millis(g.Clock.Now()))
		return err
	})
	if err != nil {
		return Checkout{}, fmt.Errorf("payment: test card setup: %w", err)
	}
	return Checkout{SessionID: id, URL: g.BaseURL + "/wallet/test-card/" + id}, nil
}

// SetupCard returns the test card saved with the setup intent.
func (g *TestGateway) SetupCard(ctx context.Context, setupIntentID string) (Card, error) {
	c := Card{Brand: "visa"}
	err := g.DB.Read().QueryRowContext(ctx, `SELECT payment_method_id, card_last4 FROM test_card_setups WHERE setup_intent_id = $1`,
		setupIntentID).Scan(&c.PaymentMethodID, &c.Last4)
	if err != nil {
		return Card{}, fmt.Errorf("payment: test setup intent %s: %w", setupIntentID, err)
	}
	return c, nil
}

// ChargeCard charges a saved test card: a card saved as one that declines
// is refused; any other is charged at once, a simulated charge recorded
// once per idempotency key as Stripe makes one PaymentIntent per key.
func (g *TestGateway) ChargeCard(ctx context.Context, req CardChargeRequest) (CardChargeResult, error) {
	var declines bool
	err := g.DB.Read().QueryRowContext(ctx, `SELECT declines FROM test_card_setups WHERE payment_method_id = $1 AND customer_id = $2`,
		req.PaymentMethodID, req.CustomerID).Scan(&declines)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return CardChargeResult{}, &Declined{PaymentIntentID: testID("pi"), Reason: "Your saved card can no longer be charged."}
	case err != nil:
		return CardChargeResult{}, fmt.Errorf("payment: test card charge: %w", err)
	case declines:
		return CardChargeResult{}, &Declined{PaymentIntentID: testID("pi"), Reason: "Your card was declined."}
	}
	var pi string
	err = g.DB.Tx(ctx, func(tx *db.Tx) error {
		err := tx.QueryRowContext(ctx, `SELECT payment_intent_id FROM test_charges WHERE idempotency_key = $1`, req.IdempotencyKey).Scan(&pi)
		if !errors.Is(err, sql.ErrNoRows) {
			return err
		}
		pi, err = g.charge(ctx, tx, req.AmountCents, req.IdempotencyKey)
		return err
	})
	if err != nil {
		return CardChargeResult{}, fmt.Errorf("payment: test card charge: %w", err)
	}
	return CardChargeResult{PaymentIntentID: pi, Status: "succeeded", AmountCents: req.AmountCents}, nil
}
