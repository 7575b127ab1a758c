package schedule

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/soulseer/soulseer/internal/apperr"
	"github.com/soulseer/soulseer/internal/db"
)

// MaxBookingsListed bounds one list of bookings.
const MaxBookingsListed = 100

// Bookings lists userID's bookings as client or reader (SCH-7): when
// "upcoming", those still booked that have not ended, soonest first; when
// "past", the rest — ended, cancelled or settled — latest first. At most
// MaxBookingsListed.
func (s *Service) Bookings(ctx context.Context, userID int64, when string) ([]Booking, error) {
	now := db.Millis(s.Clock.Now())
	var where string
	switch when {
	case "upcoming":
		where = ` AND b.state = 'booked' AND b.ends_at > $2 ORDER BY b.starts_at, b.id`
	case "past":
		where = ` AND (b.state <> 'booked' OR b.ends_at <= $2) ORDER BY b.starts_at DESC, b.id DESC`
	default:
		return nil, apperr.Validation(map[string]string{"when": "Use upcoming or past."})
	}
	rows, err := s.DB.Read().QueryContext(ctx, `SELECT `+bookingColumns+bookingFrom+` WHERE (b.client_id = $1 OR b.reader_id = $1)`+where+
		fmt.Sprintf(" LIMIT %d", MaxBookingsListed), userID, now)
	if err != nil {
		return nil, fmt.Errorf("schedule: bookings: %w", err)
	}
	return scanBookings(rows)
}

// scanBookings reads every booking rows selects (bookingColumns) and
// closes rows.
func scanBookings(rows *sql.Rows) ([]Booking, error) {
	defer rows.Close()
	out := []Booking{}
	for rows.Next() {
		b, err := scanBooking(rows)
		if err != nil {
			return nil, fmt.Errorf("schedule: bookings: %w", err)
		}
		out = append(out, b)
	}
	return out, rows.Err()
}
