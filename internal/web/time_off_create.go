package web

import (
	"net/http"

	"github.com/soulseer/soulseer/internal/schedule"
)

// timeOffCreate takes time off from the availability page (SCH-2): from and
// to as dates and times on the reader's availability clock; a refused
// value is shown beside its field and nothing changes.
func (s *Server) timeOffCreate(w http.ResponseWriter, r *http.Request) error {
	if err := parseForm(w, r); err != nil {
		return err
	}
	loc, err := s.readerLocation(r)
	if err != nil {
		return err
	}
	typed := timeOffForm{FromDate: r.PostFormValue("from_date"), FromTime: r.PostFormValue("from_time"),
		ToDate: r.PostFormValue("to_date"), ToTime: r.PostFormValue("to_time")}
	in := schedule.TimeOffInput{From: wallTime(typed.FromDate, typed.FromTime, loc), To: wallTime(typed.ToDate, typed.ToTime, loc)}
	if _, err := s.Schedule.AddTimeOff(r.Context(), userOf(r), in); err != nil {
		return s.availabilityFormError(w, r, "time_off", err, func(p *availabilityPage) { p.Off = typed })
	}
	s.setFlash(w, "Your time off is saved.")
	http.Redirect(w, r, "/reader/availability#time-off", http.StatusSeeOther)
	return nil
}
