package web

import (
	"fmt"
	"net/http"

	"github.com/soulseer/soulseer/internal/schedule"
)

// bookingShowPage is one booking's page (SCH-5, SCH-7): where it stands on
// the viewer's clock, the way into its room while open, what cancelling it
// now would refund, and its calendar file.
type bookingShowPage struct {
	Page
	Item      bookingItem
	Zone      string
	Policy    refundPolicy
	RoomOpens string // how long before the start the room opens
}

// bookingShow renders one booking to its client, its reader or an admin;
// anyone else is told it does not exist. The refund a cancellation would
// give is shown before the button that cancels.
func (s *Server) bookingShow(w http.ResponseWriter, r *http.Request) error {
	b, err := s.pathBooking(r)
	if err != nil {
		return err
	}
	u := userOf(r)
	loc := u.Location()
	return s.render(w, http.StatusOK, "booking", bookingShowPage{Page: s.page(w, r, fmt.Sprintf("Booking with %s", b.ReaderName)),
		Item: s.bookingItem(b, u, loc, s.Clock.Now()), Zone: loc.String(), Policy: s.refundPolicy(),
		RoomOpens: spanWords(schedule.RoomOpensBefore)})
}
