package web

import (
	"net/http"
)

// apiBookingShow answers one booking to its client, its reader or an
// admin; anyone else is told it does not exist.
func (s *Server) apiBookingShow(w http.ResponseWriter, r *http.Request) error {
	return s.bookingAct(w, r, s.Schedule.GetBooking)
}
