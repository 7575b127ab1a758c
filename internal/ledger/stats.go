package ledger

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/soulseer/soulseer/internal/apperr"
	"github.com/soulseer/soulseer/internal/db"
)

// DayMillis is the length of a UTC day in milliseconds: a posting's day is
// its created_at divided by it, the same integer on both engines (DASH-R,
// DASH-A).
const DayMillis = 24 * 60 * 60 * 1000

// Flow names the postings a figure adds up: those into and out of the
// accounts of one kind — of one user, or of every owner when All is set
// (the platform's revenue shards, every reader's earnings) — made by
// transfers of the given types (every type when Types is empty).
type Flow struct {
	Kind   AccountKind
	UserID int64
	All    bool
	Types  []EntryType
}

// EarningTypes are the entry types that make up what a reader earned:
// everything that reaches or leaves their earnings except payouts, which
// only move earned money to the bank (DASH-R).
var EarningTypes = []EntryType{TypeReadingCharge, TypeBookingCharge, TypeGift, TypeCommission,
	TypePaidReply, TypeOrder, TypeRefund, TypeAdjustment}

// SpendingTypes are the entry types of money a client spends from their
// wallet on readers and the shop; top-ups, refunds, adjustments and
// dispute holds are not spending (DASH-C).
var SpendingTypes = []EntryType{TypeReadingCharge, TypeBookingCharge, TypeGift, TypeCommission,
	TypePaidReply, TypeOrder}

// from is the tables f's condition reads, in the order to read them:
// postings first, then — only when the flow names types — their
// transfers. CROSS JOIN keeps SQLite from starting at the transfers (which
// have no index on type) and means the same as an inner join to
// PostgreSQL.
func (f Flow) from() string {
	if len(f.Types) == 0 {
		return "ledger_postings p"
	}
	return "ledger_postings p CROSS JOIN ledger_transfers t"
}

// where is f's condition on postings p (joined to transfers t when f has
// types, see from), with its arguments numbered after the n already taken.
func (f Flow) where(n int) (string, []any, error) {
	if _, ok := userKind(f.Kind); !ok || (!f.All && (Ref{f.Kind, f.UserID}).valid() != "") {
		return "", nil, apperr.Errorf(apperr.Invalid, "ledger: no accounts match the flow %+v", f)
	}
	args := []any{string(f.Kind)}
	cond := fmt.Sprintf("p.account_id IN (SELECT id FROM ledger_accounts WHERE kind = $%d)", n+1)
	if !f.All {
		args = append(args, f.UserID)
		cond = fmt.Sprintf("p.account_id = (SELECT id FROM ledger_accounts WHERE kind = $%d AND user_id = $%d)", n+1, n+2)
	}
	if len(f.Types) > 0 {
		ps := make([]string, len(f.Types))
		for i, t := range f.Types {
			args = append(args, string(t))
			ps[i] = fmt.Sprintf("$%d", n+len(args))
		}
		cond += " AND t.id = p.transfer_id AND t.type IN (" + strings.Join(ps, ", ") + ")"
	}
	return cond, args, nil
}

// Totals are the sums of a flow since each of several moments, up to now,
// by entry type.
type Totals struct {
	Since  []time.Time
	ByType map[EntryType][]int64 // ByType[t][i] is the sum of type t since Since[i]
}

// Sum is the flow's total since Since[i] over every type.
func (t Totals) Sum(i int) int64 {
	var s int64
	for _, v := range t.ByType {
		s += v[i]
	}
	return s
}

// Of is the flow's total of type e since Since[i].
func (t Totals) Of(e EntryType, i int) int64 {
	if v, ok := t.ByType[e]; ok {
		return v[i]
	}
	return 0
}

