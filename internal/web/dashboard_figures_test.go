package web_test

import (
	"fmt"
	"math/rand/v2"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/soulseer/soulseer/internal/apptest"
	"github.com/soulseer/soulseer/internal/clock"
	"github.com/soulseer/soulseer/internal/db/dbtest"
	"github.com/soulseer/soulseer/internal/ledger"
)

// dashboardJSON is GET /api/v1/me/dashboard as this test reads it.
type dashboardJSON struct {
	Role   string `json:"role"`
	Client struct {
		BalanceCents    int64 `json:"balance_cents"`
		SpentMonthCents int64 `json:"spent_month_cents"`
		SpentTotalCents int64 `json:"spent_total_cents"`
		Transactions    []struct {
			AmountCents int64 `json:"amount_cents"`
		} `json:"transactions"`
	} `json:"client"`
	Reader *struct {
		AvailableCents int64 `json:"available_cents"`
		NextPayout     struct {
			State        string    `json:"state"`
			At           time.Time `json:"at"`
			MinimumCents int64     `json:"minimum_cents"`
			Last         *struct {
				ID    int64  `json:"id"`
				State string `json:"state"`
			} `json:"last"`
		} `json:"next_payout"`
		TodayCents int64 `json:"today_cents"`
		WeekCents  int64 `json:"week_cents"`
		MonthCents int64 `json:"month_cents"`
		TotalCents int64 `json:"total_cents"`
		Sources    []struct {
			Source     string `json:"source"`
			TodayCents int64  `json:"today_cents"`
			WeekCents  int64  `json:"week_cents"`
			MonthCents int64  `json:"month_cents"`
		} `json:"sources"`
		Trend []struct {
			Date  string `json:"date"`
			Cents int64  `json:"cents"`
		} `json:"trend"`
	} `json:"reader"`
	Admin *struct {
		Users             int   `json:"users"`
		PayoutsDue        int   `json:"payouts_due"`
		PayoutsDueCents   int64 `json:"payouts_due_cents"`
		PayoutsFailed     int   `json:"payouts_failed"`
		RevenueTodayCents int64 `json:"revenue_today_cents"`
		RevenueMonthCents int64 `json:"revenue_month_cents"`
		Trend             []struct {
			Date  string `json:"date"`
			Cents int64  `json:"cents"`
		} `json:"trend"`
		TopReaders []struct {
			UserID int64 `json:"user_id"`
			Cents  int64 `json:"cents"`
		} `json:"top_readers"`
		RecentRefunds []struct {
			TransferID  int64  `json:"transfer_id"`
			Type        string `json:"type"`
			AmountCents int64  `json:"amount_cents"`
		} `json:"recent_refunds"`
	} `json:"admin"`
}

// sourceOf is the dashboard's source of an entry type, as this test
// understands the split of a reader's earnings.
var sourceOf = map[ledger.EntryType]string{
	ledger.TypeReadingCharge: "readings", ledger.TypeBookingCharge: "bookings", ledger.TypeGift: "gifts",
	ledger.TypePaidReply: "paid_replies", ledger.TypeOrder: "tickets_subscriptions",
	ledger.TypeRefund: "refunds_adjustments", ledger.TypeAdjustment: "refunds_adjustments",
}

// DASH-C, DASH-R, DASH-A: after two months of transfers posted a few hours
// apart on a fake clock — readings, bookings, gifts, paid replies and
// tickets paid to two readers, refunds, an adjustment and a payout — the
// three dashboards and GET /api/v1/me/dashboard show the sums this test
// keeps of what it posted: the client's spending this month and overall,
// the reader's earnings today, this week and this month by source with a
// daily trend, the platform's revenue today, this month and per day, the
// top readers and the latest refunds; and the ledger still verifies. Then
// the payouts due and failed, and each reader's next payout (see
// dashboardPayouts).
func TestDashboardFigures(t *testing.T) {
	t.Parallel()
	for _, e := range dbtest.Engines() {
		t.Run(string(e), func(t *testing.T) {
			t.Parallel()
			clk := clock.NewFake(time.Date(2026, 10, 3, 9, 0, 0, 0, time.UTC))
			// no periodic payout run pays the readers behind the test's back
			dashboardFigures(t, apptest.Start(t, e, roomyLimits(), apptest.WithClock(clk), apptest.WithManualSweeps()), clk)
		})
	}
}

