package web

import (
	"context"
	"html/template"
	"time"

	"github.com/soulseer/soulseer/internal/account"
	"github.com/soulseer/soulseer/internal/chart"
	"github.com/soulseer/soulseer/internal/ledger"
	"github.com/soulseer/soulseer/internal/reader"
)

// periods are the starts of the UTC day, week (from Monday) and month
// holding a moment: the windows of a dashboard's "today", "this week" and
// "this month". Days are UTC days so the figures match the ledger's daily
// series on both engines.
type periods struct{ Today, Week, Month time.Time }

func periodsAt(now time.Time) periods {
	now = now.UTC()
	day := time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, time.UTC)
	back := (int(day.Weekday()) + 6) % 7 // days since Monday
	return periods{Today: day, Week: day.AddDate(0, 0, -back), Month: time.Date(now.Year(), now.Month(), 1, 0, 0, 0, 0, time.UTC)}
}

// trendDays are the lengths of the trend charts a dashboard offers; the
// first is the default.
var trendDays = []int{30, 90}

// dayFigure is one UTC day of a trend.
type dayFigure struct {
	Date  string `json:"date"` // YYYY-MM-DD, UTC
	Cents int64  `json:"cents"`
}

func dayFigures(ds []ledger.DaySum) []dayFigure {
	out := make([]dayFigure, len(ds))
	for i, d := range ds {
		out[i] = dayFigure{Date: d.Day.Format(time.DateOnly), Cents: d.Cents}
	}
	return out
}

// trendChart draws a daily trend as an accessible bar chart.
func trendChart(id, title, what string, ds []dayFigure) (template.HTML, error) {
	pts := make([]chart.Point, len(ds))
	for i, d := range ds {
		day, _ := time.Parse(time.DateOnly, d.Date)
		pts[i] = chart.Point{Label: day.Format("2 Jan"), Value: d.Cents}
	}
	desc := what + " per UTC day"
	if len(ds) > 0 {
		desc += ", " + ds[0].Date + " to " + ds[len(ds)-1].Date
	}
	return chart.Bars{ID: id, Title: title, Desc: desc, XLabel: "Day (UTC)", YLabel: what, Points: pts, Format: ledger.FormatCents}.HTML()
}

// clientFigures are the money figures of a client's dashboard (DASH-C).
// Spent is what left the wallet for readings, bookings, gifts, paid
// replies and orders (ledger.SpendingTypes).
type clientFigures struct {
	BalanceCents     int64           `json:"balance_cents"`
	SpentMonthCents  int64           `json:"spent_month_cents"`
	SpentTotalCents  int64           `json:"spent_total_cents"`
	UnreadMessages   int             `json:"unread_messages"`
	UpcomingBookings int             `json:"upcoming_bookings"`
	ActiveReadingIDs []int64         `json:"active_reading_ids"` // readings open now, to rejoin
	Transactions     []entryResponse `json:"transactions"`       // the last 10 wallet entries, newest first
}

// clientFiguresOf reads u's client figures at now.
func (s *Server) clientFiguresOf(ctx context.Context, u account.User, now time.Time) (clientFigures, []ledger.Entry, error) {
	f := clientFigures{ActiveReadingIDs: []int64{}, Transactions: []entryResponse{}}
	var err error
	if f.BalanceCents, err = s.Ledger.Balance(ctx, s.DB.Read(), ledger.Wallet(u.ID)); err != nil {
		return f, nil, err
	}
	spent, err := s.Ledger.FlowTotals(ctx, s.DB.Read(), ledger.Flow{Kind: ledger.KindWallet, UserID: u.ID, Types: ledger.SpendingTypes},
		periodsAt(now).Month, time.Time{})
	if err != nil {
		return f, nil, err
	}
	f.SpentMonthCents, f.SpentTotalCents = -spent.Sum(0), -spent.Sum(1)
	if f.UnreadMessages, err = s.Messages.UnreadTotal(ctx, u.ID); err != nil {
		return f, nil, err
	}
	upcoming, err := s.Schedule.Bookings(ctx, u.ID, "upcoming")
	if err != nil {
		return f, nil, err
	}
	f.UpcomingBookings = len(upcoming)
	entries, err := s.Ledger.Entries(ctx, ledger.Wallet(u.ID), ledger.EntryFilter{Limit: 10})
	if err != nil {
		return f, nil, err
	}
	for _, e := range entries {
		f.Transactions = append(f.Transactions, entryJSON(e))
	}
	return f, entries, nil
}

// earningSource is one source of a reader's earnings and the entry types
// that make it up.
type earningSource struct {
	Key   string
	Label string
	Types []ledger.EntryType
}

