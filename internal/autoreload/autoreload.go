// Package autoreload keeps clients' wallets topped up by themselves
// (WAL-12): a client chooses a threshold and an amount and saves a card;
// when a spend leaves the wallet under the threshold, the amount is charged
// to the card while they are away and credited to the wallet once the
// payment provider says it was paid — at most MaxPerDay times a day, never
// during a cooling-off pause or past a daily or monthly cap (WAL-11). Each
// reload tells the client; a refused card switches auto-reload off, with
// the reason, and tells them too.
package autoreload

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"strconv"
	"sync"

	"github.com/soulseer/soulseer/internal/account"
	"github.com/soulseer/soulseer/internal/apperr"
	"github.com/soulseer/soulseer/internal/audit"
	"github.com/soulseer/soulseer/internal/clock"
	"github.com/soulseer/soulseer/internal/db"
	"github.com/soulseer/soulseer/internal/job"
	"github.com/soulseer/soulseer/internal/ledger"
	"github.com/soulseer/soulseer/internal/limits"
	"github.com/soulseer/soulseer/internal/notify"
	"github.com/soulseer/soulseer/internal/payment"
)

// Service keeps auto-reload settings and makes the reloads.
type Service struct {
	DB       *db.DB
	Clock    clock.Clock
	Ledger   *ledger.Ledger
	Payments *payment.Service
	Limits   *limits.Service
	Notify   *notify.Service
	Jobs     *job.Queue
	Log      *slog.Logger
	// MaxPerDay bounds the reloads of one client per day of their time
	// zone.
	MaxPerDay int

	mu   sync.Mutex
	seen map[int64]bool // wallets whose balance changed since Watch last looked
}

// The states of a client's auto-reload.
const (
	StatusOff       = "off"        // off, never on or turned off (OffReason says when a refused card did it)
	StatusNeedsCard = "needs_card" // asked for, waiting for a card to be saved
	StatusOn        = "on"         // on with a saved card
)

// Settings are a client's auto-reload: the threshold and amount they
// chose, the card saved for it, and why a refused card switched it off.
type Settings struct {
	Enabled        bool
	ThresholdCents int64
	AmountCents    int64
	Card           payment.Card // PaymentMethodID "": none saved
	// SavingCard says a card-saving page was completed and its card is
	// being fetched from the payment provider.
	SavingCard bool
	OffReason  string
}

// Status is the state of the settings.
func (s Settings) Status() string {
	switch {
	case !s.Enabled:
		return StatusOff
	case s.Card.PaymentMethodID == "":
		return StatusNeedsCard
	}
	return StatusOn
}

const columns = `enabled, threshold_cents, amount_cents, payment_method_id, card_brand, card_last4, setup_intent_id IS NOT NULL, off_reason`

// load reads the user's settings through q, the query ending in tail (a
// row lock); sql.ErrNoRows when they never set any.
func load(ctx context.Context, q db.Querier, userID int64, tail string) (Settings, error) {
	var s Settings
	err := q.QueryRowContext(ctx, `SELECT `+columns+` FROM auto_reloads WHERE user_id = $1`+tail, userID).Scan(
		&s.Enabled, &s.ThresholdCents, &s.AmountCents, &s.Card.PaymentMethodID, &s.Card.Brand, &s.Card.Last4, &s.SavingCard, &s.OffReason)
	return s, err
}

// Get returns the user's auto-reload; a user who never set one has it off.
func (s *Service) Get(ctx context.Context, userID int64) (Settings, error) {
	st, err := load(ctx, s.DB.Read(), userID, "")
	if errors.Is(err, sql.ErrNoRows) {
		return Settings{}, nil
	}
	if err != nil {
		return Settings{}, fmt.Errorf("autoreload: get: %w", err)
	}
	return st, nil
}

// ReloadsToday counts the user's reloads since midnight in their time
// zone, as MaxPerDay counts them.
func (s *Service) ReloadsToday(ctx context.Context, u account.User) (int, error) {
	day, _ := limits.Window(s.Clock.Now(), u.Location())
	var n int
	err := s.DB.Read().QueryRowContext(ctx, `SELECT COUNT(*) FROM auto_reload_attempts WHERE user_id = $1 AND created_at >= $2`,
		u.ID, db.Millis(day)).Scan(&n)
	if err != nil {
		return 0, fmt.Errorf("autoreload: reloads today: %w", err)
	}
	return n, nil
}

