package payment_test

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/stripe/stripe-go/v85/webhook"

	"github.com/soulseer/soulseer/internal/account"
	"github.com/soulseer/soulseer/internal/apperr"
	"github.com/soulseer/soulseer/internal/apptest"
	"github.com/soulseer/soulseer/internal/audit"
	"github.com/soulseer/soulseer/internal/clock"
	"github.com/soulseer/soulseer/internal/config"
	"github.com/soulseer/soulseer/internal/db/dbtest"
	"github.com/soulseer/soulseer/internal/ledger"
	"github.com/soulseer/soulseer/internal/payment"
	"github.com/soulseer/soulseer/internal/stripetest"
)

// eachEngine runs f against a fresh app on every engine.
func eachEngine(t *testing.T, f func(t *testing.T, s *apptest.Server), opts ...apptest.Option) {
	t.Helper()
	for _, e := range dbtest.Engines() {
		t.Run(string(e), func(t *testing.T) {
			t.Parallel()
			f(t, apptest.Start(t, e, opts...))
		})
	}
}

// withStripeMock points the app's Stripe gateway at a real stripe-mock.
func withStripeMock(t *testing.T) apptest.Option {
	url := stripetest.Start(t)
	return apptest.WithConfig(func(c *config.Config) {
		c.StripeSecretKey, c.StripeAPIURL, c.StripeWebhookSecret = "sk_test_soulseer", url, "whsec_test_soulseer"
	})
}

// event builds a Stripe event delivery.
func event(id, typ string, object map[string]any) []byte {
	b, _ := json.Marshal(map[string]any{"id": id, "object": "event", "type": typ, "api_version": "2025-01-01",
		"created": time.Now().Unix(), "livemode": false, "data": map[string]any{"object": object}})
	return b
}

// sign signs payload like Stripe does.
func sign(payload []byte, secret string, at time.Time) string {
	return webhook.GenerateTestSignedPayload(&webhook.UnsignedPayload{Payload: payload, Secret: secret, Timestamp: at}).Header
}

// deliver posts a signed event to the webhook endpoint and returns the status.
func deliver(t *testing.T, s *apptest.Server, payload []byte) int {
	t.Helper()
	res := s.Client().Do("POST", "/stripe/webhook/", payload, "Stripe-Signature", sign(payload, s.App.Payments.WebhookSecret, time.Now()))
	return res.Status
}

