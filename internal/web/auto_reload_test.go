package web_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/soulseer/soulseer/internal/account"
	"github.com/soulseer/soulseer/internal/apptest"
	"github.com/soulseer/soulseer/internal/ledger"
)

// waitPage waits (up to 20 s) for the background work to make the page at
// path show want, and returns it.
func waitPage(t *testing.T, c *apptest.Client, path, want string) string {
	t.Helper()
	for deadline := time.Now().Add(20 * time.Second); ; time.Sleep(20 * time.Millisecond) {
		res := c.Do("GET", path, nil)
		if res.Status == http.StatusOK && strings.Contains(string(res.Body), want) {
			return string(res.Body)
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s never showed %q: %d %s", path, want, res.Status, res.Body)
		}
	}
}

// saveCardOnPage turns auto-reload on from the page's form and saves the
// test card ending in last4, as a browser does, returning the page that
// shows it on.
func saveCardOnPage(t *testing.T, s *apptest.Server, c *apptest.Client, last4 string) string {
	t.Helper()
	res := c.Form("/wallet/auto-reload", url.Values{"threshold": {"10"}, "amount": {"25"}})
	card := strings.TrimPrefix(res.Header.Get("Location"), s.URL)
	if res.Status != http.StatusSeeOther || !strings.HasPrefix(card, "/wallet/test-card/") {
		t.Fatalf("turning auto-reload on: %d %q", res.Status, res.Header.Get("Location"))
	}
	if page := c.Do("GET", card, nil); page.Status != http.StatusOK || !strings.Contains(string(page.Body), `class="test-badge"`) ||
		!strings.Contains(string(page.Body), "Visa •••• "+last4) {
		t.Fatalf("the test card page: %d %s", page.Status, page.Body)
	}
	if res := c.Form(card+"/save", url.Values{"card": {last4}}); res.Status != http.StatusSeeOther || res.Header.Get("Location") != "/wallet/auto-reload?card=saved" {
		t.Fatalf("saving the card: %d %q", res.Status, res.Header.Get("Location"))
	}
	return waitPage(t, c, "/wallet/auto-reload", "•••• "+last4)
}

// TestAutoReloadPage_WAL12: the wallet leads to the auto-reload page,
// which shows it off; amounts that are not amounts, or outside the top-up
// limits, are told beside their fields and nothing is saved; valid ones
// lead to the labelled test page for a card, after which the page shows
// auto-reload on with the card; Turn off turns it off; a declined card's
// reload shows it switched off and why, on the page and the wallet.
func TestAutoReloadPage_WAL12(t *testing.T) {
	eachApp(t, func(t *testing.T, s *apptest.Server) {
		c, u := s.LoginAs("zoe@example.com", account.RoleClient)
		if w := c.Do("GET", "/wallet", nil); !strings.Contains(string(w.Body), `href="/wallet/auto-reload"`) || !strings.Contains(string(w.Body), "Set up auto-reload") {
			t.Fatalf("the wallet does not lead to auto-reload: %s", w.Body)
		}
		if p := c.Do("GET", "/wallet/auto-reload", nil); p.Status != http.StatusOK || !strings.Contains(string(p.Body), "data-auto-reload-off") {
			t.Fatalf("auto-reload page: %d %s", p.Status, p.Body)
		}
		for _, bad := range []struct{ threshold, amount, says string }{
			{"ten", "25", "Enter an amount in dollars"},
			{"10", "2", "Reload between $5.00 and $500.00."},
		} {
			res := c.Form("/wallet/auto-reload", url.Values{"threshold": {bad.threshold}, "amount": {bad.amount}})
			body := string(res.Body)
			if res.Status != http.StatusBadRequest || !strings.Contains(body, bad.says) || !strings.Contains(body, `value="`+bad.threshold+`"`) ||
				!strings.Contains(body, `aria-invalid="true"`) {
				t.Fatalf("amounts %+v: %d %s", bad, res.Status, body)
			}
		}
		if st, err := s.App.Reloads.Get(ctx, u.ID); err != nil || st.Enabled {
			t.Fatalf("refused amounts were saved: %+v %v", st, err)
		}

		on := saveCardOnPage(t, s, c, "4242")
		if !strings.Contains(on, "data-auto-reload-on") || !strings.Contains(on, "$10.00") || !strings.Contains(on, "$25.00") {
			t.Fatalf("the page with auto-reload on: %s", on)
		}
		if res := c.Form("/wallet/auto-reload/off", nil); res.Status != http.StatusSeeOther {
			t.Fatalf("turning off: %d", res.Status)
		}
		if p := c.Do("GET", "/wallet/auto-reload", nil); !strings.Contains(string(p.Body), "data-auto-reload-off") || strings.Contains(string(p.Body), "•••• 4242") {
			t.Fatalf("after turning off: %s", p.Body)
		}

		saveCardOnPage(t, s, c, "0341")
		tu, err := s.App.Payments.CreateTopUp(ctx, u, 20_00, "")
		if err == nil {
			_, err = s.App.Payments.PayTestCheckout(ctx, u, tu.CheckoutSessionID)
		}
		if err == nil {
			_, err = s.App.Ledger.Transfer(ctx, ledger.Transfer{Key: "gift-zoe", Type: ledger.TypeGift,
				Postings: []ledger.Posting{{Account: ledger.Wallet(u.ID), Amount: -15_00}, {Account: ledger.PlatformRevenue(), Amount: 15_00}}})
		}
		if err != nil {
			t.Fatal(err)
		}
		off := waitPage(t, c, "/wallet/auto-reload", "data-off-reason")
		if !strings.Contains(off, "Your card was declined.") {
			t.Fatalf("the switched-off page: %s", off)
		}
		if w := c.Do("GET", "/wallet", nil); !strings.Contains(string(w.Body), "Switched off because your card was refused.") {
			t.Fatalf("the wallet's auto-reload card: %s", w.Body)
		}
	})
}
