package web

import (
	"fmt"
	"net/http"

	"github.com/soulseer/soulseer/internal/schedule"
)

// apiBookingCalendarShow downloads a booking as an iCalendar file for its
// client, its reader or an admin (SCH-7). Its UID names the booking on the
// site's host, so a later download — cancelled, say — updates the same
// calendar entry.
func (s *Server) apiBookingCalendarShow(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	u := userOf(r)
	b, err := s.Schedule.GetBooking(r.Context(), u, id)
	if err != nil {
		return err
	}
	ics := schedule.Calendar(b, u.ID, s.Schedule.Host(), fmt.Sprintf("%s/bookings/%d", s.Config.BaseURL, b.ID), s.Clock.Now())
	w.Header().Set("Content-Type", "text/calendar; charset=utf-8")
	w.Header().Set("Content-Disposition", fmt.Sprintf(`attachment; filename="booking-%d.ics"`, b.ID))
	w.Header().Set("Cache-Control", "no-store")
	_, err = w.Write(ics)
	return err
}
