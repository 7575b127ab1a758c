package schedule

import (
	"context"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/soulseer/soulseer/internal/account"
	"github.com/soulseer/soulseer/internal/apperr"
	"github.com/soulseer/soulseer/internal/db"
	"github.com/soulseer/soulseer/internal/realtime"
)

// RoomState is where a booking's room stands at a moment (SCH-6).
type RoomState string

// The states of a booking's room.
const (
	RoomNotYet RoomState = "not_yet" // booked, and RoomOpensBefore the start is still to come
	RoomOpen   RoomState = "open"    // booked, from RoomOpensBefore the start until the end
	RoomClosed RoomState = "closed"  // the booked time is over, or the booking was cancelled or settled
)

// RoomOpensAt is when b's room opens: RoomOpensBefore its start.
func (b Booking) RoomOpensAt() time.Time { return b.StartsAt.Add(-RoomOpensBefore) }

// Room says where b's room stands at now: its parties may use it from
// RoomOpensBefore the start until the end, while b is booked.
func (b Booking) Room(now time.Time) RoomState {
	switch {
	case b.State != Booked || !now.Before(b.EndsAt):
		return RoomClosed
	case now.Before(b.RoomOpensAt()):
		return RoomNotYet
	}
	return RoomOpen
}

// roomCheck is nil while b's room is open at now, else the Conflict that
// says why it is not.
func (b Booking) roomCheck(now time.Time) error {
	switch {
	case b.State != Booked:
		return apperr.Errorf(apperr.Conflict, "This booking is %s.", stateWord(b.State))
	case now.Before(b.RoomOpensAt()):
		return apperr.Errorf(apperr.Conflict, "The room opens %s before the start.", minutesText(int(RoomOpensBefore/time.Minute)))
	case !now.Before(b.EndsAt):
		return apperr.Errorf(apperr.Conflict, "This reading has ended.")
	}
	return nil
}

// enter reads booking id for who, one of its parties, in tx, holding its
// row until tx ends, and returns it with the time now, when its room is
// open; anyone else is told it does not exist, and a room that is not
// open is a Conflict saying why.
func (s *Service) enter(ctx context.Context, tx *db.Tx, who account.User, id int64) (Booking, time.Time, error) {
	b, err := s.getBooking(ctx, tx, id, true)
	if err != nil {
		return Booking{}, time.Time{}, err
	}
	if !b.Party(who.ID) {
		return Booking{}, time.Time{}, errNoBooking
	}
	now := s.Clock.Now()
	return b, now, b.roomCheck(now)
}

// PartyBooking returns booking id to one of its two parties, the only
// people its room is for (SCH-6); anyone else, admins included, is told it
// does not exist.
func (s *Service) PartyBooking(ctx context.Context, who account.User, id int64) (Booking, error) {
	b, err := s.getBooking(ctx, s.DB.Read(), id, false)
	if err != nil {
		return Booking{}, err
	}
	if !b.Party(who.ID) {
		return Booking{}, errNoBooking
	}
	return b, nil
}

// MaxRoomMessageLen bounds one chat message of a booking's room, in
// characters.
const MaxRoomMessageLen = 2000

// RoomMessage is one chat message of a booking's room.
type RoomMessage struct {
	ID        int64     `json:"id"`
	BookingID int64     `json:"booking_id"`
	SenderID  int64     `json:"sender_id"`
	Sender    string    `json:"sender"`
	Body      string    `json:"body"`
	CreatedAt time.Time `json:"created_at"`
}

// Say stores a chat message of who, a party of booking id, and delivers it
// to both parties through the booking's topic once stored (SCH-6). It is
// taken only while the room is open (else a Conflict saying why); anyone
// else is told the booking does not exist. Nothing is charged: the
// booking was paid when it was made.
func (s *Service) Say(ctx context.Context, who account.User, id int64, body string) (RoomMessage, error) {
	body = strings.TrimSpace(body)
	if body == "" || utf8.RuneCountInString(body) > MaxRoomMessageLen {
		return RoomMessage{}, apperr.Validation(map[string]string{"body": fmt.Sprintf("Write a message of 1 to %d characters.", MaxRoomMessageLen)})
	}
	var m RoomMessage
	err := s.DB.Tx(ctx, func(tx *db.Tx) error {
		_, now, err := s.enter(ctx, tx, who, id)
		if err != nil {
			return err
		}
		m = RoomMessage{BookingID: id, SenderID: who.ID, Sender: who.DisplayName, Body: body, CreatedAt: now}
		if err := tx.QueryRowContext(ctx, `INSERT INTO booking_messages (booking_id, sender_id, body, created_at) VALUES ($1, $2, $3, $4) RETURNING id`,
			id, who.ID, body, db.Millis(now)).Scan(&m.ID); err != nil {
			return fmt.Errorf("schedule: store message: %w", err)
		}
		return s.Hub.PublishOnCommit(tx, realtime.BookingTopic(id), "chat.message", m)
	})
	return m, err
}

// Typing tells booking id's other party that who is typing, while the room
// is open; nothing is stored.
func (s *Service) Typing(ctx context.Context, who account.User, id int64) error {
	b, err := s.PartyBooking(ctx, who, id)
	if err != nil || b.Room(s.Clock.Now()) != RoomOpen {
		return err
	}
	return s.Hub.Publish(ctx, realtime.BookingTopic(id), "chat.typing", map[string]any{"user_id": who.ID, "name": who.DisplayName})
}

// Transcript returns the chat of booking id's room in order, to those who
// may see the booking: its parties and admins.
func (s *Service) Transcript(ctx context.Context, viewer account.User, id int64) ([]RoomMessage, error) {
	if _, err := s.GetBooking(ctx, viewer, id); err != nil {
		return nil, err
	}
	rows, err := s.DB.Read().QueryContext(ctx, `SELECT m.id, m.booking_id, COALESCE(m.sender_id, 0), COALESCE(u.display_name, ''), m.body, m.created_at
		FROM booking_messages m LEFT JOIN users u ON u.id = m.sender_id WHERE m.booking_id = $1 ORDER BY m.id`, id)
	if err != nil {
		return nil, fmt.Errorf("schedule: transcript: %w", err)
	}
	defer rows.Close()
	out := []RoomMessage{}
	for rows.Next() {
		var m RoomMessage
		var at int64
		if err := rows.Scan(&m.ID, &m.BookingID, &m.SenderID, &m.Sender, &m.Body, &at); err != nil {
			return nil, fmt.Errorf("schedule: transcript: %w", err)
		}
		m.CreatedAt = db.Time(at)
		out = append(out, m)
	}
	return out, rows.Err()
}
