package ledger_test

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"github.com/soulseer/soulseer/internal/db"
	"github.com/soulseer/soulseer/internal/db/dbtest"
	"github.com/soulseer/soulseer/internal/ledger"
)

// DASH-R, DASH-A, DASH-C: over a month of postings made a few hours apart,
// the totals since several moments, the daily series, the top earners and
// the latest refunds equal the sums this test keeps of what it posted.
func TestFlowFigures(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		l, clk := setup(d)
		clk.Set(time.Date(2026, 11, 1, 0, 30, 0, 0, time.UTC))
		rng := rand.New(rand.NewPCG(7, 11))
		const client, days = 1, 40
		readers := []int64{2, 3, 4}
		topUp(t, l, client, 90_000_00, "fund")
		weekStart := time.Date(2026, 12, 7, 0, 0, 0, 0, time.UTC)
		var (
			daily      = map[int64]int64{} // reader 2's earnings by UTC day number
			sinceWeek  int64               // reader 2's earnings since weekStart
			byType     = map[ledger.EntryType]int64{}
			earned     = map[int64]int64{} // by reader, since weekStart
			spent      int64
			revenueDay = map[int64]int64{}
			refunds    []string
			n          int
		)
		for day := range days {
			for k := range 3 {
				n++
				rdr := readers[rng.IntN(len(readers))]
				cents := 1 + rng.Int64N(5_000)
				fee := cents / 5
				typ := []ledger.EntryType{ledger.TypeReadingCharge, ledger.TypeGift, ledger.TypePaidReply}[k]
				key := fmt.Sprintf("d%d-%d", day, k)
				if _, err := l.Transfer(ctx, ledger.Transfer{Key: key, Type: typ, Postings: []ledger.Posting{
					{Account: ledger.Wallet(client), Amount: -cents}, {Account: ledger.Earnings(rdr), Amount: cents - fee},
					{Account: ledger.PlatformRevenueShard(n % 3), Amount: fee}}}); err != nil {
					t.Fatal(err)
				}
				now := clk.Now()
				spent += cents
				revenueDay[db.Millis(now)/ledger.DayMillis] += fee
				if rdr == 2 {
					daily[db.Millis(now)/ledger.DayMillis] += cents - fee
					if !now.Before(weekStart) {
						sinceWeek += cents - fee
						byType[typ] += cents - fee
					}
				}
				if !now.Before(weekStart) {
					earned[rdr] += cents - fee
				}
				if k == 2 && day%3 == 0 {
					back := (cents - fee) / 2
					if _, err := l.Transfer(ctx, ledger.Transfer{Key: key + "-refund", Type: ledger.TypeRefund, Postings: []ledger.Posting{
						{Account: ledger.Earnings(rdr), Amount: -back}, {Account: ledger.Wallet(client), Amount: back}}}); err != nil {
						t.Fatal(err)
					}
					refunds = append(refunds, key+"-refund")
					if !now.Before(weekStart) {
						earned[rdr] -= back
					}
					if rdr == 2 {
						daily[db.Millis(now)/ledger.DayMillis] -= back
						if !now.Before(weekStart) {
							sinceWeek -= back
							byType[ledger.TypeRefund] -= back
						}
					}
				}
				clk.Advance(7 * time.Hour)
			}
			clk.Advance(3 * time.Hour)
		}
		// a payout leaves earnings but is no part of what was earned
		if _, err := l.Transfer(ctx, ledger.Transfer{Key: "payout", Type: ledger.TypePayout, Postings: []ledger.Posting{
			{Account: ledger.Earnings(2), Amount: -1}, {Account: ledger.Payouts(), Amount: 1}}}); err != nil {
			t.Fatal(err)
		}
		now := clk.Now()
		if n < 100 || len(refunds) < 2 {
			t.Fatalf("only %d transfers and %d refunds posted", n, len(refunds))
		}
		mustVerify(t, d)

		earnings := ledger.Flow{Kind: ledger.KindEarnings, UserID: 2, Types: ledger.EarningTypes}
		tot, err := l.FlowTotals(ctx, d.Read(), earnings, weekStart, time.Time{})
		if err != nil {
			t.Fatal(err)
		}
		var all int64
		for _, v := range daily {
			all += v
		}
		if tot.Sum(0) != sinceWeek || tot.Sum(1) != all {
			t.Fatalf("earnings since the week %d, overall %d; want %d, %d", tot.Sum(0), tot.Sum(1), sinceWeek, all)
		}
		for typ, want := range byType {
			if tot.Of(typ, 0) != want {
				t.Fatalf("%s since the week %d, want %d", typ, tot.Of(typ, 0), want)
			}
		}
		if tot.Of(ledger.TypePayout, 1) != 0 {
			t.Fatal("a payout counted as earnings")
		}
		balance := balance(t, l, ledger.Earnings(2))
		if balance != all-1 {
			t.Fatalf("earned %d overall, paid out 1, but the balance is %d", all, balance)
		}

		series, err := l.Daily(ctx, d.Read(), earnings, now, 30)
		if err != nil {
			t.Fatal(err)
		}
		last := db.Millis(now) / ledger.DayMillis
		if len(series) != 30 || !series[29].Day.Equal(db.Time(last*ledger.DayMillis)) || series[29].Day.Hour() != 0 {
			t.Fatalf("series of %d days ending %v", len(series), series[len(series)-1].Day)
		}
		nonzero := 0
		for i, s := range series {
			if want := daily[last-29+int64(i)]; s.Cents != want {
				t.Fatalf("day %v: %d, want %d", s.Day, s.Cents, want)
			}
			if s.Cents != 0 {
				nonzero++
			}
		}
		if nonzero < 15 {
			t.Fatalf("only %d days with earnings", nonzero)
		}

		rev, err := l.Daily(ctx, d.Read(), ledger.Flow{Kind: ledger.KindPlatformRevenue, All: true}, now, 90)
		if err != nil {
			t.Fatal(err)
		}
		var revSum, wantRev int64
		for i, s := range rev {
			revSum += s.Cents
			wantRev += revenueDay[last-89+int64(i)]
		}
		if total, _ := l.PlatformRevenueTotal(ctx, d.Read()); revSum != wantRev || revSum != total {
			t.Fatalf("revenue over 90 days %d, want %d and the ledger's total %d", revSum, wantRev, total)
		}

		top, err := l.TopEarners(ctx, d.Read(), ledger.Flow{Kind: ledger.KindEarnings, All: true, Types: ledger.EarningTypes}, weekStart, 2)
		if err != nil {
			t.Fatal(err)
		}
		if len(top) != 2 || top[0].Cents < top[1].Cents || top[0].Cents != earned[top[0].UserID] || top[1].Cents != earned[top[1].UserID] {
			t.Fatalf("top earners %+v, want from %v", top, earned)
		}
		for _, r := range readers {
			if earned[r] > top[0].Cents || (earned[r] > top[1].Cents && r != top[0].UserID) {
				t.Fatalf("reader %d earned %d but is not ranked: %+v", r, earned[r], top)
			}
		}

		spending, err := l.FlowTotals(ctx, d.Read(), ledger.Flow{Kind: ledger.KindWallet, UserID: client, Types: ledger.SpendingTypes}, time.Time{})
		if err != nil || -spending.Sum(0) != spent {
			t.Fatalf("spent %d (%v), want %d", -spending.Sum(0), err, spent)
		}

		recent, err := l.RecentTransfers(ctx, d.Read(), 2, ledger.TypeRefund, ledger.TypeAdjustment)
		if err != nil || len(recent) != 2 || recent[0].Key != refunds[len(refunds)-1] || recent[1].Key != refunds[len(refunds)-2] || recent[0].Moved() <= 0 {
			t.Fatalf("recent refunds %+v (%v), want %v", recent, err, refunds)
		}
	})
}

