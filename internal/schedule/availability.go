package schedule

import (
	"cmp"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/soulseer/soulseer/internal/account"
	"github.com/soulseer/soulseer/internal/apperr"
	"github.com/soulseer/soulseer/internal/db"
	"github.com/soulseer/soulseer/internal/reader"
)

// Range is one weekly stretch of availability on the reader's wall clock:
// a weekday ("monday") and local times "09:00" to "12:30" ("24:00" is the
// end of the day).
type Range struct {
	Weekday string `json:"weekday"`
	Start   string `json:"start"`
	End     string `json:"end"`
}

// Availability is when a reader can be booked (SCH-1): weekly ranges in
// TimeZone, the lengths offered, minutes kept free after each booking,
// how soon before its start a time may be booked, how many days ahead,
// and flat prices in cents by length ("30": 4500) that replace length ×
// the per-minute rate.
type Availability struct {
	TimeZone         string           `json:"time_zone"`
	Weekly           []Range          `json:"weekly"`
	Durations        []int            `json:"durations"`
	BufferMinutes    int              `json:"buffer_minutes"`
	MinNoticeMinutes int              `json:"min_notice_minutes"`
	MaxDaysAhead     int              `json:"max_days_ahead"`
	Prices           map[string]int64 `json:"prices"`
}

// span is a weekly range parsed: minutes since local midnight.
type span struct{ start, end int }

// plan is an Availability checked and parsed, as slots are computed from.
type plan struct {
	loc                       *time.Location
	weekly                    [7][]span
	durations                 []int
	prices                    map[int]int64
	buffer, notice, daysAhead int
}

// defaults is the availability of a reader who has saved none: their
// account's time zone, no weekly ranges, half an hour and an hour offered,
// two hours' notice and four weeks ahead.
func defaults(u account.User) Availability {
	return Availability{TimeZone: u.Location().String(), Weekly: []Range{}, Durations: []int{30, 60},
		MinNoticeMinutes: 120, MaxDaysAhead: 28, Prices: map[string]int64{}}
}

// Get returns a reader's availability, or the defaults when they have saved
// none.
func (s *Service) Get(ctx context.Context, u account.User) (Availability, error) {
	p, err := s.load(ctx, s.DB.Read(), u.ID)
	if errors.Is(err, errNone) {
		return defaults(u), nil
	}
	if err != nil {
		return Availability{}, err
	}
	return p.availability(), nil
}

// Set replaces a reader's availability (SCH-1). Every value is checked
// first, with a message per field: a known IANA zone, ranges on quarter
// hours inside the day and not overlapping, lengths from Durations,
// buffer, notice and window within bounds, and flat prices of 0 or more
// cents for offered lengths. A refused change changes nothing.
func (s *Service) Set(ctx context.Context, u account.User, a Availability) (Availability, error) {
	if u.Role != account.RoleReader {
		return Availability{}, apperr.Errorf(apperr.Forbidden, "Only readers set availability.")
	}
	p, err := a.plan()
	if err != nil {
		return Availability{}, err
	}
	err = s.DB.Tx(ctx, func(tx *db.Tx) error {
		if _, err := tx.ExecContext(ctx, `INSERT INTO reader_availability (reader_id, time_zone, buffer_minutes, min_notice_minutes, max_days_ahead, updated_at)
			VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (reader_id) DO UPDATE SET time_zone = EXCLUDED.time_zone,
			buffer_minutes = EXCLUDED.buffer_minutes, min_notice_minutes = EXCLUDED.min_notice_minutes,
			max_days_ahead = EXCLUDED.max_days_ahead, updated_at = EXCLUDED.updated_at`,
			u.ID, p.loc.String(), p.buffer, p.notice, p.daysAhead, db.Millis(s.Clock.Now())); err != nil {
			return fmt.Errorf("schedule: set: %w", err)
		}
		for _, table := range []string{"availability_weekly", "availability_durations"} {
			if _, err := tx.ExecContext(ctx, `DELETE FROM `+table+` WHERE reader_id = $1`, u.ID); err != nil {
				return fmt.Errorf("schedule: set: %w", err)
			}
		}
		for day, spans := range p.weekly {
			for _, sp := range spans {
				if _, err := tx.ExecContext(ctx, `INSERT INTO availability_weekly (reader_id, weekday, start_minute, end_minute) VALUES ($1, $2, $3, $4)`,
					u.ID, day, sp.start, sp.end); err != nil {
					return fmt.Errorf("schedule: set weekly: %w", err)
				}
			}
		}
		for _, d := range p.durations {
			price := sql.NullInt64{}
			if c, ok := p.prices[d]; ok {
				price = sql.NullInt64{Int64: c, Valid: true}
			}
			if _, err := tx.ExecContext(ctx, `INSERT INTO availability_durations (reader_id, minutes, price_cents) VALUES ($1, $2, $3)`,
				u.ID, d, price); err != nil {
				return fmt.Errorf("schedule: set durations: %w", err)
			}
		}
		return nil
	})
	if err != nil {
		return Availability{}, err
	}
	return p.availability(), nil
}

