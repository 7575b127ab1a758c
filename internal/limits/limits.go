// Package limits keeps the spending limits clients set on themselves
// (WAL-11): caps per reading, per day and per month, and a cooling-off pause.
// A change that makes them stricter applies at once; one that loosens them
// waits 24 hours. The ledger asks Guard before any spending moves money, so
// every way of spending respects them.
package limits

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/soulseer/soulseer/internal/apperr"
	"github.com/soulseer/soulseer/internal/audit"
	"github.com/soulseer/soulseer/internal/clock"
	"github.com/soulseer/soulseer/internal/db"
)

// LoosenAfter is how long a looser limit, or a pause ended early, waits
// before it applies (WAL-11).
const LoosenAfter = 24 * time.Hour

// MaxCapCents bounds a cap: $100,000.
const MaxCapCents = 10_000_000

// PauseDays are the cooling-off pauses a client can choose.
var PauseDays = []int{1, 7, 30}

// Limits are a client's caps, in cents (nil: no cap), and the end of their
// cooling-off pause (zero: none).
type Limits struct {
	PerReading  *int64
	Daily       *int64
	Monthly     *int64
	PausedUntil time.Time
}

// Paused reports whether the pause lasts past now.
func (l Limits) Paused(now time.Time) bool { return now.Before(l.PausedUntil) }

// None reports whether l restricts nothing at now.
func (l Limits) None(now time.Time) bool {
	return l.PerReading == nil && l.Daily == nil && l.Monthly == nil && !l.Paused(now)
}

// Settings are the limits in force and those asked for that wait until
// PendingAt because they loosen them.
type Settings struct {
	Current   Limits
	Pending   *Limits
	PendingAt time.Time
}

// Service reads and changes spending limits.
type Service struct {
	DB    *db.DB
	Clock clock.Clock
}

const columns = `per_reading_cents, daily_cents, monthly_cents, paused_until,
	pending_per_reading_cents, pending_daily_cents, pending_monthly_cents, pending_paused_until, pending_at`

// scan reads columns; the pending limits are folded in when due at now.
func scan(row interface{ Scan(...any) error }, now time.Time, extra ...any) (Settings, error) {
	var cur, pend [3]sql.NullInt64
	var paused, pendPaused, pendAt sql.NullInt64
	dest := []any{&cur[0], &cur[1], &cur[2], &paused, &pend[0], &pend[1], &pend[2], &pendPaused, &pendAt}
	if err := row.Scan(append(dest, extra...)...); err != nil {
		return Settings{}, err
	}
	s := Settings{Current: limitsOf(cur, paused)}
	if pendAt.Valid {
		p := limitsOf(pend, pendPaused)
		if at := db.Time(pendAt.Int64); now.Before(at) {
			s.Pending, s.PendingAt = &p, at
		} else {
			s.Current = p
		}
	}
	return s, nil
}

func limitsOf(caps [3]sql.NullInt64, paused sql.NullInt64) Limits {
	ptr := func(v sql.NullInt64) *int64 {
		if !v.Valid {
			return nil
		}
		return &v.Int64
	}
	return Limits{PerReading: ptr(caps[0]), Daily: ptr(caps[1]), Monthly: ptr(caps[2]), PausedUntil: db.NullTime(paused)}
}

// Get returns a user's spending limits as they stand now.
func (s *Service) Get(ctx context.Context, userID int64) (Settings, error) {
	st, err := scan(s.DB.Read().QueryRowContext(ctx, `SELECT `+columns+` FROM spending_limits WHERE user_id = $1`, userID), s.Clock.Now())
	if errors.Is(err, sql.ErrNoRows) {
		return Settings{}, nil
	}
	if err != nil {
		return Settings{}, fmt.Errorf("limits: get: %w", err)
	}
	return st, nil
}

// stricterCap reports whether cap a restricts at least as much as b.
func stricterCap(a, b *int64) bool { return a != nil && (b == nil || *a <= *b) }