// DASH-A: a flow over accounts nobody can hold, or a series of no days,
// is refused.
func TestFlowRefused(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		l, clk := setup(d)
		if _, err := l.FlowTotals(ctx, d.Read(), ledger.Flow{Kind: ledger.KindWallet}, clk.Now()); err == nil {
			t.Fatal("a wallet flow without a user was accepted")
		}
		if _, err := l.Daily(ctx, d.Read(), ledger.Flow{Kind: "purse", All: true}, clk.Now(), 30); err == nil {
			t.Fatal("an unknown kind was accepted")
		}
		if _, err := l.Daily(ctx, d.Read(), ledger.Flow{Kind: ledger.KindEarnings, All: true}, clk.Now(), 0); err == nil {
			t.Fatal("a series of no days was accepted")
		}
		if _, err := l.TopEarners(ctx, d.Read(), ledger.Flow{Kind: ledger.KindEarnings, UserID: 2}, clk.Now(), 3); err == nil {
			t.Fatal("top earners of one account was accepted")
		}
	})
}

// DASH-A, DASH-R: a posting on the last millisecond of a UTC day and one on
// the first of the next fall on their own days, and a transfer posted late
// with an earlier time (as the demo's history is) falls on the day of its
// time, in a series over every owner and in one of a single owner by type.
func TestDailyDayEdges(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		l, clk := setup(d)
		topUp(t, l, 1, 1_000_00, "fund")
		midnight := time.Date(2026, 3, 10, 0, 0, 0, 0, time.UTC)
		post := func(key string, at time.Time, cents int64) {
			t.Helper()
			clk.Set(at)
			tr := charge(key, 1, 2, cents)
			tr.Postings = append(tr.Postings, ledger.Posting{Account: ledger.PlatformRevenueShard(len(key) % 2), Amount: 1})
			tr.Postings[0].Amount--
			if _, err := l.Transfer(ctx, tr); err != nil {
				t.Fatal(err)
			}
		}
		post("before", midnight.Add(-time.Millisecond), 100)
		post("at", midnight, 20)
		post("after", midnight.Add(24*time.Hour-time.Millisecond), 3)
		post("late", midnight.Add(-36*time.Hour), 4000) // posted last, two days earlier
		now := midnight.Add(36 * time.Hour)
		for _, c := range []struct {
			flow ledger.Flow
			want []int64 // the last four days
		}{
			{ledger.Flow{Kind: ledger.KindEarnings, UserID: 2, Types: ledger.EarningTypes}, []int64{4000, 100, 23, 0}},
			{ledger.Flow{Kind: ledger.KindPlatformRevenue, All: true}, []int64{1, 1, 2, 0}},
		} {
			series, err := l.Daily(ctx, d.Read(), c.flow, now, 4)
			if err != nil {
				t.Fatal(err)
			}
			var got []int64
			for _, s := range series {
				got = append(got, s.Cents)
			}
			if !slices.Equal(got, c.want) || !series[2].Day.Equal(midnight) {
				t.Fatalf("%s by day %v from %v, want %v from %v", c.flow.Kind, got, series[0].Day, c.want, midnight.AddDate(0, 0, -2))
			}
		}
	})
}

