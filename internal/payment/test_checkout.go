package payment

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/stripe/stripe-go/v85"
	"github.com/stripe/stripe-go/v85/webhook"

	"github.com/soulseer/soulseer/internal/account"
	"github.com/soulseer/soulseer/internal/apperr"
	"github.com/soulseer/soulseer/internal/db"
)

// WebhookSecret returns the configured signing secret, or — in test mode
// without one — the secret kept in the data dir, generated on first use so
// it survives restarts.
func WebhookSecret(configured, dataDir string) (string, error) {
	if configured != "" {
		return configured, nil
	}
	path := filepath.Join(dataDir, "stripe-webhook-secret")
	if b, err := os.ReadFile(path); err == nil && strings.HasPrefix(string(b), "whsec_") {
		return strings.TrimSpace(string(b)), nil
	}
	raw := make([]byte, 24)
	if _, err := rand.Read(raw); err != nil {
		return "", err
	}
	secret := "whsec_" + hex.EncodeToString(raw)
	if err := os.MkdirAll(dataDir, 0o750); err != nil {
		return "", err
	}
	if err := os.WriteFile(path, []byte(secret+"\n"), 0o600); err != nil {
		return "", fmt.Errorf("payment: keep webhook secret: %w", err)
	}
	return secret, nil
}

// PayTestCheckout is the "Pay" button of the built-in test checkout page
// (WAL-10): it records a simulated card charge and delivers a signed
// checkout.session.completed event through the same verification path as a
// real Stripe webhook. Paying a session twice changes nothing.
func (s *Service) PayTestCheckout(ctx context.Context, u account.User, sessionID string) (TopUp, error) {
	tg, ok := s.Gateway.(*TestGateway)
	if !ok {
		return TopUp{}, apperr.Errorf(apperr.NotFound, "The test checkout is only available in test mode.")
	}
	t, err := s.TopUpBySession(ctx, sessionID)
	if err != nil || t.UserID != u.ID {
		return TopUp{}, apperr.Errorf(apperr.NotFound, "No such checkout.")
	}
	if t.Status != TopUpPending {
		return t, nil
	}
	var pi string
	err = s.DB.Tx(ctx, func(tx *db.Tx) error {
		// Claim the session so a double click does not charge twice.
		r, err := tx.ExecContext(ctx, `UPDATE topups SET status = 'processing' WHERE id = $1 AND status = 'pending'`, t.ID)
		if err != nil {
			return err
		}
		if n, _ := r.RowsAffected(); n == 0 {
			return errAlreadyPaying
		}
		pi, err = tg.charge(ctx, tx, t.AmountCents, nil)
		return err
	})
	if errors.Is(err, errAlreadyPaying) {
		return s.TopUp(ctx, u, t.ID)
	}
	if err != nil {
		return TopUp{}, err
	}
	if err := s.deliverTestEvent(ctx, "checkout.session.completed", testSession(t, pi)); err != nil {
		return TopUp{}, err
	}
	return s.TopUp(ctx, u, t.ID)
}

var errAlreadyPaying = errors.New("payment: checkout already being paid")

// testSession is the paid Checkout Session Stripe would report for the
// top-up.
func testSession(t TopUp, paymentIntent string) map[string]any {
	id := strconv.FormatInt(t.ID, 10)
	return map[string]any{
		"id": t.CheckoutSessionID, "object": "checkout.session", "mode": "payment", "amount_total": t.AmountCents, "currency": t.Currency,
		"payment_status": "paid", "status": "complete", "payment_intent": paymentIntent,
		"client_reference_id": id, "metadata": map[string]string{"topup_id": id}, "livemode": false,
	}
}

// deliverTestEvent builds the event of type typ about object that Stripe
// would send, signs it with the webhook secret and delivers it through the
// same verification path as Stripe's (WAL-10).
func (s *Service) deliverTestEvent(ctx context.Context, typ string, object map[string]any) error {
	obj, err := json.Marshal(object)
	if err != nil {
		return err
	}
	now := s.Clock.Now()
	payload, err := json.Marshal(map[string]any{
		"id": testID("evt"), "object": "event", "api_version": stripe.APIVersion, "created": now.Unix(),
		"type": typ, "livemode": false, "data": map[string]any{"object": json.RawMessage(obj)},
	})
	if err != nil {
		return err
	}
	// The verifier checks the signature's timestamp against the same clock.
	signed := webhook.GenerateTestSignedPayload(&webhook.UnsignedPayload{Payload: payload, Secret: s.WebhookSecret, Timestamp: now})
	_, err = s.HandleWebhook(ctx, signed.Payload, signed.Header)
	return err
}
