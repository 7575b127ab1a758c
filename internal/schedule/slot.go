package schedule

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strconv"
	"time"

	"github.com/soulseer/soulseer/internal/apperr"
	"github.com/soulseer/soulseer/internal/db"
	"github.com/soulseer/soulseer/internal/reader"
)

// MaxSpan bounds how far apart from and to of one question about open
// times may be.
const MaxSpan = 31 * 24 * time.Hour

// Prices are what one open time costs in cents, per modality the reader
// offers; a modality they have switched off is absent.
type Prices struct {
	Text  *int64 `json:"text,omitempty"`
	Voice *int64 `json:"voice,omitempty"`
	Video *int64 `json:"video,omitempty"`
}

// Slot is one open start time of a reader for one length.
type Slot struct {
	ReaderID        int64     `json:"reader_id"`
	StartsAt        time.Time `json:"starts_at"`
	EndsAt          time.Time `json:"ends_at"`
	DurationMinutes int       `json:"duration_minutes"`
	Prices          Prices    `json:"prices"`
}

// In returns the slot with its times on loc's clock, as a viewer in loc
// reads them (SCH-3).
func (s Slot) In(loc *time.Location) Slot {
	s.StartsAt, s.EndsAt = s.StartsAt.In(loc), s.EndsAt.In(loc)
	return s
}

// Window is a question about open times: starts in [From, To), of one
// length in minutes, or of every offered length when Duration is 0.
type Window struct {
	From, To time.Time
	Duration int
}

// Check refuses a window that ends before it starts or spans more than
// MaxSpan, and a length that is not one of Durations.
func (w Window) Check() error {
	fields := map[string]string{}
	if !w.To.After(w.From) {
		fields["to"] = "End after the start."
	} else if w.To.Sub(w.From) > MaxSpan {
		fields["to"] = "Ask for at most 31 days at a time."
	}
	if w.Duration != 0 && !offered(w.Duration) {
		fields["duration"] = "Choose 15, 30, 45 or 60 minutes."
	}
	return apperr.Validation(fields)
}

// Slots lists a reader's open start times in w, earliest first (SCH-2):
// every quarter hour of their wall clock inside a weekly range where the
// whole length fits, and the openings they added by hand, minus those
// touching time off, those sooner than the minimum notice and those beyond
// the booking window. A wall time the clock skips (spring forward) is no
// start; one it repeats (fall back) is one start, at its first occurrence.
// A time that would meet a booking, counting the reader's buffer after
// each, is taken (SCH-4).
func (s *Service) Slots(ctx context.Context, readerID int64, w Window) ([]Slot, error) {
	return s.slots(ctx, s.DB.Read(), readerID, w, true)
}

// slots lists open times as Slots does; with bookings false it keeps times
// that bookings have taken, so Book can tell "taken" from "never offered".
func (s *Service) slots(ctx context.Context, q db.Querier, readerID int64, w Window, bookings bool) ([]Slot, error) {
	if err := w.Check(); err != nil {
		return nil, err
	}
	p, err := s.loadOrDefault(ctx, q, readerID)
	if err != nil {
		return nil, err
	}
	r, err := rates(ctx, q, readerID)
	if err != nil {
		return nil, err
	}
	now := s.Clock.Now()
	from := maxTime(w.From, now.Add(time.Duration(p.notice)*time.Minute))
	to := minTime(w.To, now.AddDate(0, 0, p.daysAhead))
	if !to.After(from) {
		return []Slot{}, nil
	}
	off, err := timeOff(ctx, q, readerID, from, to.Add(time.Hour))
	if err != nil {
		return nil, err
	}
	var busy []interval
	if bookings {
		if busy, err = booked(ctx, q, readerID, from.Add(-time.Hour-MaxBufferMinutes*time.Minute), to.Add(time.Hour+MaxBufferMinutes*time.Minute)); err != nil {
			return nil, err
		}
	}
	buffer := time.Duration(p.buffer) * time.Minute
	lengths := p.durations
	if w.Duration != 0 {
		lengths = []int{w.Duration}
		if !slices.Contains(p.durations, w.Duration) {
			lengths = nil
		}
	}
	seen := map[slotKey]bool{}
	out := []Slot{}
	add := func(start time.Time, minutes int) {
		k := slotKey{start.UnixMilli(), minutes}
		end := start.Add(time.Duration(minutes) * time.Minute)
		if start.Before(from) || !start.Before(to) || seen[k] || overlaps(off, start, end) || overlaps(busy, start, end.Add(buffer)) {
			return
		}
		seen[k] = true
		out = append(out, Slot{ReaderID: readerID, StartsAt: start.UTC(), EndsAt: end.UTC(), DurationMinutes: minutes, Prices: p.price(r, minutes)})
	}
	first := from.In(p.loc)
	day := time.Date(first.Year(), first.Month(), first.Day(), 0, 0, 0, 0, p.loc)
	for ; day.Before(to); day = time.Date(day.Year(), day.Month(), day.Day()+1, 0, 0, 0, 0, p.loc) {
		for _, sp := range p.weekly[day.Weekday()] {
			for m := sp.start; m < sp.end; m += Grid {
				start, ok := wall(day, m, p.loc)
				if !ok {
					continue
				}
				for _, minutes := range lengths {
					if endMinute(day, start.Add(time.Duration(minutes)*time.Minute), p.loc) <= sp.end {
						add(start, minutes)
					}
				}
			}
		}
	}
	openings, err := openingsIn(ctx, q, readerID, from, to)
	if err != nil {
		return nil, err
	}
	for _, o := range openings {
		if w.Duration == 0 || o.DurationMinutes == w.Duration {
			add(o.StartsAt, o.DurationMinutes)
		}
	}
	slices.SortFunc(out, func(a, b Slot) int {
		return cmp.Or(a.StartsAt.Compare(b.StartsAt), cmp.Compare(a.DurationMinutes, b.DurationMinutes))
	})
	return out, nil
}

