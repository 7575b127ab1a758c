package payout_test

import (
	"encoding/json"
	"strconv"
	"testing"
	"time"

	"github.com/stripe/stripe-go/v85/webhook"

	"github.com/soulseer/soulseer/internal/account"
	"github.com/soulseer/soulseer/internal/apptest"
	"github.com/soulseer/soulseer/internal/config"
	"github.com/soulseer/soulseer/internal/db/dbtest"
	"github.com/soulseer/soulseer/internal/ledger"
	"github.com/soulseer/soulseer/internal/payout"
	"github.com/soulseer/soulseer/internal/stripetest"
)

// EXT-3 SEC-4: through the running app and Stripe's signed webhooks at
// /stripe/webhook/ (against stripe-mock): account.updated enables a
// reader's payouts and records what Stripe needs, a payout is transferred,
// transfer.reversed returns its money to earnings once however often it
// is delivered, and the ledger balances.
func TestConnectWebhooks_EXT3(t *testing.T) {
	url := stripetest.Start(t)
	for _, e := range dbtest.Engines() {
		t.Run(string(e), func(t *testing.T) {
			t.Parallel()
			s := apptest.Start(t, e, apptest.WithManualSweeps(), apptest.WithConfig(func(c *config.Config) {
				c.StripeSecretKey, c.StripeAPIURL, c.StripeWebhookSecret = "sk_test_soulseer", url, "whsec_test_soulseer"
			}))
			r := s.CreateUser("rowan@example.com", account.RoleReader)
			p := s.App.Payouts
			if _, err := p.Onboard(ctx, r); err != nil {
				t.Fatal(err)
			}
			acct, _, err := p.ConnectedAccount(ctx, r.ID)
			if err != nil || acct.Mode != "stripe" {
				t.Fatalf("account %+v %v", acct, err)
			}
			n := 0
			deliver := func(typ string, obj map[string]any, id string) {
				t.Helper()
				if id == "" {
					n++
					id = "evt_connect_" + strconv.Itoa(n)
				}
				b, _ := json.Marshal(map[string]any{"id": id, "object": "event", "type": typ, "api_version": "2025-01-01",
					"created": time.Now().Unix(), "livemode": false, "data": map[string]any{"object": obj}})
				sig := webhook.GenerateTestSignedPayload(&webhook.UnsignedPayload{Payload: b, Secret: "whsec_test_soulseer", Timestamp: time.Now()}).Header
				if res := s.Client().Do("POST", "/stripe/webhook/", b, "Stripe-Signature", sig); res.Status != 200 {
					t.Fatalf("%s: %d %s", typ, res.Status, res.Body)
				}
			}
			deliver("account.updated", map[string]any{"id": acct.StripeAccountID, "object": "account", "payouts_enabled": false,
				"requirements": map[string]any{"currently_due": []string{"external_account", "tos_acceptance.date"}}}, "")
			if got, _, _ := p.ConnectedAccount(ctx, r.ID); got.PayoutsEnabled || len(got.Requirements) != 2 {
				t.Fatalf("after the first account.updated: %+v", got)
			}
			deliver("account.updated", map[string]any{"id": acct.StripeAccountID, "object": "account", "payouts_enabled": true,
				"details_submitted": true, "requirements": map[string]any{"currently_due": []string{}}}, "")
			if got, _, _ := p.ConnectedAccount(ctx, r.ID); !got.PayoutsEnabled || len(got.Requirements) != 0 {
				t.Fatalf("after onboarding: %+v", got)
			}
			if _, err := s.App.Ledger.Transfer(ctx, ledger.Transfer{Key: "connect-earn", Type: ledger.TypeAdjustment,
				Postings: []ledger.Posting{{Account: ledger.Adjustments(), Amount: -30_00}, {Account: ledger.Earnings(r.ID), Amount: 30_00}}}); err != nil {
				t.Fatal(err)
			}
			po, err := p.Pay(ctx, r.ID, 0, 0)
			if err != nil || po.State != payout.Paid || po.StripeTransferID == "" {
				t.Fatalf("pay: %+v %v", po, err)
			}
			reversal := map[string]any{"id": po.StripeTransferID, "object": "transfer", "amount": 30_00, "amount_reversed": 30_00}
			deliver("transfer.reversed", reversal, "evt_reversal")
			deliver("transfer.reversed", reversal, "evt_reversal")       // delivered again
			deliver("transfer.reversed", reversal, "evt_reversal_other") // another event, same reversal
			if got, _ := p.Payout(ctx, po.ID); got.State != payout.Failed {
				t.Fatalf("reversed payout %+v", got)
			}
			bal, err := s.App.Ledger.Balance(ctx, s.App.DB.Read(), ledger.Earnings(r.ID))
			if err != nil || bal != 30_00 {
				t.Fatalf("earnings after the reversal %d (%v), want 3000", bal, err)
			}
			rep, err := ledger.Verify(ctx, s.App.DB)
			if err != nil || len(rep.Problems) > 0 {
				t.Fatalf("ledger verify: %v %v", err, rep.Problems)
			}
		})
	}
}
