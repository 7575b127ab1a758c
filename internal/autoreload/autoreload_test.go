package autoreload_test

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/stripe/stripe-go/v85/webhook"

	"github.com/soulseer/soulseer/internal/account"
	"github.com/soulseer/soulseer/internal/apptest"
	"github.com/soulseer/soulseer/internal/clock"
	"github.com/soulseer/soulseer/internal/config"
	"github.com/soulseer/soulseer/internal/payment"
)

// fund tops the user's wallet up through the built-in test checkout.
func fund(t *testing.T, s *apptest.Server, u account.User, cents int64) {
	t.Helper()
	tu, err := s.App.Payments.CreateTopUp(ctx, u, cents, "")
	if err == nil {
		_, err = s.App.Payments.PayTestCheckout(ctx, u, tu.CheckoutSessionID)
	}
	if err != nil {
		t.Fatalf("fund %d: %v", cents, err)
	}
}

// saveTestCard turns the client's auto-reload on and saves the test card
// ending in last4 on the test page, as the browser does.
func saveTestCard(t *testing.T, c *apptest.Client, threshold, amount int64, last4 string) {
	t.Helper()
	ar := put(t, c, threshold, amount)
	if ar.Status != "needs_card" || !strings.Contains(ar.SetupURL, "/wallet/test-card/") {
		t.Fatalf("turning auto-reload on without a card: %+v, want needs_card with the test card page", ar)
	}
	res := c.Form("/wallet/test-card/"+sessionOf(ar.SetupURL)+"/save", url.Values{"card": {last4}})
	if res.Status != http.StatusSeeOther || res.Header.Get("Location") != "/wallet/auto-reload?card=saved" {
		t.Fatalf("saving the test card: %d %q %s", res.Status, res.Header.Get("Location"), res.Body)
	}
	waitOn(t, c, last4)
}

// delivery is the webhook's answer to an event.
type delivery struct {
	Duplicate bool   `json:"duplicate"`
	Outcome   string `json:"outcome"`
}

// deliver posts a Stripe event, signed as Stripe signs, to the webhook.
func deliver(t *testing.T, s *apptest.Server, payload string) delivery {
	t.Helper()
	sig := webhook.GenerateTestSignedPayload(&webhook.UnsignedPayload{Payload: []byte(payload), Secret: s.App.Payments.WebhookSecret, Timestamp: s.App.Clock.Now()})
	res := s.Client().Do("POST", "/stripe/webhook/", []byte(payload), "Stripe-Signature", sig.Header)
	var d delivery
	res.JSON(t, &d)
	if res.Status != http.StatusOK {
		t.Fatalf("webhook: %d %s", res.Status, res.Body)
	}
	return d
}

// eventNote is what the webhook recorded of the event.
func eventNote(t *testing.T, s *apptest.Server, id string) string {
	t.Helper()
	var note string
	if err := s.App.DB.Read().QueryRowContext(ctx, `SELECT note FROM stripe_events WHERE id = $1`, id).Scan(&note); err != nil {
		t.Fatalf("event %s: %v", id, err)
	}
	return note
}

// storedEvent is the payload of the stored Stripe event of type typ.
func storedEvent(t *testing.T, s *apptest.Server, typ string) string {
	t.Helper()
	var payload string
	if err := s.App.DB.Read().QueryRowContext(ctx, `SELECT payload FROM stripe_events WHERE type = $1 ORDER BY received_at DESC LIMIT 1`, typ).Scan(&payload); err != nil {
		t.Fatalf("stored %s event: %v", typ, err)
	}
	return payload
}

