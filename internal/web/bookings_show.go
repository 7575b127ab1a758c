package web

import (
	"net/http"
)

// bookingsPage is "My bookings" (SCH-7): the signed-in user's scheduled
// readings as client or reader, upcoming or past, on their clock.
type bookingsPage struct {
	Page
	When  string // "upcoming" or "past"
	Zone  string
	Items []bookingItem
}

// bookingsShow lists the signed-in user's bookings: ?when=past shows those
// ended, cancelled or settled, latest first; otherwise those still to
// come, soonest first, each with Join while its room is open and Cancel
// while it may be cancelled.
func (s *Server) bookingsShow(w http.ResponseWriter, r *http.Request) error {
	when := "upcoming"
	if r.URL.Query().Get("when") == "past" {
		when = "past"
	}
	u := userOf(r)
	list, err := s.Schedule.Bookings(r.Context(), u.ID, when)
	if err != nil {
		return err
	}
	return s.render(w, http.StatusOK, "bookings", bookingsPage{Page: s.page(w, r, "My bookings"), When: when,
		Zone: u.Location().String(), Items: s.bookingItems(r, list)})
}
