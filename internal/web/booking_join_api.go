package web

import (
	"net/http"
)

// apiBookingJoin records that the booking's client or reader opened its
// room (SCH-6), from 10 minutes before the start until the end; outside
// those hours it is a 409. The reader's presence decides whether the
// reading is paid to them or refunded.
func (s *Server) apiBookingJoin(w http.ResponseWriter, r *http.Request) error {
	return s.bookingAct(w, r, s.Schedule.Join)
}
