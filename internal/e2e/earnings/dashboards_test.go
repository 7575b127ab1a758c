package earnings

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/soulseer/soulseer/internal/account"
	"github.com/soulseer/soulseer/internal/apptest"
	"github.com/soulseer/soulseer/internal/browsertest"
	"github.com/soulseer/soulseer/internal/clock"
	"github.com/soulseer/soulseer/internal/config"
	"github.com/soulseer/soulseer/internal/db"
	"github.com/soulseer/soulseer/internal/e2e"
	"github.com/soulseer/soulseer/internal/ledger"
)

// TestDashboards opens the three dashboards after six weeks of ledger
// history posted day by day up to today on a fake clock (DASH-C, DASH-R, DASH-A): the
// client's spending, the reader's earnings with the earnings chart and its
// table, and the admin's platform figures with the revenue chart and the
// top readers, each passing axe-core at desktop and phone widths.
func TestDashboards(t *testing.T) {
	browsertest.FindChromium(t)
	now := time.Now().UTC()
	clk := clock.NewFake(now.AddDate(0, 0, -42))
	s := apptest.Start(t, db.SQLite, apptest.WithClock(clk), apptest.WithConfig(func(c *config.Config) { c.AuthRateLimit = 1000 }))
	ctx := context.Background()
	e2e.CreateUser(t, s, "Morgan Admin", "morgan@example.com", account.RoleAdmin)
	cleo := e2e.CreateUser(t, s, "Cleo Client", "cleo@example.com", account.RoleClient)
	luna := e2e.CreateUser(t, s, "Luna Vale", "luna@example.com", account.RoleReader)
	orion := e2e.CreateUser(t, s, "Orion Hale", "orion@example.com", account.RoleReader)
	post := func(tr ledger.Transfer) {
		t.Helper()
		if _, err := s.App.Ledger.Transfer(ctx, tr); err != nil {
			t.Fatal(err)
		}
	}
	post(ledger.Transfer{Key: "fund", Type: ledger.TypeTopUp, Postings: []ledger.Posting{
		{Account: ledger.StripeClearing(), Amount: -5_000_00}, {Account: ledger.Wallet(cleo.ID), Amount: 5_000_00}}})
	types := []ledger.EntryType{ledger.TypeReadingCharge, ledger.TypeGift, ledger.TypeBookingCharge, ledger.TypePaidReply, ledger.TypeOrder}
	var lunaMonth int64
	for day := range 43 {
		if day == 42 { // today's readings, an hour apart up to now
			clk.Set(now.Add(-3 * time.Hour))
		}
		for k := range 1 + day%3 {
			price := int64(5_00 + (day*7+k*13)%40*50)
			rdr := luna.ID
			if k == 1 {
				rdr = orion.ID
			}
			post(ledger.Transfer{Key: fmt.Sprintf("d%d-%d", day, k), Type: types[(day+k)%len(types)], Postings: []ledger.Posting{
				{Account: ledger.Wallet(cleo.ID), Amount: -price}, {Account: ledger.Earnings(rdr), Amount: price * 7 / 10},
				{Account: ledger.PlatformRevenue(), Amount: price - price*7/10}}})
			if n := clk.Now(); rdr == luna.ID && n.Year() == now.Year() && n.Month() == now.Month() {
				lunaMonth += price * 7 / 10
			}
			clk.Advance(time.Hour)
		}
		clk.Set(now.AddDate(0, 0, day-41))
	}
	clk.Set(now)

	b := browsertest.New(t, s.URL)
	st := &story{&e2e.Story{T: t, S: s, B: b}}

	client := b.NewTab("client")
	st.LogIn(client, "cleo@example.com", apptest.Password, "/dashboard")
	client.WaitText("[data-spent-total]", "$")
	client.Screenshot("dashboard-client-spending")

	reader := b.NewTab("reader")
	st.LogIn(reader, "luna@example.com", apptest.Password, "/reader/dashboard")
	reader.WaitText("[data-earned-month]", ledger.FormatCents(lunaMonth))
	reader.WaitText("#earnings figure", "Your earnings, last 30 days")
	reader.Screenshot("reader-dashboard-earnings")
	reader.Visit("/reader/dashboard?days=90")
	reader.WaitText("#earnings figure", "Your earnings, last 90 days")

	admin := b.NewTab("admin")
	st.LogIn(admin, "morgan@example.com", apptest.Password, "/admin")
	admin.WaitText("#top-readers", "Luna Vale")
	admin.Visit("/admin?days=90")
	admin.WaitText("#revenue figure", "Platform revenue, last 90 days")
	admin.Screenshot("admin-dashboard")
}