// plan checks a and parses it, naming each field that is wrong.
func (a Availability) plan() (plan, error) {
	fields := map[string]string{}
	p := plan{prices: map[int]int64{}, buffer: a.BufferMinutes, notice: a.MinNoticeMinutes, daysAhead: a.MaxDaysAhead}
	if name, err := account.ParseTimeZone(a.TimeZone); err != nil {
		fields["time_zone"] = err.Error()
	} else {
		p.loc, _ = time.LoadLocation(name)
	}
	for i, r := range a.Weekly {
		key := fmt.Sprintf("weekly[%d]", i)
		day, ok := parseWeekday(r.Weekday)
		if !ok {
			fields[key+".weekday"] = "Use a weekday such as monday."
		}
		start, okStart := parseClock(r.Start, false)
		if !okStart {
			fields[key+".start"] = "Use a time on the quarter hour from 00:00 to 23:45, such as 09:15."
		}
		end, okEnd := parseClock(r.End, true)
		if !okEnd {
			fields[key+".end"] = "Use a time on the quarter hour up to 24:00, such as 12:30."
		}
		if !ok || !okStart || !okEnd {
			continue
		}
		if end <= start {
			fields[key+".end"] = "End after the start."
			continue
		}
		for _, o := range p.weekly[day] {
			if start < o.end && o.start < end {
				fields[key+".start"] = "This range overlaps another on " + r.Weekday + "."
			}
		}
		p.weekly[day] = append(p.weekly[day], span{start, end})
	}
	for i := range p.weekly {
		slices.SortFunc(p.weekly[i], func(a, b span) int { return cmp.Compare(a.start, b.start) })
	}
	if len(a.Durations) == 0 {
		fields["durations"] = "Offer at least one length."
	}
	for _, d := range a.Durations {
		if !offered(d) || slices.Contains(p.durations, d) {
			fields["durations"] = "Choose lengths from 15, 30, 45 and 60 minutes, each once."
			continue
		}
		p.durations = append(p.durations, d)
	}
	slices.Sort(p.durations)
	if a.BufferMinutes < 0 || a.BufferMinutes > MaxBufferMinutes {
		fields["buffer_minutes"] = fmt.Sprintf("Use 0 to %d minutes.", MaxBufferMinutes)
	}
	if a.MinNoticeMinutes < 0 || a.MinNoticeMinutes > MaxNoticeMinutes {
		fields["min_notice_minutes"] = fmt.Sprintf("Use 0 to %d minutes (a week).", MaxNoticeMinutes)
	}
	if a.MaxDaysAhead < 1 || a.MaxDaysAhead > MaxDaysAhead {
		fields["max_days_ahead"] = fmt.Sprintf("Use 1 to %d days.", MaxDaysAhead)
	}
	for k, c := range a.Prices {
		d, err := strconv.Atoi(k)
		switch {
		case err != nil || !slices.Contains(p.durations, d):
			fields["prices."+k] = "Set prices only for the lengths you offer."
		case c < 0 || c > MaxFlatPriceCents:
			fields["prices."+k] = fmt.Sprintf("Use 0 to %d cents.", MaxFlatPriceCents)
		default:
			p.prices[d] = c
		}
	}
	return p, apperr.Validation(fields)
}

// availability is p in the shape readers write it.
func (p plan) availability() Availability {
	a := Availability{TimeZone: p.loc.String(), Weekly: []Range{}, Durations: slices.Clone(p.durations),
		BufferMinutes: p.buffer, MinNoticeMinutes: p.notice, MaxDaysAhead: p.daysAhead, Prices: map[string]int64{}}
	for day, spans := range p.weekly {
		for _, sp := range spans {
			a.Weekly = append(a.Weekly, Range{Weekday: weekdayName(time.Weekday(day)), Start: formatClock(sp.start), End: formatClock(sp.end)})
		}
	}
	for d, c := range p.prices {
		a.Prices[strconv.Itoa(d)] = c
	}
	return a
}

// errNone is load's answer for a reader who has saved no availability.
var errNone = errors.New("schedule: no availability")

