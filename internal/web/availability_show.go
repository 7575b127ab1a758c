package web

import (
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/soulseer/soulseer/internal/account"
	"github.com/soulseer/soulseer/internal/apperr"
	"github.com/soulseer/soulseer/internal/schedule"
)

// weekdays are the days of the availability grid, in the order it shows
// them.
var weekdays = []string{"monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"}

// availabilityPage is the data of the reader's availability page (SCH-1,
// SCH-2).
type availabilityPage struct {
	Page
	TimeZones []string
	TimeZone  string
	Days      []availabilityDay
	Lengths   []lengthChoice
	Buffer    string
	Notice    string
	DaysAhead string
	Openings  []schedule.Opening // on the reader's clock
	TimeOff   []schedule.TimeOff // on the reader's clock
	// Form names the form that was refused ("weekly", "opening" or
	// "time_off"): its errors and typed values show beside it.
	Form    string
	Message string
	Errors  map[string]string
	Opening openingForm
	Off     timeOffForm
}

// availabilityDay is one weekday of the grid: its ranges as typed, and one
// empty row to add another.
type availabilityDay struct {
	Name string
	Rows []clockRow
}

// clockRow is one range of a weekday as typed, with its errors.
type clockRow struct {
	Start, End       string
	StartErr, EndErr string
}

// lengthChoice is one length a reader may offer, with its flat price in
// dollars as typed.
type lengthChoice struct {
	Minutes int
	Offered bool
	Price   string
	Error   string
}

// openingForm is the one-off opening form as typed.
type openingForm struct{ Date, Time, Duration string }

// timeOffForm is the time-off form as typed.
type timeOffForm struct{ FromDate, FromTime, ToDate, ToTime string }

// availabilityData gathers the availability page of the signed-in reader
// showing a: the grid with one empty row per weekday, and the upcoming
// openings and time off on a's clock.
func (s *Server) availabilityData(w http.ResponseWriter, r *http.Request, a schedule.Availability) (availabilityPage, error) {
	p := availabilityPage{Page: s.page(w, r, "Your availability"), TimeZones: account.TimeZones(), TimeZone: a.TimeZone,
		Buffer: strconv.Itoa(a.BufferMinutes), Notice: strconv.Itoa(a.MinNoticeMinutes), DaysAhead: strconv.Itoa(a.MaxDaysAhead),
		Errors: map[string]string{}, Opening: openingForm{Duration: "60"}}
	for _, day := range weekdays {
		d := availabilityDay{Name: day}
		for _, rg := range a.Weekly {
			if rg.Weekday == day {
				d.Rows = append(d.Rows, clockRow{Start: rg.Start, End: strings.Replace(rg.End, "24:00", "00:00", 1)}) // a time field has no 24:00
			}
		}
		p.Days = append(p.Days, d)
	}
	for _, m := range schedule.Durations {
		c := lengthChoice{Minutes: m}
		for _, d := range a.Durations {
			c.Offered = c.Offered || d == m
		}
		if cents, ok := a.Prices[strconv.Itoa(m)]; ok {
			c.Price = dollars(cents)
		}
		p.Lengths = append(p.Lengths, c)
	}
	openings, off, err := s.Schedule.Upcoming(r.Context(), userOf(r).ID)
	if err != nil {
		return p, err
	}
	loc, err := time.LoadLocation(a.TimeZone)
	if err != nil {
		return p, err
	}
	for _, o := range openings {
		o.StartsAt, o.EndsAt = o.StartsAt.In(loc), o.EndsAt.In(loc)
		p.Openings = append(p.Openings, o)
	}
	for _, t := range off {
		t.From, t.To = t.From.In(loc), t.To.In(loc)
		p.TimeOff = append(p.TimeOff, t)
	}
	return p, nil
}

// withBlankRows adds the empty row each weekday ends with.
func (p *availabilityPage) withBlankRows() {
	for i := range p.Days {
		p.Days[i].Rows = append(p.Days[i].Rows, clockRow{})
	}
}

// availabilityShow renders the signed-in reader's availability: time zone,
// weekly ranges, lengths and prices, buffer, notice and booking window,
// and their upcoming one-off openings and time off (SCH-1, SCH-2).
func (s *Server) availabilityShow(w http.ResponseWriter, r *http.Request) error {
	a, err := s.Schedule.Get(r.Context(), userOf(r))
	if err != nil {
		return err
	}
	p, err := s.availabilityData(w, r, a)
	if err != nil {
		return err
	}
	p.withBlankRows()
	return s.render(w, http.StatusOK, "availability", p)
}

// availabilityFormError shows the availability page again with err beside
// the form it came from, when err is the reader's to fix; other errors are
// returned. Nothing was changed.
func (s *Server) availabilityFormError(w http.ResponseWriter, r *http.Request, form string, err error, keep func(*availabilityPage)) error {
	e := apperr.As(err)
	if e == nil || len(e.Fields) == 0 || apperr.CodeOf(err) != apperr.Invalid {
		return err
	}
	a, gerr := s.Schedule.Get(r.Context(), userOf(r))
	if gerr != nil {
		return gerr
	}
	p, derr := s.availabilityData(w, r, a)
	if derr != nil {
		return derr
	}
	p.Form, p.Message, p.Errors = form, apperr.MessageOf(err), e.Fields
	keep(&p)
	p.withBlankRows()
	return s.render(w, http.StatusBadRequest, "availability", p)
}

// wallTime reads a date and a time typed on a form as that wall time in
// loc, as RFC 3339; "" when either does not parse, so the service names
// the field.
func wallTime(date, clock string, loc *time.Location) string {
	t, err := time.ParseInLocation("2006-01-02 15:04", strings.TrimSpace(date)+" "+strings.TrimSpace(clock), loc)
	if err != nil {
		return ""
	}
	return t.Format(time.RFC3339)
}
