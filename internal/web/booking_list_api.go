package web

import (
	"net/http"
)

// bookingListResponse is the viewer's bookings on their clock, naming its
// zone.
type bookingListResponse struct {
	TimeZone string            `json:"time_zone"`
	Bookings []bookingResponse `json:"bookings"`
}

// apiBookingsList lists the signed-in user's bookings as client or reader
// (SCH-7): when=upcoming (the default), those still to happen, soonest
// first; when=past, the rest, latest first. Each says what cancelling it
// now would refund.
func (s *Server) apiBookingsList(w http.ResponseWriter, r *http.Request) error {
	loc, err := requestZone(r)
	if err != nil {
		return err
	}
	when := r.URL.Query().Get("when")
	if when == "" {
		when = "upcoming"
	}
	u := userOf(r)
	list, err := s.Schedule.Bookings(r.Context(), u.ID, when)
	if err != nil {
		return err
	}
	out := bookingListResponse{TimeZone: loc.String(), Bookings: make([]bookingResponse, 0, len(list))}
	for _, b := range list {
		out.Bookings = append(out.Bookings, s.bookingJSON(b, u, loc))
	}
	return writeJSON(w, http.StatusOK, out)
}
