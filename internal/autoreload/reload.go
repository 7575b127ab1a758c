package autoreload

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/riverqueue/river"

	"github.com/soulseer/soulseer/internal/account"
	"github.com/soulseer/soulseer/internal/db"
	"github.com/soulseer/soulseer/internal/ledger"
	"github.com/soulseer/soulseer/internal/limits"
	"github.com/soulseer/soulseer/internal/payment"
)

// chargeAttempts bounds the tries of one reload's charge: they all fall
// well within the day for which the payment provider keeps an idempotency
// key, so a retry never charges twice.
const chargeAttempts = 5

// Check reloads the user's wallet (WAL-12) when auto-reload is on with a
// saved card and the balance is under the threshold after a spend that no
// reload has answered yet — unless a reload is under way, MaxPerDay
// reloads were made since midnight in the client's time zone, or the
// client is in a cooling-off pause or has reached a daily or monthly cap
// (WAL-11). The reload's top-up, its record (keyed by the spend) and the
// job that charges the card are made in one transaction, so one spend is
// answered by at most one reload however often it is looked at. It
// reports whether it made one.
func (s *Service) Check(ctx context.Context, userID int64) (bool, error) {
	u := account.User{ID: userID}
	if err := s.DB.Read().QueryRowContext(ctx, `SELECT time_zone FROM users WHERE id = $1`, userID).Scan(&u.TimeZone); err != nil {
		return false, fmt.Errorf("autoreload: check: %w", err)
	}
	if ok, err := s.mayReload(ctx, u); !ok || err != nil {
		return false, err
	}
	day, _ := limits.Window(s.Clock.Now(), u.Location())
	made := false
	err := s.DB.Tx(ctx, func(tx *db.Tx) error {
		st, err := load(ctx, tx, userID, s.DB.ForUpdate())
		if errors.Is(err, sql.ErrNoRows) || (err == nil && st.Status() != StatusOn) {
			return nil
		}
		if err != nil {
			return err
		}
		bal, err := s.Ledger.Balance(ctx, tx, ledger.Wallet(userID))
		if err != nil || bal >= st.ThresholdCents {
			return err
		}
		spend, err := lastSpend(ctx, tx, userID)
		if err != nil || spend == 0 {
			return err
		}
		var answered, underWay, today int64
		if err := tx.QueryRowContext(ctx, `SELECT COALESCE(MAX(a.spend_posting_id), 0),
			COALESCE(SUM(CASE WHEN t.status IN ('pending', 'processing') THEN 1 ELSE 0 END), 0),
			COALESCE(SUM(CASE WHEN a.created_at >= $2 THEN 1 ELSE 0 END), 0)
			FROM auto_reload_attempts a JOIN topups t ON t.id = a.topup_id WHERE a.user_id = $1`, userID, db.Millis(day)).Scan(&answered, &underWay, &today); err != nil {
			return err
		}
		if spend <= answered || underWay > 0 || today >= int64(s.MaxPerDay) {
			return nil
		}
		t, err := s.Payments.NewCardTopUp(ctx, tx, userID, st.AmountCents)
		if err != nil {
			return err
		}
		var attempt int64
		if err := tx.QueryRowContext(ctx, `INSERT INTO auto_reload_attempts (user_id, topup_id, spend_posting_id, created_at) VALUES ($1, $2, $3, $4) RETURNING id`,
			userID, t.ID, spend, db.Millis(s.Clock.Now())).Scan(&attempt); err != nil {
			return err
		}
		made = true
		return s.Jobs.InsertTx(ctx, tx, ChargeArgs{AttemptID: attempt}, &river.InsertOpts{MaxAttempts: chargeAttempts})
	})
	if err != nil {
		return false, fmt.Errorf("autoreload: check user %d: %w", userID, err)
	}
	return made, nil
}

// mayReload reports whether the client's spending limits let a reload
// happen now: no cooling-off pause, and neither the daily nor the monthly
// cap reached.
func (s *Service) mayReload(ctx context.Context, u account.User) (bool, error) {
	st, err := s.Limits.Get(ctx, u.ID)
	if err != nil {
		return false, err
	}
	l := st.Current
	if l.Paused(s.Clock.Now()) {
		return false, nil
	}
	if l.Daily == nil && l.Monthly == nil {
		return true, nil
	}
	day, month, err := s.Limits.Spent(ctx, u.ID, u.Location())
	if err != nil {
		return false, err
	}
	return (l.Daily == nil || day < *l.Daily) && (l.Monthly == nil || month < *l.Monthly), nil
}

// lastSpend returns the id of the wallet's latest posting that spent
// money (limits.Spending), or 0.
func lastSpend(ctx context.Context, q db.Querier, userID int64) (int64, error) {
	args := []any{userID}
	marks := make([]string, len(limits.Spending))
	for i, t := range limits.Spending {
		args = append(args, string(t))
		marks[i] = "$" + strconv.Itoa(i+2)
	}
	var id int64
	err := q.QueryRowContext(ctx, `SELECT p.id FROM ledger_accounts a JOIN ledger_postings p ON p.account_id = a.id
		JOIN ledger_transfers t ON t.id = p.transfer_id
		WHERE a.kind = 'wallet' AND a.user_id = $1 AND p.amount < 0 AND t.type IN (`+strings.Join(marks, ", ")+`)
		ORDER BY p.id DESC LIMIT 1`, args...).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, nil
	}
	if err != nil {
		return 0, fmt.Errorf("autoreload: last spend: %w", err)
	}
	return id, nil
}

// ChargeArgs asks for a reload's card to be charged.
type ChargeArgs struct {
	AttemptID int64 `json:"attempt_id"`
}

// Kind names the job.
func (ChargeArgs) Kind() string { return "auto_reload_charge" }

// ChargeWorker runs Charge.
type ChargeWorker struct {
	river.WorkerDefaults[ChargeArgs]
	AutoReload *Service
}

// Work charges the reload.
func (w *ChargeWorker) Work(ctx context.Context, j *river.Job[ChargeArgs]) error {
	return w.AutoReload.Charge(ctx, j.Args.AttemptID)
}

// Charge charges the card for a reload, off-session, with the reload's
// own idempotency key, so a retried job charges at most once; the wallet
// is credited only when the payment provider says the charge succeeded
// (payment.Service.ChargeCard). A reload settled already is left alone; one
// whose auto-reload was turned off since is not charged.
func (s *Service) Charge(ctx context.Context, attemptID int64) error {
	var userID, topupID int64
	var enabled bool
	var card string
	err := s.DB.Read().QueryRowContext(ctx, `SELECT a.user_id, a.topup_id, r.enabled, r.payment_method_id
		FROM auto_reload_attempts a JOIN auto_reloads r ON r.user_id = a.user_id WHERE a.id = $1`, attemptID).Scan(&userID, &topupID, &enabled, &card)
	if errors.Is(err, sql.ErrNoRows) {
		return nil // the client's account is gone
	}
	if err != nil {
		return fmt.Errorf("autoreload: charge %d: %w", attemptID, err)
	}
	u := account.User{ID: userID}
	t, err := s.Payments.TopUp(ctx, u, topupID)
	if err != nil || t.Status != payment.TopUpPending {
		return err
	}
	if !enabled || card == "" {
		return s.Payments.AbandonCardTopUp(ctx, t.ID)
	}
	customer, err := s.Payments.Customer(ctx, u)
	if err != nil {
		return err
	}
	return s.Payments.ChargeCard(ctx, t, customer, card, "soulseer-autoreload-"+strconv.FormatInt(attemptID, 10))
}
