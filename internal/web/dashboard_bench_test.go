package web_test

import (
	"errors"
	"fmt"
	"net/http"
	"testing"
	"time"

	"github.com/soulseer/soulseer/internal/account"
	"github.com/soulseer/soulseer/internal/apptest"
	"github.com/soulseer/soulseer/internal/clock"
	"github.com/soulseer/soulseer/internal/db"
	"github.com/soulseer/soulseer/internal/ledger"
)

// BenchmarkDashboards renders each dashboard page and the dashboard API on
// SQLite over a ledger of 100,000 transfers spread across 90 days: 200
// clients paying 20 readers in readings, bookings, gifts, paid replies and
// tickets (DASH-C, DASH-R, DASH-A). docs/benchmarks.md records the figures.
//
//	go test -run '^$' -bench Dashboards -benchtime 50x ./internal/web/
func BenchmarkDashboards(b *testing.B) {
	const transfers, clients, readers, days = 100_000, 200, 20, 90
	clk := clock.NewFake(time.Date(2026, 9, 1, 0, 0, 0, 0, time.UTC))
	s := apptest.Start(b, db.SQLite, roomyLimits(), apptest.WithClock(clk))
	admin := s.CreateUser("ada@example.com", account.RoleAdmin)
	var cs, rs []account.User
	for i := range clients {
		cs = append(cs, s.CreateUser(fmt.Sprintf("client%d@example.com", i), account.RoleClient))
	}
	for i := range readers {
		rs = append(rs, s.CreateUser(fmt.Sprintf("reader%d@example.com", i), account.RoleReader))
	}
	ctx := b.Context()
	l := s.App.Ledger
	var fund []ledger.Transfer
	for i, c := range cs {
		fund = append(fund, ledger.Transfer{Key: fmt.Sprintf("bench-fund-%d", i), Type: ledger.TypeTopUp, Postings: []ledger.Posting{
			{Account: ledger.StripeClearing(), Amount: -1_000_000_00}, {Account: ledger.Wallet(c.ID), Amount: 1_000_000_00}}})
	}
	types := []ledger.EntryType{ledger.TypeReadingCharge, ledger.TypeBookingCharge, ledger.TypeGift, ledger.TypePaidReply, ledger.TypeOrder}
	const batch = 500
	step := time.Duration(days) * 24 * time.Hour / (transfers / batch)
	start := time.Now()
	for n := 0; n < transfers; n += batch {
		ts := fund
		fund = nil
		for i := n; i < n+batch; i++ {
			price := int64(100 + i%5_000)
			ts = append(ts, ledger.Transfer{Key: fmt.Sprintf("bench-%d", i), Type: types[i%len(types)], Postings: []ledger.Posting{
				{Account: ledger.Wallet(cs[i%clients].ID), Amount: -price}, {Account: ledger.Earnings(rs[i%readers].ID), Amount: price - price*3/10},
				{Account: ledger.PlatformRevenueShard(i % 8), Amount: price * 3 / 10}}})
		}
		if err := s.App.DB.Tx(ctx, func(tx *db.Tx) error {
			_, errs, err := l.PostBatch(ctx, tx, ts)
			return errors.Join(append(errs, err)...)
		}); err != nil {
			b.Fatal(err)
		}
		clk.Advance(step)
	}
	var count int
	if err := s.App.DB.Read().QueryRowContext(ctx, `SELECT count(*) FROM ledger_transfers`).Scan(&count); err != nil || count < transfers {
		b.Fatalf("%d transfers seeded (%v)", count, err)
	}
	b.Logf("seeded %d transfers in %v", count, time.Since(start).Round(time.Millisecond))

	for _, c := range []struct {
		name, path string
		user       account.User
	}{
		{"client", "/dashboard", cs[0]},
		{"reader", "/reader/dashboard", rs[0]},
		{"reader-90-days", "/reader/dashboard?days=90", rs[0]},
		{"admin", "/admin", admin},
		{"admin-90-days", "/admin?days=90", admin},
		{"api-reader", "/api/v1/me/dashboard", rs[0]},
		{"api-admin", "/api/v1/me/dashboard", admin},
	} {
		tok, err := s.App.Accounts.CreateAPIToken(ctx, c.user.ID, account.TokenInput{Name: "bench"})
		if err != nil {
			b.Fatal(err)
		}
		as := s.Client()
		as.Token = tok.Secret
		b.Run(c.name, func(b *testing.B) {
			for b.Loop() {
				if res := page(as, c.path); res.Status != http.StatusOK {
					b.Fatalf("%s: %d", c.path, res.Status)
				}
			}
			b.ReportMetric(float64(b.Elapsed().Microseconds())/1000/float64(b.N), "ms/op")
		})
	}
}