type slotKey struct {
	start   int64
	minutes int
}

// price is what minutes cost in each offered modality: the flat price for
// the length when the reader set one, else minutes × the per-minute rate.
func (p plan) price(r reader.Rates, minutes int) Prices {
	var out Prices
	for _, m := range r.Offered() {
		flat, ok := p.prices[minutes]
		c := cost(r, minutes, m, flat, ok)
		switch m {
		case reader.Text:
			out.Text = &c
		case reader.Voice:
			out.Voice = &c
		case reader.Video:
			out.Video = &c
		}
	}
	return out
}

// For is the price of modality m, nil when the reader does not offer it.
func (p Prices) For(m reader.Modality) *int64 {
	switch m {
	case reader.Text:
		return p.Text
	case reader.Voice:
		return p.Voice
	case reader.Video:
		return p.Video
	}
	return nil
}

// PriceOf is what minutes of modality m cost under availability a and
// rates r: the flat price a sets for the length, else minutes × the rate.
func (a Availability) PriceOf(r reader.Rates, minutes int, m reader.Modality) int64 {
	flat, ok := a.Prices[strconv.Itoa(minutes)]
	return cost(r, minutes, m, flat, ok)
}

// cost is the one pricing rule: a flat price when the reader set one
// (ok), else minutes × the per-minute rate for m.
func cost(r reader.Rates, minutes int, m reader.Modality, flat int64, ok bool) int64 {
	if ok {
		return flat
	}
	return int64(minutes) * r.For(m)
}

// wall returns the instant the wall clock of loc shows minute m of day,
// and false when that wall time does not exist there (skipped forward).
func wall(day time.Time, m int, loc *time.Location) (time.Time, bool) {
	t := time.Date(day.Year(), day.Month(), day.Day(), m/60, m%60, 0, 0, loc)
	return t, t.Day() == day.Day() && t.Hour()*60+t.Minute() == m
}

// endMinute is the wall-clock minute of day at which t falls, counting on
// past midnight (24:00 is 1440).
func endMinute(day, t time.Time, loc *time.Location) int {
	t = t.In(loc)
	days := int(time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC).Sub(time.Date(day.Year(), day.Month(), day.Day(), 0, 0, 0, 0, time.UTC)) / (24 * time.Hour))
	return days*24*60 + t.Hour()*60 + t.Minute()
}

// interval is [start, end) in time.
type interval struct{ start, end time.Time }

// overlaps reports whether [start, end) meets any of list.
func overlaps(list []interval, start, end time.Time) bool {
	for _, iv := range list {
		if start.Before(iv.end) && iv.start.Before(end) {
			return true
		}
	}
	return false
}

// timeOff returns a reader's time off that meets [from, to).
func timeOff(ctx context.Context, q db.Querier, readerID int64, from, to time.Time) ([]interval, error) {
	rows, err := q.QueryContext(ctx, `SELECT starts_at, ends_at FROM availability_time_off WHERE reader_id = $1 AND ends_at > $2 AND starts_at < $3`,
		readerID, db.Millis(from), db.Millis(to))
	if err != nil {
		return nil, fmt.Errorf("schedule: time off: %w", err)
	}
	defer rows.Close()
	var out []interval
	for rows.Next() {
		var a, b int64
		if err := rows.Scan(&a, &b); err != nil {
			return nil, fmt.Errorf("schedule: time off: %w", err)
		}
		out = append(out, interval{db.Time(a), db.Time(b)})
	}
	return out, rows.Err()
}

func maxTime(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}

func minTime(a, b time.Time) time.Time {
	if a.Before(b) {
		return a
	}
	return b
}
