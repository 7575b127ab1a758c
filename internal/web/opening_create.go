package web

import (
	"net/http"
	"strconv"
	"time"

	"github.com/soulseer/soulseer/internal/schedule"
)

// readerLocation is the zone the signed-in reader's availability is kept
// in, as the availability page's forms read wall times.
func (s *Server) readerLocation(r *http.Request) (*time.Location, error) {
	a, err := s.Schedule.Get(r.Context(), userOf(r))
	if err != nil {
		return nil, err
	}
	return time.LoadLocation(a.TimeZone)
}

// openingCreate adds a one-off open time from the availability page
// (SCH-2): a date and time on the reader's availability clock and a
// length; a refused value is shown beside its field and nothing changes.
func (s *Server) openingCreate(w http.ResponseWriter, r *http.Request) error {
	if err := parseForm(w, r); err != nil {
		return err
	}
	loc, err := s.readerLocation(r)
	if err != nil {
		return err
	}
	typed := openingForm{Date: r.PostFormValue("date"), Time: r.PostFormValue("time"), Duration: r.PostFormValue("duration_minutes")}
	minutes, _ := strconv.Atoi(typed.Duration) // not a number is 0, which the service refuses by name
	in := schedule.OpeningInput{StartsAt: wallTime(typed.Date, typed.Time, loc), DurationMinutes: minutes}
	if _, err := s.Schedule.AddOpening(r.Context(), userOf(r), in); err != nil {
		return s.availabilityFormError(w, r, "opening", err, func(p *availabilityPage) { p.Opening = typed })
	}
	s.setFlash(w, "The open time is added.")
	http.Redirect(w, r, "/reader/availability#openings", http.StatusSeeOther)
	return nil
}