func dashboardFigures(t *testing.T, s *apptest.Server, clk *clock.Fake) {
	w := newWorld(t, s)
	l := s.App.Ledger
	rng := rand.New(rand.NewPCG(3, 5))
	post := func(tr ledger.Transfer) {
		t.Helper()
		if _, err := l.Transfer(ctx, tr); err != nil {
			t.Fatal(err)
		}
	}
	post(ledger.Transfer{Key: "dash-fund", Type: ledger.TypeTopUp, Postings: []ledger.Posting{
		{Account: ledger.StripeClearing(), Amount: -500_000_00}, {Account: ledger.Wallet(w.client.ID), Amount: 500_000_00}}})

	type posted struct {
		at     time.Time
		typ    ledger.EntryType
		reader int64
		earned int64 // into the reader's earnings
		fee    int64 // into the platform's revenue
		spent  int64 // out of the client's wallet, for spending types
	}
	var log []posted
	var refundKeys []string
	types := []ledger.EntryType{ledger.TypeReadingCharge, ledger.TypeBookingCharge, ledger.TypeGift, ledger.TypePaidReply, ledger.TypeOrder}
	readers := []int64{w.reader.ID, w.pending.ID}
	for i := range 180 {
		clk.Advance(time.Duration(5+rng.IntN(6)) * time.Hour)
		typ, rdr := types[i%len(types)], readers[rng.IntN(2)]
		price := 100 + rng.Int64N(20_000)
		fee := price * 3 / 10
		post(ledger.Transfer{Key: fmt.Sprintf("dash-%d", i), Type: typ, Postings: []ledger.Posting{
			{Account: ledger.Wallet(w.client.ID), Amount: -price}, {Account: ledger.Earnings(rdr), Amount: price - fee},
			{Account: ledger.PlatformRevenueShard(i % 4), Amount: fee}}})
		log = append(log, posted{clk.Now(), typ, rdr, price - fee, fee, price})
		if i%17 == 5 {
			back := (price - fee) / 2
			key := fmt.Sprintf("dash-%d-refund", i)
			post(ledger.Transfer{Key: key, Type: ledger.TypeRefund, Memo: "Refund of " + key, Postings: []ledger.Posting{
				{Account: ledger.Earnings(rdr), Amount: -back}, {Account: ledger.PlatformRevenue(), Amount: -fee},
				{Account: ledger.Wallet(w.client.ID), Amount: back + fee}}})
			log = append(log, posted{clk.Now(), ledger.TypeRefund, rdr, -back, -fee, 0})
			refundKeys = append(refundKeys, key)
		}
	}
	post(ledger.Transfer{Key: "dash-adjust", Type: ledger.TypeAdjustment, Memo: "Goodwill", Postings: []ledger.Posting{
		{Account: ledger.Adjustments(), Amount: -250}, {Account: ledger.Earnings(w.reader.ID), Amount: 250}}})
	log = append(log, posted{clk.Now(), ledger.TypeAdjustment, w.reader.ID, 250, 0, 0})
	refundKeys = append(refundKeys, "dash-adjust")
	post(ledger.Transfer{Key: "dash-payout", Type: ledger.TypePayout, Postings: []ledger.Posting{
		{Account: ledger.Earnings(w.reader.ID), Amount: -1_00}, {Account: ledger.Payouts(), Amount: 1_00}}})
	now := clk.Now()
	if len(log) < 190 || now.Sub(log[0].at) < 40*24*time.Hour {
		t.Fatalf("only %d transfers over %v", len(log), now.Sub(log[0].at))
	}

	// the sums, worked out here from what was posted
	today := time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, time.UTC)
	week := today
	for week.Weekday() != time.Monday {
		week = week.AddDate(0, 0, -1)
	}
	month := time.Date(now.Year(), now.Month(), 1, 0, 0, 0, 0, time.UTC)
	var refunded, spentMonth, spentTotal, revToday, revMonth, earnToday, earnWeek, earnMonth, earnTotal, available int64
	earnedBy := map[int64]int64{} // by reader, over all time
	bySource := map[string][3]int64{}
	earnDay, revDay := map[string]int64{}, map[string]int64{}
	topMonth := map[int64]int64{}
	for _, p := range log {
		day := p.at.Format(time.DateOnly)
		revDay[day] += p.fee
		spentTotal += p.spent
		if p.typ == ledger.TypeRefund {
			refunded -= p.earned + p.fee
		}
		if !p.at.Before(month) {
			spentMonth += p.spent
			revMonth += p.fee
			topMonth[p.reader] += p.earned
		}
		if !p.at.Before(today) {
			revToday += p.fee
		}
		earnedBy[p.reader] += p.earned
		if p.reader != w.reader.ID {
			continue
		}
		earnTotal += p.earned
		earnDay[day] += p.earned
		src := bySource[sourceOf[p.typ]]
		for k, from := range []time.Time{today, week, month} {
			if !p.at.Before(from) {
				src[k] += p.earned
			}
		}
		bySource[sourceOf[p.typ]] = src
		if !p.at.Before(today) {
			earnToday += p.earned
		}
		if !p.at.Before(week) {
			earnWeek += p.earned
		}
		if !p.at.Before(month) {
			earnMonth += p.earned
		}
	}
	available = earnTotal - 1_00
	if earnMonth == 0 || earnWeek == 0 || revMonth == 0 || spentMonth == 0 {
		t.Fatalf("the month holds too little: earned %d, this week %d, revenue %d, spent %d", earnMonth, earnWeek, revMonth, spentMonth)
	}
	if r, err := ledger.Verify(ctx, s.App.DB); err != nil || len(r.Problems) > 0 {
		t.Fatalf("ledger verify: %v %v", r.Problems, err)
	}

	// tokens made now, so the clock's months have not expired them
	client, rdr, admin := bearer(t, s, w.client), bearer(t, s, w.reader), bearer(t, s, w.admin)

	var cd dashboardJSON
	res := client.Do("GET", "/api/v1/me/dashboard", nil)
	if res.Status != http.StatusOK {
		t.Fatalf("client dashboard: %d %s", res.Status, res.Body)
	}
	res.JSON(t, &cd)
	if cd.Role != "client" || cd.Reader != nil || cd.Admin != nil || cd.Client.SpentMonthCents != spentMonth || cd.Client.SpentTotalCents != spentTotal ||
		len(cd.Client.Transactions) != 10 || cd.Client.BalanceCents != 500_000_00-spentTotal+refunded {
		t.Fatalf("client figures %+v; want spent %d this month, %d overall", cd.Client, spentMonth, spentTotal)
	}

	var rd dashboardJSON
	res = rdr.Do("GET", "/api/v1/me/dashboard?days=90", nil)
	if res.Status != http.StatusOK {
		t.Fatalf("reader dashboard: %d %s", res.Status, res.Body)
	}
	res.JSON(t, &rd)
	f := rd.Reader
	if rd.Role != "reader" || f == nil || f.AvailableCents != available || f.TodayCents != earnToday || f.WeekCents != earnWeek ||
		f.MonthCents != earnMonth || f.TotalCents != earnTotal || len(f.Trend) != 90 {
		t.Fatalf("reader figures %+v; want available %d, today %d, week %d, month %d, total %d", f, available, earnToday, earnWeek, earnMonth, earnTotal)
	}
	for _, src := range f.Sources {
		if want := bySource[src.Source]; [3]int64{src.TodayCents, src.WeekCents, src.MonthCents} != want {
			t.Fatalf("source %s: %+v, want %v", src.Source, src, want)
		}
	}
	var trendSum int64
	for _, d := range f.Trend {
		if d.Cents != earnDay[d.Date] {
			t.Fatalf("earned on %s: %d, want %d", d.Date, d.Cents, earnDay[d.Date])
		}
		trendSum += d.Cents
	}
	if trendSum != earnTotal || f.Trend[89].Date != now.Format(time.DateOnly) {
		t.Fatalf("trend adds to %d, want %d; ends %s", trendSum, earnTotal, f.Trend[89].Date)
	}

	var ad dashboardJSON
	res = admin.Do("GET", "/api/v1/me/dashboard", nil)
	if res.Status != http.StatusOK {
		t.Fatalf("admin dashboard: %d %s", res.Status, res.Body)
	}
	res.JSON(t, &ad)
	a := ad.Admin
	if ad.Role != "admin" || a == nil || a.RevenueTodayCents != revToday || a.RevenueMonthCents != revMonth || len(a.Trend) != 30 || a.Users < 4 {
		t.Fatalf("admin figures %+v; want revenue today %d, this month %d", a, revToday, revMonth)
	}
	for _, d := range a.Trend {
		if d.Cents != revDay[d.Date] {
			t.Fatalf("revenue on %s: %d, want %d", d.Date, d.Cents, revDay[d.Date])
		}
	}
	if len(a.TopReaders) != 2 || a.TopReaders[0].Cents < a.TopReaders[1].Cents || a.TopReaders[0].Cents != topMonth[a.TopReaders[0].UserID] ||
		a.TopReaders[1].Cents != topMonth[a.TopReaders[1].UserID] {
		t.Fatalf("top readers %+v, want %v", a.TopReaders, topMonth)
	}
	if len(a.RecentRefunds) != 5 || a.RecentRefunds[0].Type != "adjustment" || a.RecentRefunds[0].AmountCents != 250 || a.RecentRefunds[1].Type != "refund" {
		t.Fatalf("recent refunds %+v, want the latest of %v", a.RecentRefunds, refundKeys)
	}

	// the pages show the same figures, and a chart with its table
	res = page(client, "/dashboard")
	mustContain(t, res, `data-spent-month>`+ledger.FormatCents(spentMonth)+`<`, `data-spent-total>`+ledger.FormatCents(spentTotal)+`<`)
	res = page(rdr, "/reader/dashboard")
	mustContain(t, res, `data-earned-today>`+ledger.FormatCents(earnToday)+`<`, `data-earned-week>`+ledger.FormatCents(earnWeek)+`<`,
		`data-earned-month>`+ledger.FormatCents(earnMonth)+`<`, `data-earned-available>`+ledger.FormatCents(available)+`<`,
		`<svg`, `role="img"`, `Your earnings, last 30 days`, `<summary>Your earnings, last 30 days as a table</summary>`, `Day (UTC)`)
	if n := strings.Count(string(res.Body), "</title></rect>"); n != 30 {
		t.Fatalf("the earnings chart has %d bars, want 30", n)
	}
	res = page(admin, "/admin?days=90")
	mustContain(t, res, `data-stat="revenue-today">`+ledger.FormatCents(revToday)+`<`, `data-stat="revenue-month">`+ledger.FormatCents(revMonth)+`<`,
		`Platform revenue, last 90 days`, `data-top-reader="`+id(a.TopReaders[0].UserID)+`"`)
	if n := strings.Count(string(res.Body), "</title></rect>"); n != 90 {
		t.Fatalf("the revenue chart has %d bars, want 90", n)
	}

	// a trend of another length is refused, changing nothing
	res = rdr.Do("GET", "/api/v1/me/dashboard?days=7", nil)
	if res.Status != http.StatusBadRequest || !strings.Contains(string(res.Body), "days") {
		t.Fatalf("days=7: %d %s", res.Status, res.Body)
	}
	res = page(admin, "/admin?days=abc")
	if res.Status != http.StatusBadRequest {
		t.Fatalf("/admin?days=abc: %d", res.Status)
	}
	mustContain(t, res, "Choose 30 or 90 days.", "Platform revenue, last 30 days")

	dashboardPayouts(t, w, clk, available, earnedBy[w.pending.ID])
	if r, err := ledger.Verify(ctx, s.App.DB); err != nil || len(r.Problems) > 0 {
		t.Fatalf("ledger verify after the payouts: %v %v", r.Problems, err)
	}
}