// Set turns the user's auto-reload on with a threshold (a balance from
// 1 cent to the largest top-up) and an amount (within the top-up limits),
// keeping the card saved for it. Without a card it also opens a page to
// save one and returns its address: the browser comes back to returnPath.
func (s *Service) Set(ctx context.Context, u account.User, threshold, amount int64, returnPath string) (Settings, string, error) {
	fields := map[string]string{}
	if threshold < 1 || threshold > s.Payments.MaxTopUp {
		fields["threshold_cents"] = fmt.Sprintf("Enter a balance from $0.01 to %s.", ledger.FormatCents(s.Payments.MaxTopUp))
	}
	if amount < s.Payments.MinTopUp || amount > s.Payments.MaxTopUp {
		fields["amount_cents"] = fmt.Sprintf("Reload between %s and %s.", ledger.FormatCents(s.Payments.MinTopUp), ledger.FormatCents(s.Payments.MaxTopUp))
	}
	if err := apperr.Validation(fields); err != nil {
		return Settings{}, "", err
	}
	var st Settings
	err := s.DB.Tx(ctx, func(tx *db.Tx) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO auto_reloads (user_id, enabled, threshold_cents, amount_cents, updated_at) VALUES ($1, TRUE, $2, $3, $4)
			ON CONFLICT (user_id) DO UPDATE SET enabled = TRUE, threshold_cents = excluded.threshold_cents, amount_cents = excluded.amount_cents,
			off_reason = '', updated_at = excluded.updated_at`, u.ID, threshold, amount, db.Millis(s.Clock.Now()))
		if err != nil {
			return err
		}
		if st, err = load(ctx, tx, u.ID, ""); err != nil {
			return err
		}
		return s.audit(ctx, tx, u.ID, u.ID, "auto_reload.set", map[string]any{"threshold_cents": threshold, "amount_cents": amount})
	})
	// A card on its way (its page completed, its details being
	// fetched) needs no new page.
	if err != nil || st.Status() == StatusOn || st.SavingCard {
		return st, "", err
	}
	co, err := s.Payments.StartCardSetup(ctx, u, returnPath)
	if err != nil {
		return st, "", err
	}
	err = s.DB.Tx(ctx, func(tx *db.Tx) error {
		_, err := tx.ExecContext(ctx, `UPDATE auto_reloads SET setup_session_id = $1, setup_intent_id = NULL WHERE user_id = $2`, co.SessionID, u.ID)
		return err
	})
	if err != nil {
		return st, "", fmt.Errorf("autoreload: keep card page: %w", err)
	}
	return st, co.URL, nil
}

// TurnOff switches the user's auto-reload off and forgets its card: no
// reload is charged from then on, not even one decided a moment before
// whose charge has not reached the payment provider yet.
func (s *Service) TurnOff(ctx context.Context, userID int64) (Settings, error) {
	var st Settings
	err := s.DB.Tx(ctx, func(tx *db.Tx) error {
		r, err := tx.ExecContext(ctx, `UPDATE auto_reloads SET `+offColumns+`, off_reason = '', updated_at = $1 WHERE user_id = $2`,
			db.Millis(s.Clock.Now()), userID)
		if err != nil {
			return err
		}
		if n, _ := r.RowsAffected(); n == 0 {
			return nil
		}
		if st, err = load(ctx, tx, userID, ""); err != nil {
			return err
		}
		return s.audit(ctx, tx, userID, userID, "auto_reload.off", nil)
	})
	if err != nil {
		return Settings{}, fmt.Errorf("autoreload: turn off: %w", err)
	}
	return st, nil
}

// offColumns switch auto-reload off and forget its card and card page.
const offColumns = `enabled = FALSE, payment_method_id = '', card_brand = '', card_last4 = '', setup_session_id = NULL, setup_intent_id = NULL`

// audit records a change to the user's auto-reload by actor (0:
// SoulSeer itself).
func (s *Service) audit(ctx context.Context, tx *db.Tx, actor, userID int64, action string, details map[string]any) error {
	return audit.Record(ctx, tx, audit.Entry{ActorID: actor, Action: action, Model: "user", ObjectID: strconv.FormatInt(userID, 10),
		Details: details, At: s.Clock.Now()})
}

// cardName is how a notification names a saved card: "card •••• 4242".
func cardName(last4 string) string {
	if last4 == "" {
		return "your saved card"
	}
	return "card •••• " + last4
}
