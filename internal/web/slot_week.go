package web

import (
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"time"

	"github.com/soulseer/soulseer/internal/reader"
	"github.com/soulseer/soulseer/internal/schedule"
)

// slotWeek is the "Book a time" part of a reader's profile (SCH-3): seven
// days of the reader's open times for one length, on the viewer's clock,
// each linking to the booking confirmation for one modality.
type slotWeek struct {
	ReaderID   int64
	Zone       string // the zone the times are shown in
	ReaderZone bool   // a visitor sees the reader's own zone
	Own        bool   // the reader sees their own profile: the times are not links
	Offered    bool   // the reader offers a length and a kind of reading
	Range      string // the days shown, e.g. "12 Jan – 18 Jan 2027"
	Prev, Next string // the weeks around it, "" past either end
	Lengths    []weekChoice
	Modalities []weekChoice
	Days       []slotDay
}

// weekChoice is one length or modality the week view may show, linking to
// the view with it chosen.
type weekChoice struct {
	Value  string
	Price  int64 // a modality's price for the chosen length
	URL    string
	Chosen bool
}

// slotDay is one day of the week view.
type slotDay struct {
	Label string // "Mon 12 Jan"
	Times []slotTime
}

// slotTime is one open start time, linking to its confirmation page.
type slotTime struct {
	Label string // "09:30"
	URL   string
}

// slotWeekData gathers the week view of p's profile for the viewer of r:
// ?week=YYYY-MM-DD names the first day shown (today by default; never
// before today nor past the reader's booking window), ?duration= the
// length and ?modality= the kind of reading. A signed-in viewer sees their
// own zone, a visitor the reader's.
func (s *Server) slotWeekData(r *http.Request, p reader.Profile, own bool) (slotWeek, error) {
	ctx := r.Context()
	owner, err := s.Accounts.Get(ctx, p.UserID)
	if err != nil {
		return slotWeek{}, err
	}
	a, err := s.Schedule.Get(ctx, owner)
	if err != nil {
		return slotWeek{}, err
	}
	readerLoc, err := time.LoadLocation(a.TimeZone)
	if err != nil {
		return slotWeek{}, err
	}
	loc := pageZone(r, readerLoc)
	wk := slotWeek{ReaderID: p.UserID, Zone: loc.String(), ReaderZone: userOf(r).ID == 0, Own: own}
	q := r.URL.Query()
	minutes := 0
	if len(a.Durations) > 0 {
		minutes = a.Durations[0]
		if d, err := strconv.Atoi(q.Get("duration")); err == nil && slices.Contains(a.Durations, d) {
			minutes = d
		}
	}
	offered := p.Rates.Offered()
	if minutes == 0 || len(offered) == 0 {
		return wk, nil
	}
	wk.Offered = true
	m := offered[0]
	if v, ok := reader.ParseModality(q.Get("modality")); ok && slices.Contains(offered, v) {
		m = v
	}

	now := s.Clock.Now().In(loc)
	today := time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, loc)
	last := today.AddDate(0, 0, a.MaxDaysAhead)
	start := today
	if d, err := time.ParseInLocation(time.DateOnly, q.Get("week"), loc); err == nil && d.After(today) {
		start = d
		if d.After(last) {
			start = last
		}
	}
	end := start.AddDate(0, 0, 7)
	link := func(day time.Time, minutes int, m reader.Modality) string {
		v := url.Values{"duration": {strconv.Itoa(minutes)}, "modality": {string(m)}}
		if day.After(today) {
			v.Set("week", day.Format(time.DateOnly))
		}
		return fmt.Sprintf("/readers/%d?%s#book", p.UserID, v.Encode())
	}
	if prev := start.AddDate(0, 0, -7); start.After(today) {
		if prev.Before(today) {
			prev = today
		}
		wk.Prev = link(prev, minutes, m)
	}
	if end.Before(last) {
		wk.Next = link(end, minutes, m)
	}
	wk.Range = start.Format("2 Jan") + " – " + end.AddDate(0, 0, -1).Format("2 Jan 2006")
	for _, d := range a.Durations {
		wk.Lengths = append(wk.Lengths, weekChoice{Value: strconv.Itoa(d), URL: link(start, d, m), Chosen: d == minutes})
	}
	for _, o := range offered {
		wk.Modalities = append(wk.Modalities, weekChoice{Value: string(o), Price: a.PriceOf(p.Rates, minutes, o), URL: link(start, minutes, o), Chosen: o == m})
	}

	list, err := s.Schedule.Slots(ctx, p.UserID, schedule.Window{From: start, To: end, Duration: minutes})
	if err != nil {
		return slotWeek{}, err
	}
	for day := start; day.Before(end); day = day.AddDate(0, 0, 1) {
		wk.Days = append(wk.Days, slotDay{Label: day.Format("Mon 2 Jan")})
	}
	for _, sl := range list {
		t := sl.StartsAt.In(loc)
		i := int(time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC).Sub(time.Date(start.Year(), start.Month(), start.Day(), 0, 0, 0, 0, time.UTC)) / (24 * time.Hour))
		if i < 0 || i >= len(wk.Days) {
			continue
		}
		wk.Days[i].Times = append(wk.Days[i].Times, slotTime{Label: t.Format("15:04"), URL: bookingNewURL(p.UserID, t, minutes, m)})
	}
	return wk, nil
}

// bookingNewURL is the confirmation page of booking readerID from start
// for minutes in modality m; start keeps the viewer's offset.
func bookingNewURL(readerID int64, start time.Time, minutes int, m reader.Modality) string {
	v := url.Values{"starts_at": {start.Format(time.RFC3339)}, "duration": {strconv.Itoa(minutes)}, "modality": {string(m)}}
	return fmt.Sprintf("/readers/%d/book?%s", readerID, v.Encode())
}
