package web

import (
	"net/http"
	"strconv"

	"github.com/soulseer/soulseer/internal/apperr"
	"github.com/soulseer/soulseer/internal/ledger"
	"github.com/soulseer/soulseer/internal/schedule"
)

// adminBookingsPage is the data of the admin list of scheduled readings.
type adminBookingsPage struct {
	Page
	Bookings []schedule.Booking
	Total    int
	Query    string
	State    string
	States   []schedule.State
	Next     int
	Errors   map[string]string
	// Open is what open bookings hold; EscrowCents is the escrow account's
	// balance, which must equal Open.Cents.
	Open        schedule.Escrowed
	EscrowCents int64
	Mismatch    int64 // EscrowCents - Open.Cents; never anything but 0 unless the ledger is wrong
}

// adminBookingsList lists scheduled readings for admins, filtered by state
// and by a client's or reader's name or email, with what escrow holds next
// to what the open bookings add up to; a filter it refuses lists every
// booking and says why (400). Each booking opens on its own page, where an
// admin may cancel it with a full refund (audited).
func (s *Server) adminBookingsList(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	q := r.URL.Query()
	offset, _ := strconv.Atoi(q.Get("offset"))
	f := schedule.AdminFilter{State: schedule.State(q.Get("state")), Query: q.Get("q"), Offset: max(offset, 0)}
	data := adminBookingsPage{Page: s.page(w, r, "Bookings"), Query: f.Query, State: string(f.State),
		States: []schedule.State{schedule.Booked, schedule.Cancelled, schedule.Fulfilled, schedule.ReaderNoShow}}
	status := http.StatusOK
	list, total, err := s.Schedule.AdminBookings(ctx, f)
	if e := apperr.As(err); e != nil && e.Code == apperr.Invalid {
		data.Errors, status = e.Fields, http.StatusBadRequest
		list, total, err = s.Schedule.AdminBookings(ctx, schedule.AdminFilter{})
	}
	if err != nil {
		return err
	}
	loc := data.User.Location()
	for _, b := range list {
		data.Bookings = append(data.Bookings, b.In(loc))
	}
	data.Total = total
	if f.Offset+len(list) < total {
		data.Next = f.Offset + len(list)
	}
	if data.Open, err = s.Schedule.Escrow(ctx); err != nil {
		return err
	}
	if data.EscrowCents, err = s.Ledger.Balance(ctx, s.DB.Read(), ledger.Escrow()); err != nil {
		return err
	}
	data.Mismatch = data.EscrowCents - data.Open.Cents
	return s.render(w, status, "admin_bookings", data)
}