// FlowTotals adds up flow f since each moment in since (a zero time meaning
// since the beginning), by entry type, in one query: the figures a
// dashboard shows for today, this week, this month and overall.
func (l *Ledger) FlowTotals(ctx context.Context, q db.Querier, f Flow, since ...time.Time) (Totals, error) {
	cond, args, err := f.where(0)
	if err != nil {
		return Totals{}, err
	}
	var cols []string
	for _, s := range since {
		from := int64(0)
		if !s.IsZero() {
			from = db.Millis(s)
		}
		args = append(args, from)
		cols = append(cols, fmt.Sprintf("COALESCE(sum(CASE WHEN p.created_at >= $%d THEN p.amount ELSE 0 END), 0)", len(args)))
	}
	out := Totals{Since: since, ByType: map[EntryType][]int64{}}
	if len(since) == 0 {
		return out, nil
	}
	rs, err := q.QueryContext(ctx, `SELECT t.type, `+strings.Join(cols, ", ")+`
		FROM ledger_postings p CROSS JOIN ledger_transfers t
		WHERE `+cond+` AND t.id = p.transfer_id GROUP BY t.type`, args...)
	if err != nil {
		return Totals{}, fmt.Errorf("ledger: totals: %w", err)
	}
	err = scanAll(rs, func() error {
		var e EntryType
		sums := make([]int64, len(since))
		dest := []any{&e}
		for i := range sums {
			dest = append(dest, &sums[i])
		}
		if err := rs.Scan(dest...); err != nil {
			return err
		}
		out.ByType[e] = sums
		return nil
	})
	if err != nil {
		return Totals{}, fmt.Errorf("ledger: totals: %w", err)
	}
	return out, nil
}

// DaySum is a flow's total over one UTC day.
type DaySum struct {
	Day   time.Time // midnight UTC
	Cents int64
}

