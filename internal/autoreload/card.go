package autoreload

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/riverqueue/river"

	"github.com/soulseer/soulseer/internal/apperr"
	"github.com/soulseer/soulseer/internal/db"
	"github.com/soulseer/soulseer/internal/ledger"
	"github.com/soulseer/soulseer/internal/notify"
	"github.com/soulseer/soulseer/internal/payment"
)

// CardSetUp is payment.Service.CardSetUp: a completed card-saving page of
// a client's auto-reload (the one opened last) has its card fetched from
// the payment provider by a job enqueued in the event's transaction, which
// then saves it and switches auto-reload on (see SaveCard).
func (s *Service) CardSetUp(ctx context.Context, tx *db.Tx, c payment.CardSetup) (string, error) {
	var userID int64
	err := tx.QueryRowContext(ctx, `UPDATE auto_reloads SET setup_intent_id = $1 WHERE setup_session_id = $2 RETURNING user_id`,
		c.SetupIntentID, c.SessionID).Scan(&userID)
	if errors.Is(err, sql.ErrNoRows) {
		return "", apperr.Errorf(apperr.NotFound, "no auto-reload waits for card-saving page %s", c.SessionID)
	}
	if err != nil {
		return "", fmt.Errorf("autoreload: card set up: %w", err)
	}
	if err := s.Jobs.InsertTx(ctx, tx, SaveCardArgs{UserID: userID, SetupIntentID: c.SetupIntentID}, nil); err != nil {
		return "", err
	}
	return fmt.Sprintf("card saved for user %d's auto-reload", userID), nil
}

// SaveCardArgs asks for the card a completed card-saving page saved.
type SaveCardArgs struct {
	UserID        int64  `json:"user_id"`
	SetupIntentID string `json:"setup_intent_id"`
}

// Kind names the job.
func (SaveCardArgs) Kind() string { return "auto_reload_save_card" }

// SaveCardWorker runs SaveCard.
type SaveCardWorker struct {
	river.WorkerDefaults[SaveCardArgs]
	AutoReload *Service
}

// Work saves the card.
func (w *SaveCardWorker) Work(ctx context.Context, j *river.Job[SaveCardArgs]) error {
	return w.AutoReload.SaveCard(ctx, j.Args.UserID, j.Args.SetupIntentID)
}

// SaveCard fetches the card a SetupIntent saved and keeps it for the
// user's auto-reload, which is on from then (the client is told) — unless
// they turned it off or opened another card page since.
func (s *Service) SaveCard(ctx context.Context, userID int64, setupIntentID string) error {
	card, err := s.Payments.Gateway.SetupCard(ctx, setupIntentID)
	if err != nil {
		return err
	}
	return s.DB.Tx(ctx, func(tx *db.Tx) error {
		var threshold, amount int64
		err := tx.QueryRowContext(ctx, `UPDATE auto_reloads SET payment_method_id = $1, card_brand = $2, card_last4 = $3,
			setup_session_id = NULL, setup_intent_id = NULL, off_reason = '', updated_at = $4
			WHERE user_id = $5 AND setup_intent_id = $6 AND enabled RETURNING threshold_cents, amount_cents`,
			card.PaymentMethodID, card.Brand, card.Last4, db.Millis(s.Clock.Now()), userID, setupIntentID).Scan(&threshold, &amount)
		if errors.Is(err, sql.ErrNoRows) {
			return nil
		}
		if err != nil {
			return fmt.Errorf("autoreload: save card: %w", err)
		}
		return s.Notify.Send(ctx, tx, notify.Notification{UserID: userID, Kind: notify.KindAutoReload, URL: "/wallet/auto-reload",
			Title: "Auto-reload is on",
			Body:  fmt.Sprintf("When a payment leaves your wallet under %s, %s is charged to your %s.", ledger.FormatCents(threshold), ledger.FormatCents(amount), cardName(card.Last4))})
	})
}