// DASH-A: the latest refunds and adjustments are the latest by when they
// were posted, newest first, however many of each type there are — a
// refund posted last with an earlier time (as the demo's history is) is
// not among them.
func TestRecentTransfersByTime(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		l, clk := setup(d)
		topUp(t, l, 1, 1_000_00, "fund")
		if _, err := l.Transfer(ctx, charge("pay", 1, 2, 500_00)); err != nil {
			t.Fatal(err)
		}
		start := clk.Now()
		back := func(key string, typ ledger.EntryType) {
			t.Helper()
			if _, err := l.Transfer(ctx, ledger.Transfer{Key: key, Type: typ, Postings: []ledger.Posting{
				{Account: ledger.Earnings(2), Amount: -1_00}, {Account: ledger.Wallet(1), Amount: 1_00}}}); err != nil {
				t.Fatal(err)
			}
		}
		var want []string // newest first
		for i := range 12 {
			clk.Advance(time.Hour)
			key, typ := fmt.Sprintf("refund-%d", i), ledger.TypeRefund
			if i%4 == 3 {
				key, typ = fmt.Sprintf("adjustment-%d", i), ledger.TypeAdjustment
			}
			back(key, typ)
			want = append([]string{key}, want...)
		}
		clk.Set(start)
		back("late-refund", ledger.TypeRefund)
		for _, n := range []int{5, 12} {
			recent, err := l.RecentTransfers(ctx, d.Read(), n, ledger.TypeRefund, ledger.TypeAdjustment)
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, r := range recent {
				got = append(got, r.Key)
			}
			if !slices.Equal(got, want[:n]) {
				t.Fatalf("latest %d: %v, want %v", n, got, want[:n])
			}
		}
	})
}
