package web

import (
	"context"
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
	f := adminBookingParams(r)
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
	if data.Open, data.EscrowCents, err = s.escrowHeld(ctx); err != nil {
		return err
	}
	data.Mismatch = data.EscrowCents - data.Open.Cents
	return s.render(w, status, "admin_bookings", data)
}

// escrowHeld is what open bookings hold and the escrow account's balance,
// which must be equal.
func (s *Server) escrowHeld(ctx context.Context) (schedule.Escrowed, int64, error) {
	open, err := s.Schedule.Escrow(ctx)
	if err != nil {
		return schedule.Escrowed{}, 0, err
	}
	bal, err := s.Ledger.Balance(ctx, s.DB.Read(), ledger.Escrow())
	return open, bal, err
}

// adminBookingParams reads the admin bookings filter from the query:
// state, q and offset (one that is not a number is refused with the
// negative ones).
func adminBookingParams(r *http.Request) schedule.AdminFilter {
	q := r.URL.Query()
	offset := 0
	if v := q.Get("offset"); v != "" {
		var err error
		if offset, err = strconv.Atoi(v); err != nil {
			offset = -1 // refused as a field error
		}
	}
	return schedule.AdminFilter{State: schedule.State(q.Get("state")), Query: q.Get("q"), Offset: offset}
}
