package web

import (
	"net/http"
	"strconv"

	"github.com/soulseer/soulseer/internal/agora"
	"github.com/soulseer/soulseer/internal/apperr"
	"github.com/soulseer/soulseer/internal/reader"
	"github.com/soulseer/soulseer/internal/schedule"
)

// apiBookingAgoraTokenCreate issues (or renews) a party's Agora RTC token
// for a booked voice or video reading while its room is open: publisher
// role, a channel per booking, 20 minutes (SCH-6, AGO-1, AGO-2).
func (s *Server) apiBookingAgoraTokenCreate(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	u := userOf(r)
	b, err := s.Schedule.PartyBooking(r.Context(), u, id)
	if err != nil {
		return err
	}
	if b.Modality == reader.Text {
		return apperr.Errorf(apperr.Conflict, "This is a text reading; it has no voice or video channel.")
	}
	if b.Room(s.Clock.Now()) != schedule.RoomOpen {
		return apperr.Errorf(apperr.Conflict, "Media tokens are issued while the room is open.")
	}
	tok, err := s.Agora.RTC(bookingChannel(id), uint32(u.ID), agora.Publisher)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, tok)
}

// bookingChannel is the Agora channel of a booking's room.
func bookingChannel(id int64) string { return "soulseer-booking-" + strconv.FormatInt(id, 10) }
