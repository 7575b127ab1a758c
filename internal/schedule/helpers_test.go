package schedule_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/soulseer/soulseer/internal/account"
	"github.com/soulseer/soulseer/internal/apperr"
	"github.com/soulseer/soulseer/internal/apptest"
	"github.com/soulseer/soulseer/internal/clock"
	"github.com/soulseer/soulseer/internal/db"
	"github.com/soulseer/soulseer/internal/db/dbtest"
	"github.com/soulseer/soulseer/internal/reader"
	"github.com/soulseer/soulseer/internal/schedule"
)

var ctx = context.Background()

// t0 is a Monday in January 2027, before either of the year's clock changes.
var t0 = time.Date(2027, 1, 4, 0, 0, 0, 0, time.UTC)

// world is an app on a fake clock with a verified reader charging 100
// cents a minute for text and 200 for video, voice off, and a client.
type world struct {
	s              *apptest.Server
	clk            *clock.Fake
	sch            *schedule.Service
	reader, client account.User
	admin          account.User
}

func eachWorld(t *testing.T, f func(t *testing.T, w *world)) {
	for _, e := range dbtest.Engines() {
		t.Run(string(e), func(t *testing.T) {
			t.Parallel()
			clk := clock.NewFake(t0)
			s := apptest.Start(t, e, apptest.WithClock(clk), apptest.WithManualSweeps())
			w := &world{s: s, clk: clk, sch: s.App.Schedule}
			admin := s.CreateUser("admin@example.com", account.RoleAdmin)
			w.admin = admin
			w.client = s.CreateUser("client@example.com", account.RoleClient)
			w.reader = s.CreateUser("reader@example.com", account.RoleReader)
			text, video := int64(100), int64(200)
			if _, err := s.App.Readers.UpdateProfile(ctx, w.reader.ID, reader.ProfileInput{DisplayName: "Reader",
				Rates: reader.RatesInput{Text: &text, Video: &video}}); err != nil {
				t.Fatal(err)
			}
			if _, err := s.App.Readers.SetVerified(ctx, admin, w.reader.ID, true); err != nil {
				t.Fatal(err)
			}
			f(t, w)
		})
	}
}

// every returns availability in zone with the same ranges on all seven
// days, every length, no buffer or notice and 90 days ahead.
func every(zone string, ranges ...[2]string) schedule.Availability {
	a := schedule.Availability{TimeZone: zone, Durations: []int{15, 30, 45, 60}, MaxDaysAhead: 90}
	for _, day := range []string{"sunday", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday"} {
		for _, r := range ranges {
			a.Weekly = append(a.Weekly, schedule.Range{Weekday: day, Start: r[0], End: r[1]})
		}
	}
	return a
}

func (w *world) set(t *testing.T, a schedule.Availability) {
	t.Helper()
	if _, err := w.sch.Set(ctx, w.reader, a); err != nil {
		t.Fatal(err)
	}
}

// slots lists the reader's open times of minutes in [from, to).
func (w *world) slots(t *testing.T, from, to time.Time, minutes int) []schedule.Slot {
	t.Helper()
	list, err := w.sch.Slots(ctx, w.reader.ID, schedule.Window{From: from, To: to, Duration: minutes})
	if err != nil {
		t.Fatal(err)
	}
	return list
}

// count runs a count query.
func (w *world) count(t *testing.T, query string, args ...any) int {
	t.Helper()
	var n int
	if err := w.s.App.DB.Read().QueryRowContext(ctx, query, args...).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// wantField fails t unless err is a validation error naming field.
func wantField(t *testing.T, what string, err error, field string) {
	t.Helper()
	e := apperr.As(err)
	if e == nil || e.Code != apperr.Invalid || e.Fields[field] == "" {
		t.Errorf("%s: %v, want a message for %s", what, err, field)
	}
}

// zone loads an IANA zone.
func zone(t *testing.T, name string) *time.Location {
	t.Helper()
	loc, err := time.LoadLocation(name)
	if err != nil {
		t.Fatal(err)
	}
	return loc
}

// starts returns the slots' start times on loc's wall clock, as "15:04".
func starts(list []schedule.Slot, loc *time.Location) []string {
	var out []string
	for _, s := range list {
		out = append(out, s.StartsAt.In(loc).Format("15:04"))
	}
	return out
}

// benchWorld is a SQLite app with a reader open 09:00-17:00 and 18:00-21:00
// every day in New York, every length, with a week of time off, a hundred
// hand-added openings within the next 30 days and 10,000 bookings in the
// database: a 30-minute one of theirs each morning of the next 30 days,
// the rest in their past and with twenty other readers.
func benchWorld(b *testing.B) *world {
	clk := clock.NewFake(t0)
	s := apptest.Start(b, db.SQLite, apptest.WithClock(clk), apptest.WithManualSweeps())
	w := &world{s: s, clk: clk, sch: s.App.Schedule, reader: s.CreateUser("reader@example.com", account.RoleReader)}
	text := int64(100)
	if _, err := s.App.Readers.UpdateProfile(ctx, w.reader.ID, reader.ProfileInput{DisplayName: "Reader", Rates: reader.RatesInput{Text: &text}}); err != nil {
		b.Fatal(err)
	}
	if _, err := w.sch.Set(ctx, w.reader, every("America/New_York", [2]string{"09:00", "17:00"}, [2]string{"18:00", "21:00"})); err != nil {
		b.Fatal(err)
	}
	off := t0.AddDate(0, 0, 10)
	if _, err := w.sch.AddTimeOff(ctx, w.reader, schedule.TimeOffInput{From: off.Format(time.RFC3339), To: off.AddDate(0, 0, 7).Format(time.RFC3339)}); err != nil {
		b.Fatal(err)
	}
	for i := range 100 {
		at := t0.Add(time.Duration(i)*7*time.Hour + 30*time.Minute)
		if _, err := w.sch.AddOpening(ctx, w.reader, schedule.OpeningInput{StartsAt: at.Format(time.RFC3339), DurationMinutes: 30}); err != nil {
			b.Fatal(err)
		}
	}
	client := s.CreateUser("client@example.com", account.RoleClient)
	readers := []int64{w.reader.ID}
	for i := range 20 {
		readers = append(readers, s.CreateUser(fmt.Sprintf("reader%d@example.com", i), account.RoleReader).ID)
	}
	err := s.App.DB.Tx(ctx, func(tx *db.Tx) error {
		for i := range 10_000 {
			readerID, start := readers[i%len(readers)], t0.Add(-time.Duration(i)*time.Hour) // past: one an hour back
			if i < 30 {
				readerID, start = w.reader.ID, t0.AddDate(0, 0, i).Add(15*time.Hour) // 10:00 in New York
			}
			end := start.Add(30 * time.Minute)
			if _, err := tx.ExecContext(ctx, `INSERT INTO bookings (client_id, reader_id, modality, duration_minutes, starts_at, ends_at, busy_until,
				price_cents, platform_share_pct, state, request_key, created_at) VALUES ($1, $2, 'text', 30, $3, $4, $4, 3000, 30, 'booked', $5, 0)`,
				client.ID, readerID, db.Millis(start), db.Millis(end), fmt.Sprint(i)); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		b.Fatal(err)
	}
	return w
}
