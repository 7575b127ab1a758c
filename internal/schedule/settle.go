package schedule

import (
	"context"
	"fmt"
	"time"

	"github.com/soulseer/soulseer/internal/account"
	"github.com/soulseer/soulseer/internal/db"
	"github.com/soulseer/soulseer/internal/ledger"
)

// Room timing of a booked reading (SCH-6).
const (
	// RoomOpensBefore is how long before the start both parties may open
	// the booking's room.
	RoomOpensBefore = 10 * time.Minute
	// NoShowAfter is how long after the start a reader who has not joined
	// counts as absent, and the client is refunded in full.
	NoShowAfter = 10 * time.Minute
)

// settleBatch bounds the bookings one Settle pass settles.
const settleBatch = 100

// Join records that who opened booking id's room: its client or reader,
// from RoomOpensBefore the start until its end (SCH-6). The first time
// each party joins is kept; a reader who has joined by NoShowAfter has
// shown. Anyone else is told the booking does not exist; outside the
// room's hours, or once the booking is no longer booked, it is a Conflict.
func (s *Service) Join(ctx context.Context, who account.User, id int64) (Booking, error) {
	var b Booking
	err := s.DB.Tx(ctx, func(tx *db.Tx) error {
		var err error
		var now time.Time
		if b, now, err = s.enter(ctx, tx, who, id); err != nil {
			return err
		}
		column := "client_joined_at"
		if who.ID == b.ReaderID {
			column = "reader_joined_at"
		}
		if _, err := tx.ExecContext(ctx, `UPDATE bookings SET `+column+` = COALESCE(`+column+`, $1) WHERE id = $2`, db.Millis(now), b.ID); err != nil {
			return fmt.Errorf("schedule: join: %w", err)
		}
		b, err = s.getBooking(ctx, tx, id, false)
		return err
	})
	return b, err
}

// Settle settles every booking whose outcome is known by now (SCH-6) and
// returns how many it settled: a reader who has not joined NoShowAfter the
// start has not shown, and the client gets the whole price back; a booking
// that has ended with its reader present is fulfilled, its price released
// from escrow to the reader's earnings (their share) and the platform —
// whether or not the client came. Each booking settles in a transaction of
// its own, once: the state change and the transfer (keyed by the booking)
// commit together, so running Settle again, twice at once or after a
// crash settles nothing twice.
func (s *Service) Settle(ctx context.Context) (int, error) {
	now := s.Clock.Now()
	ids, err := bookingIDs(ctx, s.DB.Read(), `SELECT id FROM bookings WHERE state = 'booked' AND (ends_at <= $1
		OR (starts_at <= $2 AND (reader_joined_at IS NULL OR reader_joined_at > starts_at + $3))) ORDER BY starts_at LIMIT $4`,
		db.Millis(now), db.Millis(now.Add(-NoShowAfter)), NoShowAfter.Milliseconds(), settleBatch)
	if err != nil {
		return 0, fmt.Errorf("schedule: settle: %w", err)
	}
	n := 0
	for _, id := range ids {
		done, err := s.settle(ctx, id, now)
		if err != nil {
			return n, err
		}
		if done {
			n++
		}
	}
	return n, nil
}

// settle settles booking id if it is still booked and its outcome is known
// at now, reporting whether it did.
func (s *Service) settle(ctx context.Context, id int64, now time.Time) (bool, error) {
	done := false
	err := s.DB.Tx(ctx, func(tx *db.Tx) error {
		b, err := s.getBooking(ctx, tx, id, true)
		if err != nil || b.State != Booked {
			return err
		}
		shown := b.ReaderJoinedAt != nil && !b.ReaderJoinedAt.After(b.StartsAt.Add(NoShowAfter))
		var t ledger.Transfer
		var to State
		switch {
		case !shown && !now.Before(b.StartsAt.Add(NoShowAfter)):
			t, to = release(b, fmt.Sprintf("booking:%d:settle", b.ID), ledger.TypeRefund, b.PriceCents, 0, "Reader did not join the scheduled reading"), ReaderNoShow
		case shown && !now.Before(b.EndsAt):
			t, to = release(b, fmt.Sprintf("booking:%d:settle", b.ID), ledger.TypeBookingCharge, 0, 0, "Scheduled reading delivered"), Fulfilled
		default:
			return nil
		}
		if _, err := s.Ledger.Post(ctx, tx, t); err != nil {
			return err
		}
		refund := int64(0)
		if to == ReaderNoShow {
			refund = b.PriceCents
		}
		if _, err := tx.ExecContext(ctx, `UPDATE bookings SET state = $1, settled_at = $2, refund_cents = $3 WHERE id = $4`,
			to, db.Millis(now), refund, b.ID); err != nil {
			return fmt.Errorf("schedule: settle %d: %w", b.ID, err)
		}
		b.State, b.RefundCents = to, refund
		done = true
		return s.tell(ctx, tx, b, string(to), 0)
	})
	return done, err
}

// bookingIDs runs query and returns the ids it selects.
func bookingIDs(ctx context.Context, q db.Querier, query string, args ...any) ([]int64, error) {
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var ids []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		ids = append(ids, id)
	}
	return ids, rows.Err()
}
