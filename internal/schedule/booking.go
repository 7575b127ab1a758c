package schedule

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/soulseer/soulseer/internal/account"
	"github.com/soulseer/soulseer/internal/apperr"
	"github.com/soulseer/soulseer/internal/db"
	"github.com/soulseer/soulseer/internal/reader"
)

// State is where a booking stands.
type State string

// The states of a booking. Only Booked changes, and only once, to one of
// the others.
const (
	Booked       State = "booked"         // paid into escrow, not yet happened
	Cancelled    State = "cancelled"      // cancelled before it settled; RefundCents went back to the client
	Fulfilled    State = "fulfilled"      // happened (or the client stayed away): escrow went to the reader and the platform
	ReaderNoShow State = "reader_no_show" // the reader never came in the first NoShowAfter: the client got everything back
)

// Text names the state for people: "Booked", "Cancelled", "Completed" or
// "Refunded: the reader did not join".
func (st State) Text() string {
	switch st {
	case Cancelled:
		return "Cancelled"
	case Fulfilled:
		return "Completed"
	case ReaderNoShow:
		return "Refunded: the reader did not join"
	}
	return "Booked"
}

// Booking is one scheduled reading: a client paid PriceCents up front for
// DurationMinutes with a reader from StartsAt, held in escrow until it
// settles.
type Booking struct {
	ID              int64           `json:"id"`
	ClientID        int64           `json:"client_id"`
	ClientName      string          `json:"client_name"`
	ReaderID        int64           `json:"reader_id"`
	ReaderName      string          `json:"reader_name"`
	Modality        reader.Modality `json:"modality"`
	DurationMinutes int             `json:"duration_minutes"`
	StartsAt        time.Time       `json:"starts_at"`
	EndsAt          time.Time       `json:"ends_at"`
	PriceCents      int64           `json:"price_cents"`
	State           State           `json:"state"`
	RefundCents     int64           `json:"refund_cents"`
	CancelledBy     int64           `json:"cancelled_by,omitempty"`
	CancelledAt     *time.Time      `json:"cancelled_at,omitempty"`
	ReaderJoinedAt  *time.Time      `json:"reader_joined_at,omitempty"`
	ClientJoinedAt  *time.Time      `json:"client_joined_at,omitempty"`
	SettledAt       *time.Time      `json:"settled_at,omitempty"`
	CreatedAt       time.Time       `json:"created_at"`
	// Sequence counts the changes a calendar must pick up (RFC 5545).
	Sequence int `json:"-"`

	busyUntil   time.Time
	platformPct int
}

// In returns the booking with its times on loc's clock.
func (b Booking) In(loc *time.Location) Booking {
	b.StartsAt, b.EndsAt, b.CreatedAt = b.StartsAt.In(loc), b.EndsAt.In(loc), b.CreatedAt.In(loc)
	for _, t := range []**time.Time{&b.CancelledAt, &b.ReaderJoinedAt, &b.ClientJoinedAt, &b.SettledAt} {
		if *t != nil {
			v := (*t).In(loc)
			*t = &v
		}
	}
	return b
}

// Party reports whether u is the booking's client or reader.
func (b Booking) Party(u int64) bool { return u == b.ClientID || u == b.ReaderID }

// visibleTo reports whether u may see the booking: its two parties and admins.
func (b Booking) visibleTo(u account.User) bool { return b.Party(u.ID) || u.Role == account.RoleAdmin }

// Other is the party of the booking who is not userID.
func (b Booking) Other(userID int64) int64 {
	if userID == b.ClientID {
		return b.ReaderID
	}
	return b.ClientID
}

const bookingColumns = `b.id, b.client_id, cu.display_name, b.reader_id, ru.display_name, b.modality, b.duration_minutes,
	b.starts_at, b.ends_at, b.busy_until, b.price_cents, b.platform_share_pct, b.state, b.refund_cents, COALESCE(b.cancelled_by, 0),
	b.cancelled_at, b.reader_joined_at, b.client_joined_at, b.settled_at, b.sequence, b.created_at`

const bookingFrom = ` FROM bookings b JOIN users cu ON cu.id = b.client_id JOIN users ru ON ru.id = b.reader_id`

func scanBooking(row interface{ Scan(...any) error }) (Booking, error) {
	var b Booking
	var starts, ends, busy, created int64
	var cancelled, readerJoined, clientJoined, settled sql.NullInt64
	err := row.Scan(&b.ID, &b.ClientID, &b.ClientName, &b.ReaderID, &b.ReaderName, &b.Modality, &b.DurationMinutes,
		&starts, &ends, &busy, &b.PriceCents, &b.platformPct, &b.State, &b.RefundCents, &b.CancelledBy,
		&cancelled, &readerJoined, &clientJoined, &settled, &b.Sequence, &created)
	if err != nil {
		return Booking{}, err
	}
	b.StartsAt, b.EndsAt, b.busyUntil, b.CreatedAt = db.Time(starts), db.Time(ends), db.Time(busy), db.Time(created)
	b.CancelledAt, b.ReaderJoinedAt, b.ClientJoinedAt, b.SettledAt = nullTime(cancelled), nullTime(readerJoined), nullTime(clientJoined), nullTime(settled)
	return b, nil
}

func nullTime(v sql.NullInt64) *time.Time {
	if !v.Valid {
		return nil
	}
	t := db.Time(v.Int64)
	return &t
}

// errNoBooking is what a booking that does not exist, or that the asker may
// not see, looks like.
var errNoBooking = apperr.Errorf(apperr.NotFound, "No such booking.")

// getBooking reads booking id; with lock it holds the row until tx ends.
func (s *Service) getBooking(ctx context.Context, q db.Querier, id int64, lock bool) (Booking, error) {
	query := `SELECT ` + bookingColumns + bookingFrom + ` WHERE b.id = $1`
	if lock {
		query += s.DB.ForUpdateOf("b")
	}
	b, err := scanBooking(q.QueryRowContext(ctx, query, id))
	if errors.Is(err, sql.ErrNoRows) {
		return Booking{}, errNoBooking
	}
	if err != nil {
		return Booking{}, fmt.Errorf("schedule: booking %d: %w", id, err)
	}
	return b, nil
}

// GetBooking returns booking id as viewer may see it: its client, its reader and
// admins see it; anyone else is told it does not exist.
func (s *Service) GetBooking(ctx context.Context, viewer account.User, id int64) (Booking, error) {
	b, err := s.getBooking(ctx, s.DB.Read(), id, false)
	if err != nil {
		return Booking{}, err
	}
	if !b.visibleTo(viewer) {
		return Booking{}, errNoBooking
	}
	return b, nil
}

// booked returns the time a reader's bookings that are not cancelled
// occupy, [start, end + buffer), for those meeting [from, to).
func booked(ctx context.Context, q db.Querier, readerID int64, from, to time.Time) ([]interval, error) {
	rows, err := q.QueryContext(ctx, `SELECT starts_at, busy_until FROM bookings WHERE reader_id = $1 AND state <> 'cancelled'
		AND busy_until > $2 AND starts_at < $3`, readerID, db.Millis(from), db.Millis(to))
	if err != nil {
		return nil, fmt.Errorf("schedule: booked times: %w", err)
	}
	defer rows.Close()
	var out []interval
	for rows.Next() {
		var a, b int64
		if err := rows.Scan(&a, &b); err != nil {
			return nil, fmt.Errorf("schedule: booked times: %w", err)
		}
		out = append(out, interval{db.Time(a), db.Time(b)})
	}
	return out, rows.Err()
}
