package web

import "net/http"

// adminBookingListResponse is a page of every scheduled reading for
// admins, with what escrow holds beside what the open bookings add up to.
type adminBookingListResponse struct {
	TimeZone    string            `json:"time_zone"`
	Total       int               `json:"total"`
	EscrowCents int64             `json:"escrow_cents"`
	OpenCount   int               `json:"open_count"`
	OpenCents   int64             `json:"open_cents"`
	Bookings    []bookingResponse `json:"bookings"`
}

// apiAdminBookingsList lists scheduled readings for admins (SCH-7),
// newest start first, filtered by state and by a client's or reader's
// name or email, with escrow's balance and what open bookings hold.
func (s *Server) apiAdminBookingsList(w http.ResponseWriter, r *http.Request) error {
	loc, err := requestZone(r)
	if err != nil {
		return err
	}
	list, total, err := s.Schedule.AdminBookings(r.Context(), adminBookingParams(r))
	if err != nil {
		return err
	}
	open, escrow, err := s.escrowHeld(r.Context())
	if err != nil {
		return err
	}
	u := userOf(r)
	out := adminBookingListResponse{TimeZone: loc.String(), Total: total, EscrowCents: escrow, OpenCount: open.Count, OpenCents: open.Cents,
		Bookings: make([]bookingResponse, 0, len(list))}
	for _, b := range list {
		out.Bookings = append(out.Bookings, s.bookingJSON(b, u, loc))
	}
	return writeJSON(w, http.StatusOK, out)
}
