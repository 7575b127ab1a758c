package web

import (
	"fmt"
	"net/http"
	"time"

	"github.com/soulseer/soulseer/internal/apperr"
	"github.com/soulseer/soulseer/internal/reader"
	"github.com/soulseer/soulseer/internal/schedule"
)

// bookingRoomPage is the data of a booked reading's room.
type bookingRoomPage struct {
	Page
	Booking    schedule.Booking // on the viewer's clock
	Room       schedule.RoomState
	AsReader   bool
	Other      string // the other party's name
	Messages   []schedule.RoomMessage
	MediaReady bool   // a voice or video booking on a site with Agora configured
	Zone       string // the viewer's time zone, named beside every time
	When       string // the booked time, e.g. "Monday 8 March 2027, 15:00–15:30"
	OpensAt    string // when the room opens, e.g. "14:50 on Monday 8 March"
	// OpensIn, StartsIn and EndsIn are the whole seconds (rounded up)
	// from now until the room opens, the reading starts and it ends; 0
	// once passed. The page counts them down.
	OpensIn, StartsIn, EndsIn int64
	OpensBefore               int    // minutes: schedule.RoomOpensBefore
	Closed                    string // why a closed room is closed, in words
}

// Countdown writes seconds as the room's script does: "4:05", "1:02:03".
func (bookingRoomPage) Countdown(sec int64) string {
	if h := sec / 3600; h > 0 {
		return fmt.Sprintf("%d:%02d:%02d", h, sec%3600/60, sec%60)
	}
	return fmt.Sprintf("%d:%02d", sec/60, sec%60)
}

// bookingRoomShow is a booked reading's room (SCH-6), for its client and
// reader only (anyone else, admins too, gets 404). From
// schedule.RoomOpensBefore the start until the end, opening it records
// the viewer's presence (the reader's decides whether the booking is
// fulfilled or refunded as a no-show) and it is the reading room without
// a meter: chat, voice or video when the site has Agora, and the time left
// to the booked end. Before then it says when it opens, afterwards that it
// has ended — times on the viewer's clock, the zone named.
func (s *Server) bookingRoomShow(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	u, ctx := userOf(r), r.Context()
	b, err := s.Schedule.Join(ctx, u, id)
	if apperr.CodeOf(err) == apperr.Conflict {
		b, err = s.Schedule.PartyBooking(ctx, u, id) // outside the room's hours
	}
	if err != nil {
		return err
	}
	msgs, err := s.Schedule.Transcript(ctx, u, id)
	if err != nil {
		return err
	}
	loc, now := u.Location(), s.Clock.Now()
	for i := range msgs {
		msgs[i].CreatedAt = msgs[i].CreatedAt.In(loc)
	}
	p := bookingRoomPage{Booking: b.In(loc), Room: b.Room(now), AsReader: u.ID == b.ReaderID, Other: b.ReaderName, Messages: msgs,
		MediaReady: s.Agora.Configured() && b.Modality != reader.Text, Zone: loc.String(),
		OpensIn: secondsUntil(now, b.RoomOpensAt()), StartsIn: secondsUntil(now, b.StartsAt), EndsIn: secondsUntil(now, b.EndsAt),
		OpensBefore: int(schedule.RoomOpensBefore / time.Minute)}
	if p.AsReader {
		p.Other = b.ClientName
	}
	p.Page = s.page(w, r, "Reading with "+p.Other)
	p.When = p.Booking.StartsAt.Format("Monday 2 January 2006, 15:04") + "–" + p.Booking.EndsAt.Format("15:04")
	p.OpensAt = b.RoomOpensAt().In(loc).Format("15:04 on Monday 2 January")
	p.Closed = closedText(b, p.AsReader)
	return s.render(w, http.StatusOK, "booking_room", p)
}

// secondsUntil is the whole seconds from now until t, rounded up; 0 once
// t has come.
func secondsUntil(now, t time.Time) int64 {
	if !t.After(now) {
		return 0
	}
	return int64((t.Sub(now) + time.Second - 1) / time.Second)
}

// closedText says why b's room is closed, to its reader or its client.
func closedText(b schedule.Booking, asReader bool) string {
	switch {
	case b.State == schedule.Cancelled:
		return "This booking was cancelled, so its room did not open."
	case b.State == schedule.ReaderNoShow && asReader:
		return fmt.Sprintf("You did not join this reading in its first %d minutes, so the client was refunded in full.", int(schedule.NoShowAfter/time.Minute))
	case b.State == schedule.ReaderNoShow:
		return fmt.Sprintf("%s did not join this reading, so its price went back to your wallet.", b.ReaderName)
	}
	return "This reading has ended."
}
