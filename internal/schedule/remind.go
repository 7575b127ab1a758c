package schedule

import (
	"context"
	"fmt"

	"github.com/soulseer/soulseer/internal/db"
)

// remindBatch bounds the reminders one Remind pass sends of each kind.
const remindBatch = 200

// Remind sends the reminders that are due (SCH-7): DayReminder and
// SoonReminder before each booked reading's start, to both parties,
// through the notification centre (in the app, and by email to whoever is
// away). Each reminder is marked sent in the transaction that sends it, so
// it goes out once however often Remind runs; a booking made inside a
// reminder's lead time never gets that reminder (its confirmation says the
// same). It returns how many bookings it reminded.
func (s *Service) Remind(ctx context.Context) (int, error) {
	n := 0
	for _, r := range []struct {
		column, what string
		lead         int64
	}{{"reminded_day", "day", DayReminder.Milliseconds()}, {"reminded_soon", "soon", SoonReminder.Milliseconds()}} {
		now := db.Millis(s.Clock.Now())
		ids, err := bookingIDs(ctx, s.DB.Read(), `SELECT id FROM bookings WHERE state = 'booked' AND `+r.column+` = FALSE
			AND starts_at > $1 AND starts_at <= $2 ORDER BY starts_at LIMIT $3`, now, now+r.lead, remindBatch)
		if err != nil {
			return n, fmt.Errorf("schedule: remind: %w", err)
		}
		for _, id := range ids {
			err := s.DB.Tx(ctx, func(tx *db.Tx) error {
				res, err := tx.ExecContext(ctx, `UPDATE bookings SET `+r.column+` = TRUE WHERE id = $1 AND state = 'booked' AND `+r.column+` = FALSE`, id)
				if err != nil {
					return fmt.Errorf("schedule: remind %d: %w", id, err)
				}
				if k, err := res.RowsAffected(); err != nil || k == 0 {
					return err
				}
				b, err := s.getBooking(ctx, tx, id, false)
				if err != nil {
					return err
				}
				n++
				return s.tell(ctx, tx, b, r.what, 0)
			})
			if err != nil {
				return n, err
			}
		}
	}
	return n, nil
}
