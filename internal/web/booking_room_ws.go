package web

import (
	"context"
	"net/http"
	"time"

	"github.com/soulseer/soulseer/internal/realtime"
	"github.com/soulseer/soulseer/internal/schedule"
)

// bookingRoomState is the first message of a booking room's connection:
// where the room stands now, and when the reading ends.
type bookingRoomState struct {
	Room   schedule.RoomState `json:"room"`
	EndsAt time.Time          `json:"ends_at"`
}

// apiBookingWSShow is a party's live connection to a booking's room
// (SCH-6): first where the room stands ("booking.room"), then its chat and
// typing; a party may send chat messages and typing through it too, taken
// while the room is open. While it is open the user counts as connected.
func (s *Server) apiBookingWSShow(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	u := userOf(r)
	if _, err := s.Schedule.PartyBooking(r.Context(), u, id); err != nil {
		return err
	}
	release := s.Presence.Connect(r.Context(), u.ID, 0)
	return s.serveWS(w, r, []string{realtime.BookingTopic(id)}, realtime.ServeOptions{
		OnClose: release,
		// A room that closed while the page was away (the end came, the
		// booking was cancelled) is caught up here.
		Hello: func(ctx context.Context) (string, any, error) {
			b, err := s.Schedule.PartyBooking(ctx, u, id)
			return "booking.room", bookingRoomState{Room: b.Room(s.Clock.Now()), EndsAt: b.EndsAt}, err
		},
		OnMessage: chatSocket(func(ctx context.Context, body string) error {
			_, err := s.Schedule.Say(ctx, u, id, body)
			return err
		}, func(ctx context.Context) error { return s.Schedule.Typing(ctx, u, id) }),
	})
}