func balance(t *testing.T, s *apptest.Server, r ledger.Ref) int64 {
	t.Helper()
	b, err := s.App.Ledger.Balance(context.Background(), s.App.DB.Read(), r)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func verify(t *testing.T, s *apptest.Server) {
	t.Helper()
	rep, err := ledger.Verify(context.Background(), s.App.DB)
	if err != nil || len(rep.Problems) > 0 {
		t.Fatalf("ledger verify: %v %v", err, rep.Problems)
	}
}

// newTopUp creates a pending top-up for a new client.
func newTopUp(t *testing.T, s *apptest.Server, email string, cents int64) (account.User, payment.TopUp) {
	t.Helper()
	u := s.CreateUser(email, account.RoleClient)
	tu, err := s.App.Payments.CreateTopUp(context.Background(), u, cents, "")
	if err != nil {
		t.Fatal(err)
	}
	return u, tu
}

func completed(evID string, tu payment.TopUp, amount int64, status string) []byte {
	return event(evID, "checkout.session.completed", map[string]any{"id": tu.CheckoutSessionID, "object": "checkout.session",
		"amount_total": amount, "currency": "usd", "payment_status": status, "payment_intent": "pi_" + evID,
		"client_reference_id": strconv.FormatInt(tu.ID, 10)})
}

// WAL-4 EXT-2: top-ups create a Stripe Checkout Session through the real API
// shape (stripe-mock) and return its id and URL.
func TestTopUpCreatesStripeCheckout(t *testing.T) {
	eachEngine(t, func(t *testing.T, s *apptest.Server) {
		c, _ := s.LoginAs("payer@example.com", account.RoleClient)
		res := c.Do("POST", "/api/v1/wallet/topups", map[string]any{"amount_cents": 2500})
		var out struct {
			ID                int64  `json:"id"`
			CheckoutSessionID string `json:"checkout_session_id"`
			CheckoutURL       string `json:"checkout_url"`
			Mode              string `json:"mode"`
		}
		res.JSON(t, &out)
		if res.Status != http.StatusCreated || out.ID == 0 || out.CheckoutSessionID == "" || out.CheckoutURL == "" || out.Mode != "stripe" {
			t.Fatalf("create top-up: %d %s", res.Status, res.Body)
		}
		for _, bad := range []any{map[string]any{"amount_cents": 499}, map[string]any{"amount_cents": 50001}, map[string]any{"amount_cents": "10"}, "{"} {
			if r := c.Do("POST", "/api/v1/wallet/topups", bad); r.Status != http.StatusBadRequest {
				t.Errorf("top-up %v: status %d, want 400 (%s)", bad, r.Status, r.Body)
			}
		}
	}, withStripeMock(t))
}

// WAL-5 SEC-5: only correctly signed, fresh, untampered deliveries are
// accepted; a signature dated in the future is refused like a stale one,
// and a refused delivery records nothing.
func TestWebhookSignature(t *testing.T) {
	eachEngine(t, func(t *testing.T, s *apptest.Server) {
		u, tu := newTopUp(t, s, "sig@example.com", 1000)
		payload := completed("evt_sig", tu, 1000, "paid")
		secret := s.App.Payments.WebhookSecret
		cases := []struct {
			name    string
			body    []byte
			sig     string
			want    int
			credits int64
		}{
			{"wrong secret", payload, sign(payload, "whsec_wrong", time.Now()), 400, 0},
			{"stale timestamp", payload, sign(payload, secret, time.Now().Add(-10*time.Minute)), 400, 0},
			{"dated in the future", payload, sign(payload, secret, time.Now().Add(10*time.Minute)), 400, 0},
			{"tampered body", []byte(string(payload[:len(payload)-1]) + " }"), sign(payload, secret, time.Now()), 400, 0},
			{"no signature", payload, "", 400, 0},
			{"valid", payload, sign(payload, secret, time.Now()), 200, 1000},
		}
		for _, c := range cases {
			res := s.Client().Do("POST", "/stripe/webhook/", c.body, "Stripe-Signature", c.sig)
			if res.Status != c.want {
				t.Fatalf("%s: status %d, want %d (%s)", c.name, res.Status, c.want, res.Body)
			}
			if got := balance(t, s, ledger.Wallet(u.ID)); got != c.credits {
				t.Fatalf("%s: wallet %d, want %d", c.name, got, c.credits)
			}
			if got := storedEvents(t, s); got != c.credits/1000 {
				t.Fatalf("%s: %d events recorded, want %d", c.name, got, c.credits/1000)
			}
		}
	})
}

// storedEvents counts the Stripe events SoulSeer has recorded.
func storedEvents(t *testing.T, s *apptest.Server) int64 {
	t.Helper()
	var n int64
	if err := s.App.DB.Read().QueryRowContext(context.Background(), `SELECT count(*) FROM stripe_events`).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// SEC-5: a webhook signature's timestamp is judged by the service's clock,
// not the wall clock: within 5 minutes of it either way is accepted, 10
// minutes ahead of it or an hour behind it is refused.
func TestWebhookSignatureTimeUsesServiceClock_SEC5(t *testing.T) {
	now := time.Now().Add(time.Hour).Truncate(time.Second)
	eachEngine(t, func(t *testing.T, s *apptest.Server) {
		secret := s.App.Payments.WebhookSecret
		_, tu := newTopUp(t, s, "clock@example.com", 1000)
		payload := completed("evt_clock", tu, 1000, "paid")
		for _, c := range []struct {
			name string
			at   time.Time
			want int
		}{
			{"the wall clock, an hour behind the service", time.Now(), 400},
			{"10 minutes ahead of the service", now.Add(10 * time.Minute), 400},
			{"4 minutes ahead of the service", now.Add(4 * time.Minute), 200},
		} {
			if res := s.Client().Do("POST", "/stripe/webhook/", payload, "Stripe-Signature", sign(payload, secret, c.at)); res.Status != c.want {
				t.Fatalf("signed at %s: status %d, want %d (%s)", c.name, res.Status, c.want, res.Body)
			}
		}
		if got := eventStatus(t, s, "evt_clock"); got != payment.EventProcessed || storedEvents(t, s) != 1 {
			t.Fatalf("the accepted delivery was recorded as %q among %d events", got, storedEvents(t, s))
		}
	}, apptest.WithClock(clock.NewFake(now)))
}

// WAL-5: 100 concurrent deliveries of one event credit exactly once, and the
// ledger entry carries the Stripe event id.
func TestWebhookConcurrentDuplicates(t *testing.T) {
	eachEngine(t, func(t *testing.T, s *apptest.Server) {
		u, tu := newTopUp(t, s, "dup@example.com", 4200)
		payload := completed("evt_dup", tu, 4200, "paid")
		var wg sync.WaitGroup
		statuses := make([]int, 100)
		for i := range statuses {
			wg.Add(1)
			go func() {
				defer wg.Done()
				statuses[i] = deliver(t, s, payload)
			}()
		}
		wg.Wait()
		for i, st := range statuses {
			if st != http.StatusOK {
				t.Fatalf("delivery %d: status %d", i, st)
			}
		}
		if got := balance(t, s, ledger.Wallet(u.ID)); got != 4200 {
			t.Fatalf("wallet = %d after 100 deliveries, want 4200", got)
		}
		entries, err := s.App.Ledger.Entries(context.Background(), ledger.Wallet(u.ID), ledger.EntryFilter{})
		if err != nil || len(entries) != 1 || entries[0].StripeEventID != "evt_dup" || entries[0].Type != ledger.TypeTopUp {
			t.Fatalf("entries = %+v, %v; want one top_up with the event id", entries, err)
		}
		// A second event for the same session (Stripe retrying with a new
		// event id is not a thing, but a replayed session must not double).
		if st := deliver(t, s, completed("evt_dup2", tu, 4200, "paid")); st != 200 || balance(t, s, ledger.Wallet(u.ID)) != 4200 {
			t.Fatalf("second event for a paid session credited again")
		}
		verify(t, s)
	})
}

// WAL-5: unknown and mismatched events are recorded, each with its own
// outcome, and answered 2xx without crediting anything; a signed event that
// merely contradicts an earlier one is recorded too.
func TestWebhookUnknownAndMismatched(t *testing.T) {
	eachEngine(t, func(t *testing.T, s *apptest.Server) {
		u, tu := newTopUp(t, s, "mis@example.com", 1500)
		other, paidTopUp := newTopUp(t, s, "mis2@example.com", 1000)
		deliver(t, s, completed("evt_paid", paidTopUp, 1000, "paid"))
		cases := []struct {
			id      string
			payload []byte
			want    string
		}{
			{"evt_unknown_type", event("evt_unknown_type", "customer.created", map[string]any{"id": "cus_1"}), payment.EventIgnored},
			{"evt_no_session", event("evt_no_session", "checkout.session.completed", map[string]any{"id": "cs_nobody", "amount_total": 1500,
				"currency": "usd", "payment_status": "paid"}), payment.EventMismatch},
			{"evt_currency", event("evt_currency", "checkout.session.completed", map[string]any{"id": tu.CheckoutSessionID, "amount_total": 1500,
				"currency": "eur", "payment_status": "paid"}), payment.EventMismatch},
			{"evt_zero", completed("evt_zero", tu, 0, "paid"), payment.EventMismatch},
			{"evt_unreadable", event("evt_unreadable", "charge.refunded", map[string]any{"amount": 5}), payment.EventMismatch},
			{"evt_no_intent", event("evt_no_intent", "charge.refunded", map[string]any{"id": "ch_2", "amount": 5}), payment.EventMismatch},
			{"evt_twice", completed("evt_twice", paidTopUp, 9000, "paid"), payment.EventProcessed}, // already credited: nothing more
		}
		for _, c := range cases {
			if st := deliver(t, s, c.payload); st != 200 {
				t.Fatalf("%s: status %d, want 200", c.id, st)
			}
			if got := eventStatus(t, s, c.id); got != c.want {
				t.Fatalf("%s recorded as %q, want %q", c.id, got, c.want)
			}
		}
		if got := balance(t, s, ledger.Wallet(u.ID)); got != 0 {
			t.Fatalf("mismatched events credited %d", got)
		}
		if got := balance(t, s, ledger.Wallet(other.ID)); got != 1000 {
			t.Fatalf("a repeated completion changed the wallet to %d", got)
		}
	})
}

// WAL-4: a delayed payment is credited when Stripe confirms it, and a failed
// one never; an expired checkout is marked so.
func TestWebhookAsyncPayments(t *testing.T) {
	eachEngine(t, func(t *testing.T, s *apptest.Server) {
		ctx := context.Background()
		u, ok := newTopUp(t, s, "async@example.com", 2000)
		deliver(t, s, completed("evt_a1", ok, 2000, "unpaid"))
		if got, _ := s.App.Payments.TopUp(ctx, u, ok.ID); got.Status != payment.TopUpProcessing || balance(t, s, ledger.Wallet(u.ID)) != 0 {
			t.Fatalf("unpaid completion: status %s", got.Status)
		}
		deliver(t, s, event("evt_a2", "checkout.session.async_payment_succeeded", map[string]any{"id": ok.CheckoutSessionID,
			"amount_total": 2000, "currency": "usd", "payment_status": "paid", "payment_intent": "pi_async"}))
		if got, _ := s.App.Payments.TopUp(ctx, u, ok.ID); got.Status != payment.TopUpPaid || balance(t, s, ledger.Wallet(u.ID)) != 2000 {
			t.Fatalf("async success: status %s balance %d", got.Status, balance(t, s, ledger.Wallet(u.ID)))
		}
		bad, err := s.App.Payments.CreateTopUp(ctx, u, 3000, "")
		if err != nil {
			t.Fatal(err)
		}
		deliver(t, s, completed("evt_b1", bad, 3000, "unpaid"))
		deliver(t, s, event("evt_b2", "checkout.session.async_payment_failed", map[string]any{"id": bad.CheckoutSessionID,
			"amount_total": 3000, "currency": "usd", "payment_status": "unpaid"}))
		if got, _ := s.App.Payments.TopUp(ctx, u, bad.ID); got.Status != payment.TopUpFailed || balance(t, s, ledger.Wallet(u.ID)) != 2000 {
			t.Fatalf("async failure: status %s", got.Status)
		}
		gone, _ := s.App.Payments.CreateTopUp(ctx, u, 1000, "")
		deliver(t, s, event("evt_c1", "checkout.session.expired", map[string]any{"id": gone.CheckoutSessionID, "currency": "usd"}))
		if got, _ := s.App.Payments.TopUp(ctx, u, gone.ID); got.Status != payment.TopUpExpired {
			t.Fatalf("expired: status %s", got.Status)
		}
		verify(t, s)
	})
}

// paidTopUp pays a test-mode top-up through the built-in checkout.
func paidTopUp(t *testing.T, s *apptest.Server, u account.User, cents int64) payment.TopUp {
	t.Helper()
	tu, err := s.App.Payments.CreateTopUp(context.Background(), u, cents, "")
	if err != nil {
		t.Fatal(err)
	}
	tu, err = s.App.Payments.PayTestCheckout(context.Background(), u, tu.CheckoutSessionID)
	if err != nil || tu.Status != payment.TopUpPaid {
		t.Fatalf("pay test checkout: %+v %v", tu, err)
	}
	return tu
}

// WAL-10: the test-mode checkout credits through a signed webhook, once,
// even when "Pay" is pressed twice, and only for the top-up's owner.
func TestTestModeCheckout(t *testing.T) {
	eachEngine(t, func(t *testing.T, s *apptest.Server) {
		c, u := s.LoginAs("testmode@example.com", account.RoleClient)
		other, _ := s.LoginAs("other@example.com", account.RoleClient)
		tu, err := s.App.Payments.CreateTopUp(context.Background(), u, 1234, "")
		if err != nil || tu.Mode != "test" {
			t.Fatalf("create: %+v %v", tu, err)
		}
		if r := c.Do("GET", "/wallet/test-checkout/"+tu.CheckoutSessionID, nil); r.Status != 200 || !bytes.Contains(r.Body, []byte("Test mode")) {
			t.Fatalf("checkout page: %d", r.Status)
		}
		if r := other.Do("POST", "/wallet/test-checkout/"+tu.CheckoutSessionID+"/pay", nil); r.Status != 404 {
			t.Fatalf("another user paid someone's checkout: %d", r.Status)
		}
		for range 2 {
			if r := c.Do("POST", "/wallet/test-checkout/"+tu.CheckoutSessionID+"/pay", nil); r.Status != http.StatusSeeOther {
				t.Fatalf("pay: %d %s", r.Status, r.Body)
			}
		}
		if got := balance(t, s, ledger.Wallet(u.ID)); got != 1234 {
			t.Fatalf("wallet = %d, want 1234", got)
		}
		var n int
		s.App.DB.Read().QueryRowContext(context.Background(), `SELECT count(*) FROM stripe_events WHERE status = 'processed'`).Scan(&n)
		if n != 1 {
			t.Fatalf("%d processed events, want 1", n)
		}
		verify(t, s)
	})
}

// WAL-7 SEC-4: a card refund takes at most what the wallet still holds of
// the top-up, reaches Stripe (stripe-mock) through a job, and is audited.
func TestCardRefundThroughStripe(t *testing.T) {
	eachEngine(t, func(t *testing.T, s *apptest.Server) {
		ctx := context.Background()
		admin := s.CreateUser("admin@example.com", account.RoleAdmin)
		u, tu := newTopUp(t, s, "refundme@example.com", 5000)
		deliver(t, s, completed("evt_r1", tu, 5000, "paid"))
		if _, err := s.App.Payments.Adjust(ctx, admin, payment.AdjustInput{UserID: u.ID, AmountCents: -2000, Reason: "spent elsewhere"}); err != nil {
			t.Fatal(err)
		}
		in := payment.RefundInput{Kind: payment.RefundCard, TopUpID: tu.ID, AmountCents: 3001, Reason: "unhappy", Key: "k1"}
		if _, err := s.App.Payments.RefundMoney(ctx, admin, in); apperr.CodeOf(err) != apperr.Invalid {
			t.Fatalf("refund above wallet: err %v, want invalid", err)
		}
		in.AmountCents = 3000
		ref, err := s.App.Payments.RefundMoney(ctx, admin, in)
		if err != nil {
			t.Fatal(err)
		}
		again, err := s.App.Payments.RefundMoney(ctx, admin, in) // a double click
		if err != nil || again.ID != ref.ID {
			t.Fatalf("repeated refund request made another refund: %+v %v", again, err)
		}
		if got := balance(t, s, ledger.Wallet(u.ID)); got != 0 {
			t.Fatalf("wallet = %d after refund, want 0", got)
		}
		deadline := time.Now().Add(20 * time.Second)
		for ref.Status == payment.RefundPending && time.Now().Before(deadline) {
			time.Sleep(50 * time.Millisecond)
			ref, _ = s.App.Payments.Refund(ctx, ref.ID)
		}
		if ref.Status != payment.RefundSucceeded || ref.StripeRefundID == "" {
			t.Fatalf("refund = %+v, want succeeded with a Stripe id", ref)
		}
		logs, _ := audit.List(ctx, s.App.DB.Read(), audit.Filter{Action: "wallet.refund_card"})
		if len(logs) != 1 || logs[0].ActorID != admin.ID || logs[0].Details["reason"] != "unhappy" {
			t.Fatalf("audit = %+v", logs)
		}
		// Stripe's own charge.refunded for this refund takes nothing more.
		deliver(t, s, event("evt_r2", "charge.refunded", map[string]any{"id": "ch_1", "amount": 5000, "amount_refunded": 3000, "payment_intent": "pi_evt_r1"}))
		if got := balance(t, s, ledger.Wallet(u.ID)); got != 0 {
			t.Fatalf("charge.refunded took money twice: wallet %d", got)
		}
		verify(t, s)
	}, withStripeMock(t))
}

// WAL-7: a refund made in the Stripe dashboard is taken out of the wallet,
// never below zero.
func TestExternalRefundAndDispute(t *testing.T) {
	eachEngine(t, func(t *testing.T, s *apptest.Server) {
		u, tu := newTopUp(t, s, "ext@example.com", 5000)
		deliver(t, s, completed("evt_e1", tu, 5000, "paid"))
		deliver(t, s, event("evt_e2", "charge.refunded", map[string]any{"id": "ch_e", "amount": 5000, "amount_refunded": 1000, "payment_intent": "pi_evt_e1"}))
		if got := balance(t, s, ledger.Wallet(u.ID)); got != 4000 {
			t.Fatalf("after external refund wallet = %d, want 4000", got)
		}
		// Dispute: the disputed amount is held back, then released when won.
		deliver(t, s, event("evt_d1", "charge.dispute.created", map[string]any{"id": "dp_1", "amount": 2500, "charge": "ch_e", "payment_intent": "pi_evt_e1", "status": "needs_response"}))
		if w, h := balance(t, s, ledger.Wallet(u.ID)), balance(t, s, ledger.Hold(u.ID)); w != 1500 || h != 2500 {
			t.Fatalf("after dispute wallet=%d hold=%d, want 1500/2500", w, h)
		}
		deliver(t, s, event("evt_d2", "charge.dispute.closed", map[string]any{"id": "dp_1", "amount": 2500, "charge": "ch_e", "payment_intent": "pi_evt_e1", "status": "won"}))
		if w, h := balance(t, s, ledger.Wallet(u.ID)), balance(t, s, ledger.Hold(u.ID)); w != 4000 || h != 0 {
			t.Fatalf("after won dispute wallet=%d hold=%d, want 4000/0", w, h)
		}
		logs, _ := audit.List(context.Background(), s.App.DB.Read(), audit.Filter{Action: "wallet.dispute"})
		if len(logs) != 2 {
			t.Fatalf("dispute audit records = %d, want 2", len(logs))
		}
		// A refund larger than the wallet takes only what is there.
		deliver(t, s, event("evt_e3", "charge.refunded", map[string]any{"id": "ch_e", "amount": 5000, "amount_refunded": 5000, "payment_intent": "pi_evt_e1"}))
		if got := balance(t, s, ledger.Wallet(u.ID)); got != 0 {
			t.Fatalf("wallet = %d, want 0 (never negative)", got)
		}
		verify(t, s)
	})
}

// WAL-7 WAL-8 SEC-4: wallet refunds return a charge (taken back from the
// reader's earnings and the platform), adjustments need a reason, both are
// audited and idempotent.
func TestWalletRefundAndAdjustment(t *testing.T) {
	eachEngine(t, func(t *testing.T, s *apptest.Server) {
		ctx := context.Background()
		admin := s.CreateUser("boss@example.com", account.RoleAdmin)
		client := s.CreateUser("c@example.com", account.RoleClient)
		rdr := s.CreateUser("r@example.com", account.RoleReader)
		paidTopUp(t, s, client, 5000)
		charge, err := s.App.Ledger.Transfer(ctx, ledger.Transfer{Key: "reading:1:minute:0", Type: ledger.TypeReadingCharge,
			Postings: []ledger.Posting{{Account: ledger.Wallet(client.ID), Amount: -1000}, {Account: ledger.Earnings(rdr.ID), Amount: 700},
				{Account: ledger.PlatformRevenue(), Amount: 300}}, CauseType: "reading", CauseID: "1"})
		if err != nil {
			t.Fatal(err)
		}
		ref, err := s.App.Payments.RefundMoney(ctx, admin, payment.RefundInput{Kind: payment.RefundWallet, TransferID: charge.TransferID, Reason: "dropped call"})
		if err != nil || ref.Status != payment.RefundSucceeded || ref.AmountCents != 1000 {
			t.Fatalf("wallet refund: %+v %v", ref, err)
		}
		if w, e := balance(t, s, ledger.Wallet(client.ID)), balance(t, s, ledger.Earnings(rdr.ID)); w != 5000 || e != 0 {
			t.Fatalf("after refund wallet=%d earnings=%d, want 5000/0", w, e)
		}
		if _, err := s.App.Payments.RefundMoney(ctx, admin, payment.RefundInput{Kind: payment.RefundWallet, TransferID: charge.TransferID, Reason: "again"}); apperr.CodeOf(err) != apperr.Invalid {
			t.Fatalf("refunding a fully refunded charge: %v", err)
		}
		if _, err := s.App.Payments.Adjust(ctx, admin, payment.AdjustInput{UserID: client.ID, AmountCents: 500}); apperr.CodeOf(err) != apperr.Invalid {
			t.Fatalf("adjustment without reason: %v", err)
		}
		in := payment.AdjustInput{UserID: client.ID, AmountCents: 500, Reason: "goodwill", Key: "adj-1"}
		for range 2 {
			if _, err := s.App.Payments.Adjust(ctx, admin, in); err != nil {
				t.Fatal(err)
			}
		}
		if got := balance(t, s, ledger.Wallet(client.ID)); got != 5500 {
			t.Fatalf("after adjustment (sent twice) wallet = %d, want 5500", got)
		}
		if _, err := s.App.Payments.Adjust(ctx, admin, payment.AdjustInput{UserID: client.ID, AmountCents: -6000, Reason: "too much"}); apperr.CodeOf(err) != apperr.InsufficientFunds {
			t.Fatalf("debit below zero: %v", err)
		}
		if _, err := s.App.Payments.Adjust(ctx, client, in); apperr.CodeOf(err) != apperr.Forbidden {
			t.Fatalf("client adjusting: %v", err)
		}
		logs, _ := audit.List(ctx, s.App.DB.Read(), audit.Filter{Action: "wallet."})
		if len(logs) != 2 {
			t.Fatalf("audit records = %d, want 2 (refund, adjustment)", len(logs))
		}
		verify(t, s)
	})
}

// WAL-9: reconciliation matches the month's top-ups to the charges and lists
// what does not match.
func TestReconcile(t *testing.T) {
	eachEngine(t, func(t *testing.T, s *apptest.Server) {
		ctx := context.Background()
		u := s.CreateUser("rec@example.com", account.RoleClient)
		paidTopUp(t, s, u, 1000)
		paidTopUp(t, s, u, 2500)
		month := time.Now().UTC()
		rec, err := s.App.Payments.Reconcile(ctx, month)
		if err != nil || !rec.OK() || rec.LedgerCents != 3500 || rec.StripeCount != 2 {
			t.Fatalf("balanced month: %+v %v", rec, err)
		}
		// A charge Stripe made that the ledger never credited.
		if _, err := s.App.DB.Writer.ExecContext(ctx, `INSERT INTO test_charges (id, payment_intent_id, amount_cents, created_at) VALUES ('ch_x', 'pi_x', 999, $1)`,
			time.Now().UnixMilli()); err != nil {
			t.Fatal(err)
		}
		rec, _ = s.App.Payments.Reconcile(ctx, month)
		if rec.OK() || len(rec.Mismatches) != 1 || rec.Mismatches[0].PaymentIntentID != "pi_x" {
			t.Fatalf("mismatch not listed: %+v", rec)
		}
		if _, err := payment.ParseMonth("2026-13"); apperr.CodeOf(err) != apperr.Invalid {
			t.Fatalf("bad month accepted")
		}
		admin, _ := s.LoginAs("adm@example.com", account.RoleAdmin)
		r := admin.Do("GET", "/api/v1/admin/reconciliation?month="+month.Format("2006-01"), nil)
		var out struct {
			OK         bool `json:"ok"`
			Mismatches []struct {
				Problem string `json:"problem"`
			} `json:"mismatches"`
		}
		r.JSON(t, &out)
		if r.Status != 200 || out.OK || len(out.Mismatches) != 1 {
			t.Fatalf("API reconciliation: %d %s", r.Status, r.Body)
		}
	})
}
