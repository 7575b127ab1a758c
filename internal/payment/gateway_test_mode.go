package payment

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"time"

	"github.com/soulseer/soulseer/internal/clock"
	"github.com/soulseer/soulseer/internal/db"
	"github.com/soulseer/soulseer/internal/ledger"
)

// TestGateway stands in for Stripe when no Stripe key is configured
// (WAL-10): its checkout is a page of SoulSeer's own, clearly labelled as
// test mode, and the charges it "makes" are recorded locally so refunds and
// reconciliation work end to end.
type TestGateway struct {
	DB      *db.DB
	Clock   clock.Clock
	BaseURL string
}

// Mode reports "test".
func (g *TestGateway) Mode() string { return "test" }

func testID(prefix string) string {
	b := make([]byte, 12)
	_, _ = rand.Read(b)
	return prefix + "_test_local_" + hex.EncodeToString(b)
}

// CreateCheckout returns the built-in test checkout page for the top-up.
func (g *TestGateway) CreateCheckout(_ context.Context, req CheckoutRequest) (Checkout, error) {
	id := testID("cs")
	return Checkout{SessionID: id, URL: g.BaseURL + "/wallet/test-checkout/" + id}, nil
}

// charge records a simulated card payment, under an idempotency key when
// key is not nil, and returns its payment intent id.
func (g *TestGateway) charge(ctx context.Context, tx *db.Tx, amount int64, key any) (string, error) {
	pi := testID("pi")
	_, err := tx.ExecContext(ctx, `INSERT INTO test_charges (id, payment_intent_id, amount_cents, created_at, idempotency_key) VALUES ($1, $2, $3, $4, $5)`,
		testID("ch"), pi, amount, db.Millis(g.Clock.Now()), key)
	if err != nil {
		return "", fmt.Errorf("payment: test charge: %w", err)
	}
	return pi, nil
}

// Refund marks part of a simulated charge refunded, once per idempotency
// key as Stripe does: a repeat returns the first refund. More than is left
// of the charge is refused (ErrRefused).
func (g *TestGateway) Refund(ctx context.Context, req RefundRequest) (RefundResult, error) {
	var res RefundResult
	err := g.DB.Tx(ctx, func(tx *db.Tx) error {
		prior, ok, err := findTestRefund(ctx, tx, req)
		if err != nil || ok {
			res = prior
			return err
		}
		u, err := tx.ExecContext(ctx, `UPDATE test_charges SET refunded_cents = refunded_cents + $1
			WHERE payment_intent_id = $2 AND refunded_cents + $1 <= amount_cents`, req.AmountCents, req.PaymentIntentID)
		if err != nil {
			return err
		}
		if n, _ := u.RowsAffected(); n != 1 {
			return fmt.Errorf("payment: test refund: %w: no charge of %s has %s left to refund", ErrRefused, req.PaymentIntentID, ledger.FormatCents(req.AmountCents))
		}
		res = RefundResult{ID: testID("re"), Status: "succeeded"}
		_, err = tx.ExecContext(ctx, `INSERT INTO test_refunds (id, payment_intent_id, idempotency_key, amount_cents, created_at) VALUES ($1, $2, $3, $4, $5)`,
			res.ID, req.PaymentIntentID, req.IdempotencyKey, req.AmountCents, db.Millis(g.Clock.Now()))
		return err
	})
	if err != nil {
		return RefundResult{}, err
	}
	return res, nil
}

// FindRefund returns the simulated refund made with req's idempotency key.
func (g *TestGateway) FindRefund(ctx context.Context, req RefundRequest) (RefundResult, bool, error) {
	return findTestRefund(ctx, g.DB.Read(), req)
}

func findTestRefund(ctx context.Context, q db.Querier, req RefundRequest) (RefundResult, bool, error) {
	var id string
	err := q.QueryRowContext(ctx, `SELECT id FROM test_refunds WHERE idempotency_key = $1 AND payment_intent_id = $2`,
		req.IdempotencyKey, req.PaymentIntentID).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return RefundResult{}, false, nil
	}
	if err != nil {
		return RefundResult{}, false, fmt.Errorf("payment: find test refund: %w", err)
	}
	return RefundResult{ID: id, Status: "succeeded"}, true, nil
}

// Charges lists the simulated charges created in [from, to).
func (g *TestGateway) Charges(ctx context.Context, from, to time.Time) ([]Charge, error) {
	rows, err := g.DB.Read().QueryContext(ctx, `SELECT id, payment_intent_id, amount_cents, refunded_cents, created_at
		FROM test_charges WHERE created_at >= $1 AND created_at < $2 ORDER BY created_at`, db.Millis(from), db.Millis(to))
	if err != nil {
		return nil, fmt.Errorf("payment: test charges: %w", err)
	}
	defer rows.Close()
	var out []Charge
	for rows.Next() {
		var c Charge
		var created int64
		if err := rows.Scan(&c.ID, &c.PaymentIntentID, &c.AmountCents, &c.RefundedCents, &created); err != nil {
			return nil, err
		}
		c.Created = db.Time(created)
		out = append(out, c)
	}
	return out, rows.Err()
}
