package payout

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/soulseer/soulseer/internal/clock"
	"github.com/soulseer/soulseer/internal/db"
)

// TestGateway stands in for Stripe Connect when no Stripe key is
// configured: onboarding is a page of SoulSeer's own, clearly labelled as
// test mode, and the transfers it "makes" are recorded locally, once per
// idempotency key as Stripe does.
type TestGateway struct {
	DB      *db.DB
	Clock   clock.Clock
	BaseURL string
}

// TestOnboardingPath is the built-in test onboarding page.
const TestOnboardingPath = "/reader/payouts/test-onboarding"

// Mode reports "test".
func (g *TestGateway) Mode() string { return "test" }

// CreateAccount names the reader's test account after the reader, so a
// repeat returns the same account.
func (g *TestGateway) CreateAccount(_ context.Context, userID int64, _ string) (string, error) {
	return "acct_test_local_" + strconv.FormatInt(userID, 10), nil
}

// OnboardingLink returns the built-in test onboarding page.
func (g *TestGateway) OnboardingLink(context.Context, string, string, string) (string, error) {
	return g.BaseURL + TestOnboardingPath, nil
}

// Account returns the test account as onboarding left it.
func (g *TestGateway) Account(ctx context.Context, accountID string) (AccountState, error) {
	st := AccountState{ID: accountID}
	var reqs string
	err := g.DB.Read().QueryRowContext(ctx, `SELECT details_submitted, payouts_enabled, requirements, disabled_reason FROM payout_accounts WHERE stripe_account_id = $1`,
		accountID).Scan(&st.DetailsSubmitted, &st.PayoutsEnabled, &reqs, &st.DisabledReason)
	if err != nil {
		return AccountState{}, fmt.Errorf("payout: test account %s: %w", accountID, err)
	}
	st.Requirements = strings.Fields(reqs)
	return st, nil
}

// Transfer records a simulated transfer, or returns the one recorded
// earlier under the same idempotency key. An account that does not take
// payouts refuses it (ErrRefused), as Stripe refuses a transfer to an
// account without the transfers capability.
func (g *TestGateway) Transfer(ctx context.Context, req TransferRequest) (string, error) {
	var id string
	err := g.DB.Tx(ctx, func(tx *db.Tx) error {
		err := tx.QueryRowContext(ctx, `SELECT id FROM test_transfers WHERE idempotency_key = $1`, req.IdempotencyKey).Scan(&id)
		if !errors.Is(err, sql.ErrNoRows) {
			return err
		}
		var enabled bool
		err = tx.QueryRowContext(ctx, `SELECT payouts_enabled FROM payout_accounts WHERE stripe_account_id = $1`, req.Destination).Scan(&enabled)
		if err != nil && !errors.Is(err, sql.ErrNoRows) {
			return err
		}
		if !enabled {
			return fmt.Errorf("payout: test transfer: %w: account %s does not take transfers", ErrRefused, req.Destination)
		}
		b := make([]byte, 12)
		_, _ = rand.Read(b)
		id = "tr_test_local_" + hex.EncodeToString(b)
		_, err = tx.ExecContext(ctx, `INSERT INTO test_transfers (id, idempotency_key, destination, amount_cents, created_at) VALUES ($1, $2, $3, $4, $5)`,
			id, req.IdempotencyKey, req.Destination, req.AmountCents, db.Millis(g.Clock.Now()))
		return err
	})
	if err != nil {
		return "", err
	}
	return id, nil
}