// earningSources split a reader's earnings by where they came from; every
// type of ledger.EarningTypes is in exactly one.
var earningSources = []earningSource{
	{"readings", "Readings", []ledger.EntryType{ledger.TypeReadingCharge}},
	{"bookings", "Booked readings", []ledger.EntryType{ledger.TypeBookingCharge}},
	{"gifts", "Gifts", []ledger.EntryType{ledger.TypeGift, ledger.TypeCommission}},
	{"paid_replies", "Paid replies", []ledger.EntryType{ledger.TypePaidReply}},
	{"tickets_subscriptions", "Tickets and subscriptions", []ledger.EntryType{ledger.TypeOrder}},
	{"refunds_adjustments", "Refunds and adjustments", []ledger.EntryType{ledger.TypeRefund, ledger.TypeAdjustment}},
}

// sourceFigure is a reader's earnings from one source.
type sourceFigure struct {
	Source     string `json:"source"`
	Label      string `json:"label"`
	TodayCents int64  `json:"today_cents"`
	WeekCents  int64  `json:"week_cents"`
	MonthCents int64  `json:"month_cents"`
}

// nextPayoutFigure is a reader's next payout (DASH-R), as their payout
// settings show it (payout.Summary).
type nextPayoutFigure struct {
	State        string      `json:"state"` // what it waits for: payout.NextSetup, NextHeld, NextBelowMinimum or NextScheduled
	At           time.Time   `json:"at"`    // when the schedule pays next
	MinimumCents int64       `json:"minimum_cents"`
	Last         *payoutJSON `json:"last,omitempty"` // the latest payout, if any
}

// readerFigures are the money and reading figures of a reader's dashboard
// (DASH-R). Earned figures are net of refunds and adjustments and leave
// out payouts; available is the earnings balance not yet paid out, and
// the next payout pays all of it when it is scheduled.
type readerFigures struct {
	AvailableCents int64            `json:"available_cents"`
	NextPayout     nextPayoutFigure `json:"next_payout"`
	TodayCents     int64            `json:"today_cents"`
	WeekCents      int64            `json:"week_cents"`
	MonthCents     int64            `json:"month_cents"`
	TotalCents     int64            `json:"total_cents"`
	Sources        []sourceFigure   `json:"sources"`
	TrendDays      int              `json:"trend_days"`
	Trend          []dayFigure      `json:"trend"`
	Readings       int64            `json:"readings"`
	Rating         float64          `json:"rating"`
	RatingCount    int64            `json:"rating_count"`
}

// readerFiguresOf reads reader p's figures at now with a trend of days.
func (s *Server) readerFiguresOf(ctx context.Context, p reader.Profile, now time.Time, days int) (readerFigures, error) {
	f := readerFigures{TrendDays: days, Readings: p.ReadingsCount, Rating: p.Rating(), RatingCount: p.RatingCount}
	sum, err := s.Payouts.Summary(ctx, p.UserID)
	if err != nil {
		return f, err
	}
	f.AvailableCents = sum.AvailableCents
	f.NextPayout = nextPayoutFigure{State: sum.Next(), At: sum.NextPayoutAt, MinimumCents: sum.MinimumCents}
	if len(sum.Payouts) > 0 {
		f.NextPayout.Last = &payoutsJSON(sum.Payouts[:1])[0]
	}
	flow := ledger.Flow{Kind: ledger.KindEarnings, UserID: p.UserID, Types: ledger.EarningTypes}
	at := periodsAt(now)
	tot, err := s.Ledger.FlowTotals(ctx, s.DB.Read(), flow, at.Today, at.Week, at.Month, time.Time{})
	if err != nil {
		return f, err
	}
	f.TodayCents, f.WeekCents, f.MonthCents, f.TotalCents = tot.Sum(0), tot.Sum(1), tot.Sum(2), tot.Sum(3)
	for _, src := range earningSources {
		sf := sourceFigure{Source: src.Key, Label: src.Label}
		for _, t := range src.Types {
			sf.TodayCents += tot.Of(t, 0)
			sf.WeekCents += tot.Of(t, 1)
			sf.MonthCents += tot.Of(t, 2)
		}
		f.Sources = append(f.Sources, sf)
	}
	series, err := s.Ledger.Daily(ctx, s.DB.Read(), flow, now, days)
	if err != nil {
		return f, err
	}
	f.Trend = dayFigures(series)
	return f, nil
}

// topReader is a reader ranked by earnings this month.
type topReader struct {
	UserID      int64  `json:"user_id"`
	DisplayName string `json:"display_name"`
	Cents       int64  `json:"cents"`
}

// moneyEvent is a refund or adjustment in the admin's list.
type moneyEvent struct {
	TransferID  int64            `json:"transfer_id"`
	Type        ledger.EntryType `json:"type"`
	AmountCents int64            `json:"amount_cents"`
	Memo        string           `json:"memo"`
	CreatedAt   time.Time        `json:"created_at"`
}

