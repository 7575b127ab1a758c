package web_test

import (
	"regexp"
	"slices"
	"testing"

	"github.com/soulseer/soulseer/internal/apptest"
	"github.com/soulseer/soulseer/internal/ledger"
)

// WAL-2: the wallet history's type filter offers the types the wallet's
// history holds and no others (no gifts, orders or payouts before there are
// any), plus a type asked for in the address, so the menu shows what the
// page lists.
func TestWalletHistoryOffersTypesItHolds_WAL2(t *testing.T) {
	eachApp(t, func(t *testing.T, s *apptest.Server) {
		w := newWorld(t, s)
		c := w.as["client"]
		option := regexp.MustCompile(`<option value="([a-z_]*)"( selected)?>`)
		offered := func(path string) (types []string, selected string) {
			t.Helper()
			res := page(c, path)
			if res.Status != 200 {
				t.Fatalf("GET %s: %d", path, res.Status)
			}
			for _, m := range option.FindAllStringSubmatch(string(res.Body), -1) {
				types = append(types, m[1])
				if m[2] != "" {
					selected = m[1]
				}
			}
			return types, selected
		}
		check := func(path string, want []string, wantSelected string) {
			t.Helper()
			got, sel := offered(path)
			if !slices.Equal(got, want) || sel != wantSelected {
				t.Fatalf("%s offers types %q (selected %q), want %q (selected %q)", path, got, sel, want, wantSelected)
			}
		}
		check("/wallet/history", []string{""}, "")

		tu, err := s.App.Payments.CreateTopUp(ctx, w.client, 20_00, "")
		if err != nil {
			t.Fatal(err)
		}
		if _, err := s.App.Payments.PayTestCheckout(ctx, w.client, tu.CheckoutSessionID); err != nil {
			t.Fatal(err)
		}
		check("/wallet/history", []string{"", "top_up"}, "")

		if _, err := s.App.Ledger.Transfer(ctx, ledger.Transfer{Key: "reading:1:minute:0", Type: ledger.TypeReadingCharge,
			Postings: []ledger.Posting{{Account: ledger.Wallet(w.client.ID), Amount: -1_99}, {Account: ledger.Earnings(w.reader.ID), Amount: 1_39},
				{Account: ledger.PlatformRevenue(), Amount: 60}}, CauseType: "reading", CauseID: "1"}); err != nil {
			t.Fatal(err)
		}
		check("/wallet/history", []string{"", "top_up", "reading_charge"}, "")
		check("/wallet/history?type=reading_charge", []string{"", "top_up", "reading_charge"}, "reading_charge")
		check("/wallet/history?type=gift", []string{"", "top_up", "reading_charge", "gift"}, "gift")
		mustContain(t, page(c, "/wallet/history?type=gift"), "No transactions match.")
	})
}
