package limits

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/soulseer/soulseer/internal/account"
	"github.com/soulseer/soulseer/internal/apperr"
	"github.com/soulseer/soulseer/internal/db"
	"github.com/soulseer/soulseer/internal/ledger"
)

// Spending are the entry types that spend a client's wallet: readings,
// bookings, gifts, paid replies and orders (tickets, subscriptions, the
// shop). Top-ups, refunds and admin adjustments are not spending.
var Spending = []ledger.EntryType{ledger.TypeReadingCharge, ledger.TypeBookingCharge, ledger.TypeGift, ledger.TypePaidReply, ledger.TypeOrder}

// Problem is the problem type of a refusal by a limit; its code is
// apperr.InsufficientFunds, so every way of spending treats it as money the
// client cannot spend (a reading pauses, a renewal lapses, a purchase is
// refused with 402).
const Problem = "spending-limit"

func refusal(format string, args ...any) error {
	return &apperr.Error{Code: apperr.InsufficientFunds, Problem: Problem, Message: fmt.Sprintf(format, args...)}
}

// IsRefusal reports whether err is a refusal by a spending limit.
func IsRefusal(err error) bool {
	e := apperr.As(err)
	return e != nil && e.Problem == Problem
}

// Window is the start of the client's day and month at now, in their time
// zone: the daily and monthly caps count spending since then.
func Window(now time.Time, loc *time.Location) (day, month time.Time) {
	t := now.In(loc)
	return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, loc), time.Date(t.Year(), t.Month(), 1, 0, 0, 0, 0, loc)
}

// spend is one wallet debit of a spending transfer.
type spend struct {
	i     int // index of the transfer
	user  int64
	cents int64
}

// limited is a client with limits and what they spent so far.
type limited struct {
	limits      Limits
	day, month  int64            // spent today and this month, in cents
	perReading  map[string]int64 // spent per reading (cause id) in this check
	readingBase map[string]bool  // readings whose earlier spending was read
}

// Guard is the ledger's guard (ledger.Ledger.Guard): it refuses, within
// the posting transaction, each spending transfer that would take a client
// past a cap or that comes during their pause, counting the transfers
// before it in the batch (WAL-11). The client's limits row is locked, so
// two transactions never both spend the last of a cap.
func (s *Service) Guard(ctx context.Context, tx *db.Tx, ts []ledger.Transfer, idx []int) (map[int]error, error) {
	var spends []spend
	var users []any
	seen := map[int64]bool{}
	for _, i := range idx {
		if !isSpending(ts[i].Type) {
			continue
		}
		for _, p := range ts[i].Postings {
			if p.Account.Kind == ledger.KindWallet && p.Amount < 0 {
				spends = append(spends, spend{i: i, user: p.Account.UserID, cents: -p.Amount})
				if !seen[p.Account.UserID] {
					seen[p.Account.UserID] = true
					users = append(users, p.Account.UserID)
				}
			}
		}
	}
	if len(spends) == 0 {
		return nil, nil
	}
	now := s.Clock.Now()
	found, err := s.lock(ctx, tx, users, now)
	if err != nil || len(found) == 0 {
		return nil, err
	}
	refused := map[int]error{}
	for _, sp := range spends {
		c, ok := found[sp.user]
		if !ok || refused[sp.i] != nil {
			continue
		}
		t := ts[sp.i]
		var reading string
		if t.CauseType == "reading" && c.limits.PerReading != nil {
			reading = t.CauseID
			if !c.readingBase[reading] {
				base, err := spentOn(ctx, tx, sp.user, reading)
				if err != nil {
					return nil, err
				}
				c.perReading[reading], c.readingBase[reading] = base, true
			}
		}
		if err := c.check(sp.cents, reading, now); err != nil {
			refused[sp.i] = err
			continue
		}
		c.day += sp.cents
		c.month += sp.cents
		if reading != "" {
			c.perReading[reading] += sp.cents
		}
	}
	return refused, nil
}

func isSpending(t ledger.EntryType) bool {
	for _, s := range Spending {
		if s == t {
			return true
		}
	}
	return false
}

// check refuses cents more of spending, in reading when it is one.
func (c *limited) check(cents int64, reading string, now time.Time) error {
	l := c.limits
	switch {
	case l.Paused(now):
		return refusal("You paused your spending until %s UTC.", l.PausedUntil.UTC().Format("2 January 2006, 15:04"))
	case reading != "" && c.perReading[reading]+cents > *l.PerReading:
		return refusal("This reading reached your limit of %s per reading.", ledger.FormatCents(*l.PerReading))
	case l.Daily != nil && c.day+cents > *l.Daily:
		return refusal("This would pass your daily spending limit of %s (%s spent today).", ledger.FormatCents(*l.Daily), ledger.FormatCents(c.day))
	case l.Monthly != nil && c.month+cents > *l.Monthly:
		return refusal("This would pass your monthly spending limit of %s (%s spent this month).", ledger.FormatCents(*l.Monthly), ledger.FormatCents(c.month))
	}
	return nil
}