// Set asks for new caps, keeping the pause as it is asked in want too: each
// part at least as strict as the one in force applies at once, and if any
// part is looser, want as a whole applies after LoosenAfter (WAL-11). A
// cap must be from 1 cent to MaxCapCents.
func (s *Service) Set(ctx context.Context, userID int64, want Limits) (Settings, error) {
	fields := map[string]string{}
	for name, c := range map[string]*int64{"per_reading_cents": want.PerReading, "daily_cents": want.Daily, "monthly_cents": want.Monthly} {
		if c != nil && (*c < 1 || *c > MaxCapCents) {
			fields[name] = fmt.Sprintf("Enter an amount from $0.01 to $%d, or leave it empty for no limit.", MaxCapCents/100)
		}
	}
	if err := apperr.Validation(fields); err != nil {
		return Settings{}, err
	}
	var out Settings
	err := s.DB.Tx(ctx, func(tx *db.Tx) error {
		now := s.Clock.Now()
		cur, err := scan(tx.QueryRowContext(ctx, `SELECT `+columns+` FROM spending_limits WHERE user_id = $1`+s.DB.ForUpdate(), userID), now)
		if err != nil && !errors.Is(err, sql.ErrNoRows) {
			return err
		}
		in := cur.Current
		next := Limits{PerReading: in.PerReading, Daily: in.Daily, Monthly: in.Monthly, PausedUntil: in.PausedUntil}
		looser := false
		for _, f := range []struct{ want, in, next **int64 }{{&want.PerReading, &in.PerReading, &next.PerReading},
			{&want.Daily, &in.Daily, &next.Daily}, {&want.Monthly, &in.Monthly, &next.Monthly}} {
			if stricterCap(*f.want, *f.in) || (*f.want == nil && *f.in == nil) {
				*f.next = *f.want
			} else {
				looser = true
			}
		}
		if want.PausedUntil.After(in.PausedUntil) || !in.Paused(now) {
			next.PausedUntil = want.PausedUntil
		} else if want.PausedUntil.Before(in.PausedUntil) {
			looser = true
		}
		out = Settings{Current: next}
		if looser {
			out.Pending, out.PendingAt = &want, now.Add(LoosenAfter)
		}
		if err := save(ctx, tx, userID, out, now); err != nil {
			return err
		}
		return audit.Record(ctx, tx, audit.Entry{ActorID: userID, Action: "limits.set", Model: "user", ObjectID: fmt.Sprint(userID),
			Details: map[string]any{"per_reading_cents": want.PerReading, "daily_cents": want.Daily, "monthly_cents": want.Monthly,
				"paused_until": db.NullMillis(want.PausedUntil), "waits": looser}})
	})
	return out, err
}

// save writes st as the user's row.
func save(ctx context.Context, tx *db.Tx, userID int64, st Settings, now time.Time) error {
	var p Limits
	var at any
	if st.Pending != nil {
		p, at = *st.Pending, db.Millis(st.PendingAt)
	}
	_, err := tx.ExecContext(ctx, `INSERT INTO spending_limits (user_id, `+columns+`, updated_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
		ON CONFLICT (user_id) DO UPDATE SET per_reading_cents = excluded.per_reading_cents, daily_cents = excluded.daily_cents,
		monthly_cents = excluded.monthly_cents, paused_until = excluded.paused_until,
		pending_per_reading_cents = excluded.pending_per_reading_cents, pending_daily_cents = excluded.pending_daily_cents,
		pending_monthly_cents = excluded.pending_monthly_cents, pending_paused_until = excluded.pending_paused_until,
		pending_at = excluded.pending_at, updated_at = excluded.updated_at`,
		userID, st.Current.PerReading, st.Current.Daily, st.Current.Monthly, db.NullMillis(st.Current.PausedUntil),
		p.PerReading, p.Daily, p.Monthly, db.NullMillis(p.PausedUntil), at, db.Millis(now))
	return err
}

// SetCaps asks for caps, keeping the pause as asked before (see Set).
func (s *Service) SetCaps(ctx context.Context, userID int64, perReading, daily, monthly *int64) (Settings, error) {
	return s.change(ctx, userID, func(l *Limits, _ time.Time) { l.PerReading, l.Daily, l.Monthly = perReading, daily, monthly })
}

// Pause starts (or lengthens) a cooling-off pause of days days, at once
// (WAL-11); the caps stay as they are asked.
func (s *Service) Pause(ctx context.Context, userID int64, days int) (Settings, error) {
	ok := false
	for _, d := range PauseDays {
		ok = ok || d == days
	}
	if !ok {
		return Settings{}, apperr.Validation(map[string]string{"days": "Choose a pause of 1, 7 or 30 days."})
	}
	return s.change(ctx, userID, func(l *Limits, now time.Time) { l.PausedUntil = now.Add(time.Duration(days) * 24 * time.Hour) })
}

// EndPause asks to end the cooling-off pause early: it ends after
// LoosenAfter, or when it was due to, whichever comes first.
func (s *Service) EndPause(ctx context.Context, userID int64) (Settings, error) {
	return s.change(ctx, userID, func(l *Limits, _ time.Time) { l.PausedUntil = time.Time{} })
}

// change applies edit to the limits the user asked for last (pending ones
// included) and sets the result.
func (s *Service) change(ctx context.Context, userID int64, edit func(*Limits, time.Time)) (Settings, error) {
	st, err := s.Get(ctx, userID)
	if err != nil {
		return Settings{}, err
	}
	want := st.Current
	if st.Pending != nil {
		want = *st.Pending
	}
	edit(&want, s.Clock.Now())
	return s.Set(ctx, userID, want)
}
