package web

import (
	"net/http"
)

// apiBookingCancel cancels a booking for its client, its reader or an
// admin and refunds the client by the notice rules (SCH-5); the answer's
// refund_cents is what went back to the client's wallet.
func (s *Server) apiBookingCancel(w http.ResponseWriter, r *http.Request) error {
	return s.bookingAct(w, r, s.Schedule.Cancel)
}
