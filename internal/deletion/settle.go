package deletion

import (
	"context"
	"fmt"

	"github.com/soulseer/soulseer/internal/account"
	"github.com/soulseer/soulseer/internal/apperr"
	"github.com/soulseer/soulseer/internal/db"
	"github.com/soulseer/soulseer/internal/ledger"
	"github.com/soulseer/soulseer/internal/reading"
)

// settle closes what u has under way before their data goes, each step
// through the service that owns it, so that every charge, refund and
// notification happens as it would had they done it themselves: their
// open readings end (charged to the minute); their live stream ends; their
// upcoming bookings are cancelled with the refunds cancelling gives (a
// client's booking already under way is left to settle); a reader's
// earnings are paid out in full when their payout account allows; and
// what the wallet holds goes back to the cards that topped it up. Each
// step skips what is already done, so settle can run again.
func (s *Service) settle(ctx context.Context, u account.User) error {
	rows, err := s.DB.Read().QueryContext(ctx, `SELECT id FROM readings WHERE (client_id = $1 OR reader_id = $1) AND state IN `+reading.OpenStatesSQL, u.ID)
	if err != nil {
		return fmt.Errorf("deletion: open readings: %w", err)
	}
	readings, err := db.Collect(rows, func(r db.Row) (int64, error) {
		var id int64
		err := r.Scan(&id)
		return id, err
	})
	if err != nil {
		return fmt.Errorf("deletion: open readings: %w", err)
	}
	for _, id := range readings {
		if _, err := s.Readings.End(ctx, u, id); err != nil && apperr.CodeOf(err) != apperr.Conflict {
			return err
		}
	}
	if st, live, err := s.Live.Current(ctx, u); err != nil {
		return err
	} else if live {
		if _, err := s.Live.End(ctx, u, st.ID); err != nil && apperr.CodeOf(err) != apperr.Conflict {
			return err
		}
	}
	bookings, err := s.Schedule.Bookings(ctx, u.ID, "upcoming")
	if err != nil {
		return err
	}
	for _, b := range bookings {
		if _, ok := s.Schedule.RefundIf(b, u, s.Clock.Now()); !ok {
			continue
		}
		if _, err := s.Schedule.Cancel(ctx, u, b.ID); err != nil && apperr.CodeOf(err) != apperr.Conflict {
			return err
		}
	}
	if err := s.payOut(ctx, u); err != nil {
		return err
	}
	_, err = s.Payments.RefundToCards(ctx, u)
	return err
}

// payOut pays a reader everything they have earned, when their payout
// account takes payouts. A payout that fails stays on the admins' list of
// failed payouts, to be retried, and does not stop the deletion.
func (s *Service) payOut(ctx context.Context, u account.User) error {
	earned, err := s.Ledger.Balance(ctx, s.DB.Read(), ledger.Earnings(u.ID))
	if err != nil || earned == 0 {
		return err
	}
	problem, err := s.Payouts.Refusal(ctx, u.ID)
	if err != nil || problem != "" {
		return err
	}
	if _, err := s.Payouts.PayFinal(ctx, u.ID); err != nil {
		s.Log.Warn("deletion: final payout", "user", u.ID, "err", err)
	}
	return nil
}