// adminFigures are the platform figures of the admin dashboard (DASH-A).
// Revenue is what reached the platform's revenue accounts, net of refunds.
type adminFigures struct {
	Users                int          `json:"users"`
	Readers              int          `json:"readers"`
	PendingVerifications int          `json:"pending_verifications"`
	KYCFlags             int          `json:"kyc_flags"` // unverified readers whose identity check is pending or was rejected
	ModerationQueue      int          `json:"moderation_queue"`
	OpenClaims           int          `json:"open_claims"`
	PayoutsDue           int          `json:"payouts_due"`       // readers the next payout run pays: due, with at least the minimum
	PayoutsDueCents      int64        `json:"payouts_due_cents"` // what that run pays them
	PayoutsFailed        int          `json:"payouts_failed"`    // payouts failed in the last failedPayoutDays days
	ReadingsToday        int          `json:"readings_today"`
	RevenueTodayCents    int64        `json:"revenue_today_cents"`
	RevenueMonthCents    int64        `json:"revenue_month_cents"`
	TrendDays            int          `json:"trend_days"`
	Trend                []dayFigure  `json:"trend"`
	TopReaders           []topReader  `json:"top_readers"`    // this month, at most 5
	RecentRefunds        []moneyEvent `json:"recent_refunds"` // the latest 5 refunds and adjustments
}

// failedPayoutDays is how far back the admin dashboard counts failed
// payouts.
const failedPayoutDays = 30

// adminFiguresOf reads the platform's figures at now with a trend of days;
// pending are the readers awaiting verification.
func (s *Server) adminFiguresOf(ctx context.Context, pending []reader.Profile, now time.Time, days int) (adminFigures, error) {
	f := adminFigures{PendingVerifications: len(pending), TrendDays: days, TopReaders: []topReader{}, RecentRefunds: []moneyEvent{}}
	for _, p := range pending {
		if p.KYCStatus == reader.KYCPending || p.KYCStatus == reader.KYCRejected {
			f.KYCFlags++
		}
	}
	var err error
	if _, f.Users, err = s.Accounts.List(ctx, account.ListFilter{Limit: 1}); err != nil {
		return f, err
	}
	if _, f.Readers, err = s.Accounts.List(ctx, account.ListFilter{Role: account.RoleReader, Limit: 1}); err != nil {
		return f, err
	}
	if f.ModerationQueue, err = s.Flags.PendingCount(ctx); err != nil {
		return f, err
	}
	due, err := s.Payouts.Due(ctx)
	if err != nil {
		return f, err
	}
	for _, d := range due {
		if d.Payable(s.Payouts.MinCents) {
			f.PayoutsDue++
			f.PayoutsDueCents += d.AvailableCents
		}
	}
	if f.PayoutsFailed, err = s.Payouts.FailedSince(ctx, now.AddDate(0, 0, -failedPayoutDays)); err != nil {
		return f, err
	}
	at := periodsAt(now)
	counts, err := s.Readings.Counts(ctx, at.Today)
	if err != nil {
		return f, err
	}
	f.ReadingsToday, f.OpenClaims = counts.StartedSince, counts.PendingClaims
	// one series covers both the trend and this month's days, so the
	// revenue is read once
	month := int(at.Today.Sub(at.Month)/(24*time.Hour)) + 1
	series, err := s.Ledger.Daily(ctx, s.DB.Read(), ledger.Flow{Kind: ledger.KindPlatformRevenue, All: true}, now, max(days, month))
	if err != nil {
		return f, err
	}
	for _, d := range series[len(series)-month:] {
		f.RevenueMonthCents += d.Cents
	}
	f.RevenueTodayCents = series[len(series)-1].Cents
	f.Trend = dayFigures(series[len(series)-days:])
	top, err := s.Ledger.TopEarners(ctx, s.DB.Read(), ledger.Flow{Kind: ledger.KindEarnings, All: true, Types: ledger.EarningTypes}, at.Month, 5)
	if err != nil {
		return f, err
	}
	for _, e := range top {
		u, err := s.Accounts.Get(ctx, e.UserID)
		if err != nil {
			return f, err
		}
		f.TopReaders = append(f.TopReaders, topReader{UserID: e.UserID, DisplayName: u.DisplayName, Cents: e.Cents})
	}
	recent, err := s.Ledger.RecentTransfers(ctx, s.DB.Read(), 5, ledger.TypeRefund, ledger.TypeAdjustment)
	if err != nil {
		return f, err
	}
	for _, t := range recent {
		f.RecentRefunds = append(f.RecentRefunds, moneyEvent{TransferID: t.ID, Type: t.Type, AmountCents: t.Moved(), Memo: t.Memo, CreatedAt: t.CreatedAt})
	}
	return f, nil
}
