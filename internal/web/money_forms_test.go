package web_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/soulseer/soulseer/internal/apptest"
)

// Every money form reads dollars exactly (ledger.ParseCents): "NaN",
// "4.999", "25.005" or "1e3" are field errors that change nothing, never
// a rounded price or a 500.
func TestMoneyFormsParseExactly(t *testing.T) {
	eachApp(t, func(t *testing.T, s *apptest.Server) {
		w := newWorld(t, s)
		const says = "at most two decimals"
		for _, bad := range []string{"NaN", "4.999", "25.005", "1e3", "-5", "$", "0x10"} {
			forms := []struct {
				as, path string
				values   url.Values
			}{
				{"reader", "/reader/profile", url.Values{"display_name": {"Luna Vale"}, "offer_text": {"on"}, "rate_text": {bad}}},
				{"client", "/wallet/topups", url.Values{"amount": {bad}}},
				{"admin", "/admin/adjustments", url.Values{"user_id": {id(w.client.ID)}, "amount": {bad}, "direction": {"credit"}, "reason": {"test"}}},
				{"admin", "/admin/refunds/", url.Values{"kind": {"wallet"}, "transfer_id": {"1"}, "amount": {bad}, "reason": {"test"}}},
			}
			for _, f := range forms {
				before := fingerprint(t, s)
				res := w.as[f.as].Form(f.path, f.values)
				if res.Status != http.StatusBadRequest || !strings.Contains(string(res.Body), says) {
					t.Errorf("%s amount %q: status %d, want 400 saying %q", f.path, bad, res.Status, says)
				}
				if fingerprint(t, s) != before {
					t.Errorf("%s amount %q changed the database", f.path, bad)
				}
			}
		}
		// A good amount still works: $3.99 is 399 cents, not 398 or 400.
		if res := w.as["reader"].Form("/reader/profile", url.Values{"display_name": {"Luna Vale"}, "offer_text": {"on"}, "rate_text": {"3.99"}}); res.Status != http.StatusSeeOther {
			t.Fatalf("good rate: %d", res.Status)
		}
		if p, err := s.App.Readers.Get(ctx, w.reader, w.reader.ID); err != nil || p.Rates.Text != 399 {
			t.Fatalf("rate = %d (%v), want 399", p.Rates.Text, err)
		}
	})
}
