package web

import (
	"fmt"
	"net/http"
	"time"

	"github.com/soulseer/soulseer/internal/account"
	"github.com/soulseer/soulseer/internal/schedule"
)

// pageZone is the clock a page shows the viewer of r times on (SCH-3): a
// signed-in user's account zone; a visitor's is visitor.
func pageZone(r *http.Request, visitor *time.Location) *time.Location {
	if u := userOf(r); u.ID != 0 {
		return u.Location()
	}
	return visitor
}

// pathBooking is the booking the request's path names, as the signed-in
// viewer may see it: its client, its reader or an admin; to anyone else it
// does not exist.
func (s *Server) pathBooking(r *http.Request) (schedule.Booking, error) {
	id, err := pathID(r)
	if err != nil {
		return schedule.Booking{}, err
	}
	return s.Schedule.GetBooking(r.Context(), userOf(r), id)
}

// bookingItem is a booking as one of its parties (or an admin) sees it in
// a list or on its page: times on the viewer's clock, the other party
// named, and whether its room is open now (SCH-6, SCH-7).
type bookingItem struct {
	schedule.Booking
	AsReader  bool   // the viewer is the booking's reader
	OtherName string // the client for its reader, else the reader
	RoomOpen  bool   // booked, and now is within the room's hours
	Ended     bool   // its end has passed
	CanCancel bool   // the viewer may cancel it now
	Refund    int64  // what cancelling it now would refund the client (SCH-5)
}

// bookingItem shows b to viewer on loc's clock at now, with what
// cancelling it now would refund. The room is open from
// schedule.RoomOpensBefore the start until the end.
func (s *Server) bookingItem(b schedule.Booking, viewer account.User, loc *time.Location, now time.Time) bookingItem {
	it := bookingItem{Booking: b.In(loc), AsReader: viewer.ID == b.ReaderID, OtherName: b.ReaderName}
	if it.AsReader {
		it.OtherName = b.ClientName
	}
	it.Ended = !now.Before(b.EndsAt)
	it.RoomOpen = b.Party(viewer.ID) && b.Room(now) == schedule.RoomOpen
	it.Refund, it.CanCancel = s.Schedule.RefundIf(b, viewer, now)
	return it
}

// bookingItems shows list to the signed-in viewer of r on their clock.
func (s *Server) bookingItems(r *http.Request, list []schedule.Booking) []bookingItem {
	u, now := userOf(r), s.Clock.Now()
	out := make([]bookingItem, 0, len(list))
	for _, b := range list {
		out = append(out, s.bookingItem(b, u, u.Location(), now))
	}
	return out
}

// Day is the booking's date on the viewer's clock, e.g. "Mon 12 Jan 2027".
func (b bookingItem) Day() string { return b.StartsAt.Format("Mon 2 Jan 2006") }

// Hours is the booking's time of day on the viewer's clock, e.g.
// "09:00–09:30".
func (b bookingItem) Hours() string {
	return b.StartsAt.Format("15:04") + "–" + b.EndsAt.Format("15:04")
}

// StateText says where the booking stands, in words.
func (b bookingItem) StateText() string {
	switch b.State {
	case schedule.Cancelled:
		return "Cancelled"
	case schedule.Fulfilled:
		return "Completed"
	case schedule.ReaderNoShow:
		return "Refunded: the reader did not join"
	}
	if b.Ended {
		return "Ended, settling"
	}
	return "Booked"
}

// RoomURL is where the parties meet for the reading.
func (b bookingItem) RoomURL() string { return fmt.Sprintf("/bookings/%d/room", b.ID) }

// refundPolicy is what a client gets back when a booking is cancelled
// (SCH-5), in words for the confirmation and booking pages.
type refundPolicy struct {
	Notice  string // a full refund up to this long before the start
	LatePct int    // the percentage refunded after that, until the start
	NoShow  string // a reader absent this long into the reading refunds it in full
}

// refundPolicy is the site's cancellation rules.
func (s *Server) refundPolicy() refundPolicy {
	return refundPolicy{Notice: spanWords(s.Schedule.Config.CancelNotice), LatePct: s.Schedule.Config.LateCancelRefundPct,
		NoShow: spanWords(schedule.NoShowAfter)}
}

// spanWords writes a length of time in whole hours or minutes: "24 hours",
// "10 minutes".
func spanWords(d time.Duration) string {
	if d%time.Hour == 0 {
		return countOf(int(d/time.Hour), "hour", "hours")
	}
	return countOf(int(d/time.Minute), "minute", "minutes")
}