// load reads a reader's saved availability.
func (s *Service) load(ctx context.Context, q db.Querier, readerID int64) (plan, error) {
	p := plan{prices: map[int]int64{}}
	var zone string
	err := q.QueryRowContext(ctx, `SELECT time_zone, buffer_minutes, min_notice_minutes, max_days_ahead FROM reader_availability WHERE reader_id = $1`,
		readerID).Scan(&zone, &p.buffer, &p.notice, &p.daysAhead)
	if errors.Is(err, sql.ErrNoRows) {
		return plan{}, errNone
	}
	if err != nil {
		return plan{}, fmt.Errorf("schedule: load: %w", err)
	}
	if p.loc, err = time.LoadLocation(zone); err != nil {
		return plan{}, fmt.Errorf("schedule: load zone %q: %w", zone, err)
	}
	rows, err := q.QueryContext(ctx, `SELECT weekday, start_minute, end_minute FROM availability_weekly WHERE reader_id = $1 ORDER BY weekday, start_minute`, readerID)
	if err != nil {
		return plan{}, fmt.Errorf("schedule: load weekly: %w", err)
	}
	for rows.Next() {
		var day int
		var sp span
		if err := rows.Scan(&day, &sp.start, &sp.end); err != nil {
			rows.Close()
			return plan{}, fmt.Errorf("schedule: load weekly: %w", err)
		}
		p.weekly[day] = append(p.weekly[day], sp)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return plan{}, fmt.Errorf("schedule: load weekly: %w", err)
	}
	rows, err = q.QueryContext(ctx, `SELECT minutes, price_cents FROM availability_durations WHERE reader_id = $1 ORDER BY minutes`, readerID)
	if err != nil {
		return plan{}, fmt.Errorf("schedule: load durations: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var d int
		var price sql.NullInt64
		if err := rows.Scan(&d, &price); err != nil {
			return plan{}, fmt.Errorf("schedule: load durations: %w", err)
		}
		p.durations = append(p.durations, d)
		if price.Valid {
			p.prices[d] = price.Int64
		}
	}
	return p, rows.Err()
}

// loadOrDefault is load, with the defaults for a reader who saved none.
func (s *Service) loadOrDefault(ctx context.Context, q db.Querier, readerID int64) (plan, error) {
	p, err := s.load(ctx, q, readerID)
	if !errors.Is(err, errNone) {
		return p, err
	}
	u := account.User{ID: readerID}
	if err := q.QueryRowContext(ctx, `SELECT time_zone FROM users WHERE id = $1`, readerID).Scan(&u.TimeZone); err != nil {
		return plan{}, fmt.Errorf("schedule: load zone: %w", err)
	}
	return defaults(u).plan()
}

// parseWeekday reads a lower-case English weekday name.
func parseWeekday(s string) (time.Weekday, bool) {
	for d := time.Sunday; d <= time.Saturday; d++ {
		if weekdayName(d) == s {
			return d, true
		}
	}
	return 0, false
}

func weekdayName(d time.Weekday) string { return strings.ToLower(d.String()) }

// parseClock reads "HH:MM" on a quarter hour as minutes since midnight;
// "24:00" only as an end.
func parseClock(s string, end bool) (int, bool) {
	h, m, ok := strings.Cut(s, ":")
	if !ok || len(h) != 2 || len(m) != 2 || strings.Trim(h+m, "0123456789") != "" {
		return 0, false
	}
	hh, err1 := strconv.Atoi(h)
	mm, err2 := strconv.Atoi(m)
	if err1 != nil || err2 != nil || hh < 0 || mm < 0 || mm > 59 || mm%Grid != 0 {
		return 0, false
	}
	v := hh*60 + mm
	if v > 24*60 || (v == 24*60 && !end) || (v == 0 && end) {
		return 0, false
	}
	return v, true
}

func formatClock(v int) string { return fmt.Sprintf("%02d:%02d", v/60, v%60) }

// rates returns a reader's per-minute rates.
func rates(ctx context.Context, q db.Querier, readerID int64) (reader.Rates, error) {
	var r reader.Rates
	err := q.QueryRowContext(ctx, `SELECT COALESCE(rate_text_cents, 0), COALESCE(rate_voice_cents, 0), COALESCE(rate_video_cents, 0)
		FROM reader_profiles WHERE user_id = $1`, readerID).Scan(&r.Text, &r.Voice, &r.Video)
	if errors.Is(err, sql.ErrNoRows) {
		return reader.Rates{}, nil
	}
	if err != nil {
		return reader.Rates{}, fmt.Errorf("schedule: rates: %w", err)
	}
	return r, nil
}