// Daily adds up flow f for each UTC day of the days up to and including
// the day of now, oldest first, with a zero for a day without postings.
// Day d holds the postings whose created_at is in [d×DayMillis,
// (d+1)×DayMillis), so both engines put a posting on the same day. Each
// day is its own sum over a range of the index of postings by account and
// time, so no posting is sorted: grouping the whole range by day made
// SQLite sort every posting in it (docs/benchmarks.md, Dashboards).
func (l *Ledger) Daily(ctx context.Context, q db.Querier, f Flow, now time.Time, days int) ([]DaySum, error) {
	if days < 1 || days > 366 {
		return nil, apperr.Errorf(apperr.Invalid, "ledger: a daily series covers 1 to 366 days, not %d", days)
	}
	cond, args, err := f.where(2)
	if err != nil {
		return nil, err
	}
	last := db.Millis(now) / DayMillis
	first := last - int64(days) + 1
	ms := fmt.Sprint(DayMillis)
	rs, err := q.QueryContext(ctx, `WITH RECURSIVE days (d) AS (SELECT CAST($1 AS BIGINT) UNION ALL SELECT d + 1 FROM days WHERE d < $2)
		SELECT days.d, (SELECT COALESCE(sum(p.amount), 0) FROM `+f.from()+`
			WHERE p.created_at >= days.d * `+ms+` AND p.created_at < (days.d + 1) * `+ms+` AND `+cond+`)
		FROM days`, append([]any{first, last}, args...)...)
	if err != nil {
		return nil, fmt.Errorf("ledger: daily: %w", err)
	}
	out := make([]DaySum, days)
	for i := range out {
		out[i].Day = db.Time((first + int64(i)) * DayMillis)
	}
	err = scanAll(rs, func() error {
		var d, cents int64
		if err := rs.Scan(&d, &cents); err != nil {
			return err
		}
		out[d-first].Cents = cents
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("ledger: daily: %w", err)
	}
	return out, nil
}

// Earner is one user's total of a flow over every owner.
type Earner struct {
	UserID int64
	Cents  int64
}

// TopEarners is the n owners of f's accounts (f.All) with the largest
// totals from since up to now, largest first, ties by user id: the top
// readers by earnings (DASH-A). It adds up every posting of those accounts
// from the index of postings by account and time, then takes away those
// of the transfers whose types f leaves out (payouts), found from the
// index of transfers by type and time — a transfer and its postings share
// one created_at — so no posting needs its transfer looked up.
func (l *Ledger) TopEarners(ctx context.Context, q db.Querier, f Flow, since time.Time, n int) ([]Earner, error) {
	if !f.All {
		return nil, apperr.Errorf(apperr.Invalid, "ledger: top earners rank every owner of an account kind")
	}
	if _, _, err := f.where(0); err != nil {
		return nil, err
	}
	from := db.Millis(since)
	sums := map[int64]int64{}
	add := func(sign int64, query string, args ...any) error {
		rs, err := q.QueryContext(ctx, query, args...)
		if err != nil {
			return err
		}
		return scanAll(rs, func() error {
			var user, cents int64
			if err := rs.Scan(&user, &cents); err != nil {
				return err
			}
			sums[user] += sign * cents
			return nil
		})
	}
	err := add(1, `SELECT a.user_id, COALESCE(sum(p.amount), 0) FROM ledger_accounts a CROSS JOIN ledger_postings p
		WHERE a.kind = $1 AND p.account_id = a.id AND p.created_at >= $2 GROUP BY a.user_id`, string(f.Kind), from)
	var out []string
	args := []any{string(f.Kind), from}
	for _, t := range entryTypes {
		if len(f.Types) > 0 && !slices.Contains(f.Types, t) {
			args = append(args, string(t))
			out = append(out, fmt.Sprintf("$%d", len(args)))
		}
	}
	if err == nil && len(out) > 0 {
		err = add(-1, `SELECT a.user_id, COALESCE(sum(p.amount), 0)
			FROM ledger_transfers t CROSS JOIN ledger_postings p CROSS JOIN ledger_accounts a
			WHERE t.created_at >= $2 AND t.type IN (`+strings.Join(out, ", ")+`) AND p.transfer_id = t.id
			AND a.id = p.account_id AND a.kind = $1 GROUP BY a.user_id`, args...)
	}
	if err != nil {
		return nil, fmt.Errorf("ledger: top earners: %w", err)
	}
	var top []Earner
	for user, cents := range sums {
		if cents > 0 {
			top = append(top, Earner{UserID: user, Cents: cents})
		}
	}
	slices.SortFunc(top, func(a, b Earner) int {
		if a.Cents != b.Cents {
			return cmp.Compare(b.Cents, a.Cents)
		}
		return cmp.Compare(a.UserID, b.UserID)
	})
	return top[:min(len(top), max(min(n, 100), 1))], nil
}

// RecentTransfers is the latest n transfers of the given types by when
// they were posted (ties by id), newest first, with their postings: the
// refunds and adjustments an admin dashboard lists (DASH-A). The latest n
// of each type are read from the index of transfers by type and time, so
// the work does not grow with the ledger.
func (l *Ledger) RecentTransfers(ctx context.Context, q db.Querier, n int, types ...EntryType) ([]TransferInfo, error) {
	if len(types) == 0 {
		return nil, apperr.Errorf(apperr.Invalid, "ledger: recent transfers of which types?")
	}
	n = max(min(n, 100), 1)
	args := make([]any, len(types))
	latest := make([]string, len(types))
	for i, t := range types {
		args[i] = string(t)
		latest[i] = fmt.Sprintf(`SELECT * FROM (SELECT id, created_at FROM ledger_transfers WHERE type = $%d
			ORDER BY created_at DESC, id DESC LIMIT %d) latest%d`, i+1, n, i)
	}
	ts, err := transfers(ctx, q, `id IN (SELECT id FROM (`+strings.Join(latest, " UNION ")+`) recent
		ORDER BY created_at DESC, id DESC LIMIT `+fmt.Sprint(n)+`)`, args...)
	slices.SortFunc(ts, func(a, b TransferInfo) int {
		return cmp.Or(b.CreatedAt.Compare(a.CreatedAt), cmp.Compare(b.ID, a.ID))
	})
	return ts, err
}

// Moved is how much money a transfer moved: the sum of its credits.
func (t TransferInfo) Moved() int64 {
	var s int64
	for _, p := range t.Postings {
		s += max(p.Amount, 0)
	}
	return s
}
