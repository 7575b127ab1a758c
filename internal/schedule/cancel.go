package schedule

import (
	"context"
	"fmt"
	"time"

	"github.com/soulseer/soulseer/internal/account"
	"github.com/soulseer/soulseer/internal/apperr"
	"github.com/soulseer/soulseer/internal/audit"
	"github.com/soulseer/soulseer/internal/db"
	"github.com/soulseer/soulseer/internal/ledger"
)

// RefundIf is what cancelling b at now by who would refund the client
// (SCH-5): everything when the reader or an admin cancels; when the client
// does, everything up to CancelNotice before the start, then
// LateCancelRefundPct percent (rounded down to the cent), and nothing once
// it has started. ok is false when who may not cancel it now: it is no
// longer booked, the client asks after the start, or anyone asks after
// the end (it is then the settlement's to decide).
func (s *Service) RefundIf(b Booking, who account.User, now time.Time) (refund int64, ok bool) {
	switch {
	case b.State != Booked || !b.visibleTo(who) || !now.Before(b.EndsAt):
		return 0, false
	case who.ID != b.ClientID:
		return b.PriceCents, true
	case !now.Before(b.StartsAt):
		return 0, false
	case b.StartsAt.Sub(now) >= s.Config.CancelNotice:
		return b.PriceCents, true
	}
	return b.PriceCents * int64(s.Config.LateCancelRefundPct) / 100, true
}

// Cancel cancels booking id for who — its client, its reader or an admin —
// and refunds the client as RefundIf says, out of escrow in the same
// transaction; what is not refunded is settled as fulfilled, the reader's
// share to their earnings and the rest to the platform. The other party is
// notified (both, when an admin cancels, which is audited) and the time is
// bookable again. A booking already cancelled or settled, or one the
// client asks to cancel after its start, is a Conflict; one who may not see
// is told it does not exist.
func (s *Service) Cancel(ctx context.Context, who account.User, id int64) (Booking, error) {
	var b Booking
	err := s.DB.Tx(ctx, func(tx *db.Tx) error {
		var err error
		if b, err = s.getBooking(ctx, tx, id, true); err != nil {
			return err
		}
		if !b.visibleTo(who) {
			return errNoBooking
		}
		now := s.Clock.Now()
		refund, ok := s.RefundIf(b, who, now)
		switch {
		case b.State != Booked:
			return apperr.Errorf(apperr.Conflict, "This booking is already %s.", stateWord(b.State))
		case !ok && !now.Before(b.EndsAt):
			return apperr.Errorf(apperr.Conflict, "This reading has ended and can no longer be cancelled.")
		case !ok:
			return apperr.Errorf(apperr.Conflict, "This reading has started and can no longer be cancelled.")
		}
		if _, err := s.Ledger.Post(ctx, tx, release(b, fmt.Sprintf("booking:%d:cancel", b.ID), ledger.TypeRefund, refund, who.ID,
			"Scheduled reading cancelled")); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE bookings SET state = 'cancelled', cancelled_by = $1, cancelled_at = $2, settled_at = $2,
			refund_cents = $3, sequence = sequence + 1 WHERE id = $4`, who.ID, db.Millis(now), refund, b.ID); err != nil {
			return fmt.Errorf("schedule: cancel: %w", err)
		}
		if who.ID != b.ClientID && who.ID != b.ReaderID {
			if err := audit.Record(ctx, tx, audit.Entry{ActorID: who.ID, Action: "booking.cancel", Model: "booking", ObjectID: fmt.Sprint(b.ID), At: now,
				Details: map[string]any{"refund_cents": refund, "client_id": b.ClientID, "reader_id": b.ReaderID}}); err != nil {
				return err
			}
		}
		if b, err = s.getBooking(ctx, tx, id, false); err != nil {
			return err
		}
		return s.tell(ctx, tx, b, "cancelled", who.ID)
	})
	if err != nil {
		return Booking{}, err
	}
	return b, nil
}

// stateWord is how a sentence names a state.
func stateWord(st State) string {
	switch st {
	case Cancelled:
		return "cancelled"
	case ReaderNoShow:
		return "refunded because the reader did not join"
	case Fulfilled:
		return "complete"
	}
	return "booked"
}
