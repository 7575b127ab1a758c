package privacy

import (
	"context"
	"errors"

	"github.com/soulseer/soulseer/internal/db"
)

// bookingsFile is bookings.json.
type bookingsFile struct {
	Bookings []bookingData `json:"bookings"`
}

type bookingData struct {
	ID              int64      `json:"id"`
	Role            string     `json:"role"` // client or reader
	Client          *party     `json:"client"`
	Reader          *party     `json:"reader"`
	Modality        string     `json:"modality"`
	DurationMinutes int        `json:"duration_minutes"`
	StartsAt        stamp      `json:"starts_at"`
	EndsAt          stamp      `json:"ends_at"`
	PriceCents      int64      `json:"price_cents"`
	State           string     `json:"state"`
	CancelledBy     *party     `json:"cancelled_by"`
	CancelledAt     stamp      `json:"cancelled_at"`
	RefundCents     int64      `json:"refund_cents"`
	ClientJoinedAt  stamp      `json:"client_joined_at"`
	ReaderJoinedAt  stamp      `json:"reader_joined_at"`
	SettledAt       stamp      `json:"settled_at"`
	CreatedAt       stamp      `json:"created_at"`
	Chat            []chatLine `json:"chat"`
}

// readBookings reads bookings.json: the person's bookings on either side,
// each with the chat of its room.
func readBookings(ctx context.Context, q db.Querier, userID int64) (any, error) {
	var f bookingsFile
	var errs [2]error
	var chat []chatLine
	f.Bookings, errs[0] = list(ctx, q, `SELECT b.id, CASE WHEN b.client_id = $1 THEN 'client' ELSE 'reader' END, `+partyColumns("c")+`, `+partyColumns("rd")+`,
		b.modality, b.duration_minutes, b.starts_at, b.ends_at, b.price_cents, b.state, `+partyColumns("x")+`, b.cancelled_at, b.refund_cents,
		b.client_joined_at, b.reader_joined_at, b.settled_at, b.created_at
		FROM bookings b LEFT JOIN users c ON c.id = b.client_id LEFT JOIN users rd ON rd.id = b.reader_id LEFT JOIN users x ON x.id = b.cancelled_by
		WHERE b.client_id = $1 OR b.reader_id = $1 ORDER BY b.id`,
		func(r db.Row, x *bookingData) error {
			var cID, rID, byID int64
			var cName, rName, byName string
			err := r.Scan(&x.ID, &x.Role, &cID, &cName, &rID, &rName, &x.Modality, &x.DurationMinutes, &x.StartsAt, &x.EndsAt, &x.PriceCents,
				&x.State, &byID, &byName, &x.CancelledAt, &x.RefundCents, &x.ClientJoinedAt, &x.ReaderJoinedAt, &x.SettledAt, &x.CreatedAt)
			x.Client, x.Reader, x.CancelledBy = partyOf(cID, cName), partyOf(rID, rName), partyOf(byID, byName)
			return err
		}, userID)
	chat, errs[1] = list(ctx, q, `SELECT m.booking_id, m.id, `+partyColumns("s")+`, m.body, m.created_at
		FROM booking_messages m JOIN bookings b ON b.id = m.booking_id LEFT JOIN users s ON s.id = m.sender_id
		WHERE b.client_id = $1 OR b.reader_id = $1 ORDER BY m.booking_id, m.id`, scanChatLine, userID)
	if err := errors.Join(errs[:]...); err != nil {
		return nil, err
	}
	lines := groupBy(chat, func(l chatLine) int64 { return l.of })
	for i := range f.Bookings {
		f.Bookings[i].Chat = orEmpty(lines[f.Bookings[i].ID])
	}
	return f, nil
}
