package autoreload

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/soulseer/soulseer/internal/db"
	"github.com/soulseer/soulseer/internal/ledger"
	"github.com/soulseer/soulseer/internal/notify"
	"github.com/soulseer/soulseer/internal/payment"
)

// Settled is payment.Service.CardSettled: in the transaction that settles
// a reload's top-up it tells the client of the reload, or — when the card
// was refused (declined, or its bank asking the holder to confirm) —
// switches auto-reload off with the reason, forgets the card and tells
// them why (WAL-12). Other top-ups are left alone.
func (s *Service) Settled(ctx context.Context, tx *db.Tx, t payment.TopUp, failure string) error {
	var threshold int64
	var last4 string
	err := tx.QueryRowContext(ctx, `SELECT r.threshold_cents, r.card_last4 FROM auto_reload_attempts a JOIN auto_reloads r ON r.user_id = a.user_id
		WHERE a.topup_id = $1`, t.ID).Scan(&threshold, &last4)
	if errors.Is(err, sql.ErrNoRows) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("autoreload: settled: %w", err)
	}
	if failure == "" {
		return s.Notify.Send(ctx, tx, notify.Notification{UserID: t.UserID, Kind: notify.KindAutoReload, URL: "/wallet",
			Title: "Your wallet was reloaded with " + ledger.FormatCents(t.CreditedCents),
			Body:  fmt.Sprintf("Your balance fell under %s, so %s was charged to your %s.", ledger.FormatCents(threshold), ledger.FormatCents(t.CreditedCents), cardName(last4))})
	}
	if _, err := tx.ExecContext(ctx, `UPDATE auto_reloads SET `+offColumns+`, off_reason = $1, updated_at = $2 WHERE user_id = $3`,
		failure, db.Millis(s.Clock.Now()), t.UserID); err != nil {
		return fmt.Errorf("autoreload: switch off: %w", err)
	}
	if err := s.audit(ctx, tx, 0, t.UserID, "auto_reload.switched_off", map[string]any{"topup": t.ID, "reason": failure}); err != nil {
		return err
	}
	return s.Notify.Send(ctx, tx, notify.Notification{UserID: t.UserID, Kind: notify.KindAutoReload, URL: "/wallet/auto-reload",
		Title: "Auto-reload is off: your card was refused",
		Body:  fmt.Sprintf("%s was not charged to your %s. %s Save a card to turn auto-reload back on.", ledger.FormatCents(t.AmountCents), cardName(last4), failure)})
}
