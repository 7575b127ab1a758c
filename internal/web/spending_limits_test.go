package web_test

import (
	"fmt"
	"net/http"
	"net/url"
	"testing"

	"github.com/soulseer/soulseer/internal/apptest"
	"github.com/soulseer/soulseer/internal/live"
)

// TestSpendingLimits_WAL11: a client sets a daily cap through the API (a
// cap of zero is refused beside its field), and a gift past it is refused
// with 402 of type spending-limit, moving nothing; on the page a cap that
// is not an amount is told beside its field, raising one waits 24 hours,
// and a pause stops the next gift.
func TestSpendingLimits_WAL11(t *testing.T) {
	eachApp(t, func(t *testing.T, s *apptest.Server) {
		w := newWorld(t, s)
		tu, err := s.App.Payments.CreateTopUp(ctx, w.client, 5000, "")
		if err == nil {
			_, err = s.App.Payments.PayTestCheckout(ctx, w.client, tu.CheckoutSessionID)
		}
		if err != nil {
			t.Fatal(err)
		}
		api := w.as["client"]
		var lim struct {
			Daily   *int64 `json:"daily_cents"`
			Pending *struct {
				Daily *int64 `json:"daily_cents"`
			} `json:"pending"`
			SpentToday int64 `json:"spent_today_cents"`
		}
		api.Do("GET", "/api/v1/me/spending-limits", nil).JSON(t, &lim)
		if lim.Daily != nil || lim.Pending != nil {
			t.Fatalf("limits before = %+v", lim)
		}
		if p := problemOf(t, api.Do("PUT", "/api/v1/me/spending-limits", map[string]any{"daily_cents": 0}), http.StatusBadRequest); p.Errors["daily_cents"] == "" {
			t.Fatalf("a zero cap: %+v", p)
		}

		st, err := s.App.Live.Start(ctx, w.reader, live.StartInput{Title: "Limits", Visibility: "public"})
		if err != nil {
			t.Fatal(err)
		}
		var catalog struct {
			Gifts []struct {
				ID    int64 `json:"id"`
				Price int64 `json:"price_cents"`
			} `json:"gifts"`
		}
		api.Do("GET", "/api/v1/gifts", nil).JSON(t, &catalog)
		if len(catalog.Gifts) == 0 {
			t.Fatal("no gifts in the catalog")
		}
		g := catalog.Gifts[0]
		res := api.Do("PUT", "/api/v1/me/spending-limits", map[string]any{"daily_cents": g.Price})
		res.JSON(t, &lim)
		if res.Status != http.StatusOK || lim.Daily == nil || *lim.Daily != g.Price {
			t.Fatalf("set a cap: %d %s", res.Status, res.Body)
		}
		gift := func(key string) apptest.Response {
			return api.Do("POST", fmt.Sprintf("/api/v1/streams/%d/gifts", st.ID), map[string]any{"gift_id": g.ID, "quantity": 1, "idempotency_key": key})
		}
		if res := gift("first"); res.Status != http.StatusCreated {
			t.Fatalf("a gift within the cap: %d %s", res.Status, res.Body)
		}
		p := problemOf(t, gift("second"), http.StatusPaymentRequired)
		if p.Type != "https://soulseer.app/problems/spending-limit" {
			t.Fatalf("a gift past the cap: %+v", p)
		}
		api.Do("GET", "/api/v1/me/spending-limits", nil).JSON(t, &lim)
		if lim.SpentToday != g.Price {
			t.Fatalf("spent today %d, want %d", lim.SpentToday, g.Price)
		}

		browser, _ := w.login(t, w.client.Email)
		mustContain(t, page(browser, "/wallet/limits"), "Spending limits", `data-spent-day>`+money(g.Price))
		res = browserForm(s, browser, "/wallet/limits", url.Values{"daily": {"lots"}})
		if res.Status != http.StatusBadRequest {
			t.Fatalf("a cap that is no amount: %d", res.Status)
		}
		mustContain(t, res, `aria-invalid="true"`, "Enter an amount in dollars")
		redirectsTo(t, browserForm(s, browser, "/wallet/limits", url.Values{"daily": {"100"}}), "/wallet/limits")
		mustContain(t, page(browser, "/wallet/limits"), "data-pending-limits", "per day $100.00", "higher ones, and removing one, apply 24 hours from now")
		redirectsTo(t, browserForm(s, browser, "/wallet/limits/pause", url.Values{"days": {"7"}}), "/wallet/limits")
		mustContain(t, page(browser, "/wallet/limits"), "data-paused", "End the pause")
		if p := problemOf(t, gift("paused"), http.StatusPaymentRequired); p.Detail == "" || p.Type != "https://soulseer.app/problems/spending-limit" {
			t.Fatalf("a gift while paused: %+v", p)
		}
	})
}

// money formats cents as the pages do.
func money(c int64) string { return fmt.Sprintf("$%d.%02d", c/100, c%100) }