// credits counts the ledger transfers that credited top-up id.
func credits(t *testing.T, s *apptest.Server, topupID int64) int {
	t.Helper()
	var n int
	if err := s.App.DB.Read().QueryRowContext(ctx, `SELECT COUNT(*) FROM ledger_transfers WHERE idempotency_key = $1`, fmt.Sprintf("topup:%d", topupID)).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// WAL-12 WAL-10: in test mode a client turns auto-reload on, saves a card
// on the labelled test page (a signed setup event through the webhook),
// and a spend that leaves the wallet under the threshold makes exactly one
// reload, credited through the same webhook path as test top-ups — not
// again when the check runs again, the charge job is retried, or the
// webhook is delivered again; a spend that leaves it above makes none.
func TestAutoReloadInTestMode_WAL12(t *testing.T) {
	eachEngine(t, func(t *testing.T, s *apptest.Server) {
		c, u := client(s, "ada@example.com")
		fund(t, s, u, 30_00)
		if got := get(t, c); got.Status != "off" || got.Card != nil || got.ThresholdCents != nil || got.MaxPerDay != 3 {
			t.Fatalf("a new client's auto-reload: %+v, want off with nothing set", got)
		}
		ar := put(t, c, 10_00, 25_00)
		page := c.Do("GET", strings.TrimPrefix(ar.SetupURL, s.URL), nil)
		if page.Status != http.StatusOK || !strings.Contains(string(page.Body), "Test mode — no real card is saved or charged") {
			t.Fatalf("the test card page: %d %s", page.Status, page.Body)
		}
		if other, _ := client(s, "bo@example.com"); other.Do("GET", strings.TrimPrefix(ar.SetupURL, s.URL), nil).Status != http.StatusNotFound {
			t.Fatal("another client opened the card page")
		}
		saveTestCard(t, c, 10_00, 25_00, "4242")
		if n := notices(t, s, u.ID); len(n) != 1 || n[0].Title != "Auto-reload is on" {
			t.Fatalf("notifications after saving the card: %+v", n)
		}

		spend(t, s, u.ID, 15_00, "gift-1") // $15.00 left: above the threshold
		if made, err := s.App.Reloads.Check(ctx, u.ID); made || err != nil {
			t.Fatalf("a balance above the threshold was reloaded: %v %v", made, err)
		}
		spend(t, s, u.ID, 10_00, "gift-2") // $5.00 left: under it
		got := waitSettled(t, s, u.ID, 1)
		r := got[0]
		if r.Status != "paid" || r.Credited != 25_00 || r.PaymentIntent == "" {
			t.Fatalf("the reload: %+v, want $25.00 paid", r)
		}
		if b := balance(t, s, u.ID); b != 30_00 {
			t.Fatalf("wallet %d after the reload, want 3000", b)
		}
		if n := notices(t, s, u.ID); len(n) != 2 || n[0].Title != "Your wallet was reloaded with $25.00" || !strings.Contains(n[0].Body, "card •••• 4242") {
			t.Fatalf("notifications after the reload: %+v", n)
		}
		var event string
		if err := s.App.DB.Read().QueryRowContext(ctx, `SELECT stripe_event_id FROM ledger_transfers WHERE idempotency_key = $1`, fmt.Sprintf("topup:%d", r.TopUpID)).Scan(&event); err != nil || event == "" {
			t.Fatalf("the reload was not credited by the signed webhook: %q %v", event, err)
		}

		// Replays change nothing: the check, the charge job, the webhook.
		if made, err := s.App.Reloads.Check(ctx, u.ID); made || err != nil {
			t.Fatalf("checking again made a second reload: %v %v", made, err)
		}
		if err := s.App.Reloads.Charge(ctx, r.ID); err != nil {
			t.Fatal(err)
		}
		payload := storedEvent(t, s, "payment_intent.succeeded")
		if d := deliver(t, s, payload); !d.Duplicate {
			t.Fatalf("the repeated event was not recognised: %+v", d)
		}
		if d := deliver(t, s, strings.Replace(payload, event, event+"_again", 1)); d.Outcome != payment.EventProcessed ||
			!strings.Contains(eventNote(t, s, event+"_again"), "already credited") {
			t.Fatalf("another event of the same payment: %+v %q", d, eventNote(t, s, event+"_again"))
		}
		if got := reloads(t, s, u.ID); len(got) != 1 || credits(t, s, r.TopUpID) != 1 || balance(t, s, u.ID) != 30_00 {
			t.Fatalf("after the replays: %+v, %d credits, wallet %d", got, credits(t, s, r.TopUpID), balance(t, s, u.ID))
		}
		verify(t, s)
	})
}

// WAL-12: a declined card is not credited; it switches auto-reload off
// with the reason, forgets the card and tells the client.
func TestAutoReloadDeclinedCardSwitchesOff_WAL12(t *testing.T) {
	eachEngine(t, func(t *testing.T, s *apptest.Server) {
		c, u := client(s, "cy@example.com")
		fund(t, s, u, 20_00)
		saveTestCard(t, c, 10_00, 25_00, "0341")
		spend(t, s, u.ID, 15_00, "gift-1")
		got := waitSettled(t, s, u.ID, 1)
		if got[0].Status != "failed" || got[0].Credited != 0 {
			t.Fatalf("the declined reload: %+v", got[0])
		}
		if b := balance(t, s, u.ID); b != 5_00 {
			t.Fatalf("wallet %d after a declined reload, want 500", b)
		}
		ar := get(t, c)
		if ar.Status != "off" || ar.Card != nil || ar.OffReason != "Your card was declined." {
			t.Fatalf("auto-reload after the decline: %+v", ar)
		}
		n := notices(t, s, u.ID)
		if len(n) != 2 || n[0].Title != "Auto-reload is off: your card was refused" || !strings.Contains(n[0].Body, "Your card was declined.") {
			t.Fatalf("notifications after the decline: %+v", n)
		}
		spend(t, s, u.ID, 1_00, "gift-2")
		if made, err := s.App.Reloads.Check(ctx, u.ID); made || err != nil {
			t.Fatalf("a switched-off auto-reload reloaded: %v %v", made, err)
		}
		verify(t, s)
	})
}

// morning is 9:00 UTC today: an injected clock's start that leaves the
// rest of the day to a test, and sign-in cookies valid in the browser's
// jar.
func morning() time.Time { return time.Now().UTC().Truncate(24 * time.Hour).Add(9 * time.Hour) }

// WAL-12: at most SOULSEER_AUTO_RELOAD_MAX_PER_DAY reloads a day: the
// spend past them is answered the next day (on the injected clock), not
// before.
func TestAutoReloadMaxPerDay_WAL12(t *testing.T) {
	clk := clock.NewFake(morning())
	eachEngine(t, func(t *testing.T, s *apptest.Server) {
		c, u := client(s, "di@example.com")
		fund(t, s, u, 30_00)
		saveTestCard(t, c, 10_00, 5_00, "4242")
		spend(t, s, u.ID, 21_00, "gift-1") // $9.00 left
		waitSettled(t, s, u.ID, 1)
		spend(t, s, u.ID, 5_00, "gift-2") // $14.00 after the reload, $9.00 now
		waitSettled(t, s, u.ID, 2)
		spend(t, s, u.ID, 5_00, "gift-3") // $9.00 again
		if made, err := s.App.Reloads.Check(ctx, u.ID); made || err != nil {
			t.Fatalf("a third reload on one day: %v %v", made, err)
		}
		if got := get(t, c); got.ReloadsToday != 2 || len(reloads(t, s, u.ID)) != 2 {
			t.Fatalf("reloads today: %+v %+v", got, reloads(t, s, u.ID))
		}
		// The next day, the watcher (if it looks at the last spend only
		// now) or this check answers it.
		clk.Advance(24 * time.Hour)
		if _, err := s.App.Reloads.Check(ctx, u.ID); err != nil {
			t.Fatal(err)
		}
		waitSettled(t, s, u.ID, 3)
		if b := balance(t, s, u.ID); b != 14_00 {
			t.Fatalf("wallet %d, want 1400", b)
		}
		verify(t, s)
	}, apptest.WithClock(clk), apptest.WithConfig(func(c *config.Config) { c.AutoReloadMaxPerDay = 2 }))
}

// WAL-12 WAL-11: a client in a cooling-off pause, or at their daily cap,
// is not reloaded; once the pause is over, or the day, the same spend is
// answered, once.
func TestAutoReloadRespectsLimits_WAL12(t *testing.T) {
	clk := clock.NewFake(morning())
	eachEngine(t, func(t *testing.T, s *apptest.Server) {
		pause := func(id int64) error { _, err := s.App.Limits.Pause(ctx, id, 1); return err }
		capAt := func(id int64) error {
			daily := int64(25_00)
			_, err := s.App.Limits.SetCaps(ctx, id, nil, &daily, nil)
			return err
		}
		for _, tc := range []struct {
			who                     string
			beforeSpend, afterSpend func(userID int64) error
		}{
			{"paused", func(int64) error { return nil }, pause}, // spent, then paused
			{"capped", capAt, func(int64) error { return nil }}, // spent up to the daily cap
		} {
			c, u := client(s, tc.who+"@example.com")
			fund(t, s, u, 30_00)
			if ar := put(t, c, 10_00, 25_00); ar.Status != "needs_card" {
				t.Fatalf("%s: %+v", tc.who, ar)
			}
			if err := tc.beforeSpend(u.ID); err != nil {
				t.Fatal(err)
			}
			spend(t, s, u.ID, 25_00, tc.who+"-gift")
			if err := tc.afterSpend(u.ID); err != nil {
				t.Fatal(err)
			}
			saveTestCard(t, c, 10_00, 25_00, "4242")
			if made, err := s.App.Reloads.Check(ctx, u.ID); made || err != nil || len(reloads(t, s, u.ID)) != 0 {
				t.Fatalf("%s client reloaded: %v %v", tc.who, made, err)
			}
		}
		clk.Advance(25 * time.Hour)
		for _, who := range []string{"paused", "capped"} {
			u, err := s.App.Accounts.GetByEmail(ctx, who+"@example.com")
			if err != nil {
				t.Fatal(err)
			}
			if _, err := s.App.Reloads.Check(ctx, u.ID); err != nil { // or the watcher, looking at the spend only now
				t.Fatal(err)
			}
			if got := waitSettled(t, s, u.ID, 1); got[0].Status != "paid" || balance(t, s, u.ID) != 30_00 {
				t.Fatalf("%s client's reload: %+v, wallet %d", who, got, balance(t, s, u.ID))
			}
		}
		verify(t, s)
	}, apptest.WithClock(clk))
}

// WAL-12: the amount must be one a top-up may be and the threshold a
// positive balance; turning auto-reload off forgets its card.
func TestAutoReloadSettings_WAL12(t *testing.T) {
	eachEngine(t, func(t *testing.T, s *apptest.Server) {
		c, u := client(s, "el@example.com")
		for _, body := range []map[string]any{{"threshold_cents": 0, "amount_cents": 25_00}, {"threshold_cents": 10_00, "amount_cents": 4_99},
			{"threshold_cents": 10_00, "amount_cents": 500_01}, {"threshold_cents": 10_00}} {
			if res := c.Do("PUT", "/api/v1/me/auto-reload", body); res.Status != http.StatusBadRequest {
				t.Errorf("PUT %v: %d %s, want 400", body, res.Status, res.Body)
			}
		}
		if got := get(t, c); got.Status != "off" {
			t.Fatalf("refused settings were saved: %+v", got)
		}
		saveTestCard(t, c, 10_00, 25_00, "4242")
		if again := put(t, c, 20_00, 50_00); again.Status != "on" || again.SetupURL != "" || *again.ThresholdCents != 20_00 || again.Card.Last4 != "4242" {
			t.Fatalf("changing the amounts with a card saved: %+v", again)
		}
		res := c.Do("DELETE", "/api/v1/me/auto-reload", nil)
		var off autoReload
		res.JSON(t, &off)
		if res.Status != http.StatusOK || off.Status != "off" || off.Card != nil {
			t.Fatalf("turning off: %d %+v", res.Status, off)
		}
		if ar := put(t, c, 10_00, 25_00); ar.Status != "needs_card" || ar.SetupURL == "" {
			t.Fatalf("turning on again after off: %+v, want a new card page", ar)
		}
		var customers int
		if err := s.App.DB.Read().QueryRowContext(ctx, `SELECT COUNT(*) FROM payment_customers WHERE user_id = $1`, u.ID).Scan(&customers); err != nil || customers != 1 {
			t.Fatalf("%d customers for one client (%v), want one reused", customers, err)
		}
		if _, err := s.App.Payments.SaveTestCard(ctx, u, "cs_nobody", "4242"); err == nil {
			t.Fatal("saved a card on a page that does not exist")
		}
	})
}