// lock reads and locks the limits of users that have any in force, with
// what each spent today and this month.
func (s *Service) lock(ctx context.Context, tx *db.Tx, users []any, now time.Time) (map[int64]*limited, error) {
	marks := make([]string, len(users))
	for i := range users {
		marks[i] = fmt.Sprintf("$%d", i+1)
	}
	rows, err := tx.QueryContext(ctx, `SELECT `+prefixed("l.", columns)+`, l.user_id, u.time_zone
		FROM spending_limits l JOIN users u ON u.id = l.user_id WHERE l.user_id IN (`+strings.Join(marks, ", ")+`)
		ORDER BY l.user_id`+s.DB.ForUpdateOf("l"), users...)
	if err != nil {
		return nil, fmt.Errorf("limits: lock: %w", err)
	}
	type row struct {
		id   int64
		zone string
		st   Settings
	}
	got, err := db.Collect(rows, func(r db.Row) (row, error) {
		var x row
		var err error
		x.st, err = scan(r, now, &x.id, &x.zone)
		return x, err
	})
	if err != nil {
		return nil, fmt.Errorf("limits: lock: %w", err)
	}
	found := map[int64]*limited{}
	zones := map[int64]string{}
	for _, x := range got {
		if !x.st.Current.None(now) {
			found[x.id], zones[x.id] = &limited{limits: x.st.Current, perReading: map[string]int64{}, readingBase: map[string]bool{}}, x.zone
		}
	}
	for id, c := range found {
		day, month := Window(now, account.User{TimeZone: zones[id]}.Location())
		if c.day, c.month, err = spentSince(ctx, tx, id, day, month); err != nil {
			return nil, err
		}
	}
	return found, nil
}

// prefixed qualifies each of a comma-separated column list.
func prefixed(p, cols string) string {
	parts := strings.Split(cols, ",")
	for i, c := range parts {
		parts[i] = p + strings.TrimSpace(c)
	}
	return strings.Join(parts, ", ")
}

// spendingTypes is Spending as an SQL list.
var spendingTypes = func() string {
	q := make([]string, len(Spending))
	for i, t := range Spending {
		q[i] = "'" + string(t) + "'"
	}
	return strings.Join(q, ", ")
}()

// Spent returns what the user spent today and this month in their time
// zone loc, as the caps count it.
func (s *Service) Spent(ctx context.Context, userID int64, loc *time.Location) (day, month int64, err error) {
	d, m := Window(s.Clock.Now(), loc)
	return spentSince(ctx, s.DB.Read(), userID, d, m)
}

// spentSince sums the user's spending since day and since month (the
// month's start is never after the day's).
func spentSince(ctx context.Context, q db.Querier, userID int64, day, month time.Time) (int64, int64, error) {
	var d, m int64
	err := q.QueryRowContext(ctx, `SELECT COALESCE(SUM(CASE WHEN p.created_at >= $2 THEN -p.amount ELSE 0 END), 0), COALESCE(SUM(-p.amount), 0)
		FROM ledger_accounts a JOIN ledger_postings p ON p.account_id = a.id JOIN ledger_transfers t ON t.id = p.transfer_id
		WHERE a.kind = 'wallet' AND a.user_id = $1 AND p.created_at >= $3 AND p.amount < 0 AND t.type IN (`+spendingTypes+`)`,
		userID, db.Millis(day), db.Millis(month)).Scan(&d, &m)
	if err != nil {
		return 0, 0, fmt.Errorf("limits: spent: %w", err)
	}
	return d, m, nil
}

// spentOn sums what the user's wallet paid for a reading so far.
func spentOn(ctx context.Context, q db.Querier, userID int64, reading string) (int64, error) {
	var n int64
	err := q.QueryRowContext(ctx, `SELECT COALESCE(SUM(-p.amount), 0)
		FROM ledger_transfers t JOIN ledger_postings p ON p.transfer_id = t.id JOIN ledger_accounts a ON a.id = p.account_id
		WHERE t.cause_type = 'reading' AND t.cause_id = $1 AND a.kind = 'wallet' AND a.user_id = $2 AND p.amount < 0`, reading, userID).Scan(&n)
	if err != nil {
		return 0, fmt.Errorf("limits: spent on reading: %w", err)
	}
	return n, nil
}
