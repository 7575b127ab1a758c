package payout

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/soulseer/soulseer/internal/apperr"
	"github.com/soulseer/soulseer/internal/audit"
	"github.com/soulseer/soulseer/internal/db"
)

// MaxReasonLen bounds a hold's reason, in characters.
const MaxReasonLen = 500

// Hold is an admin's stop on a reader's payouts.
type Hold struct {
	UserID     int64
	ReaderName string
	Reason     string
	AdminID    int64
	CreatedAt  time.Time
}

func holdOf(ctx context.Context, q db.Querier, userID int64) (reason string, held bool, err error) {
	err = q.QueryRowContext(ctx, `SELECT reason FROM payout_holds WHERE user_id = $1`, userID).Scan(&reason)
	if errors.Is(err, sql.ErrNoRows) {
		return "", false, nil
	}
	if err != nil {
		return "", false, fmt.Errorf("payout: hold of %d: %w", userID, err)
	}
	return reason, true, nil
}

// HoldReason returns why the reader's payouts are held; held is false when
// they are not.
func (s *Service) HoldReason(ctx context.Context, userID int64) (reason string, held bool, err error) {
	return holdOf(ctx, s.DB.Read(), userID)
}

// Holds lists the held readers, newest hold first.
func (s *Service) Holds(ctx context.Context) ([]Hold, error) {
	rows, err := s.DB.Read().QueryContext(ctx, `SELECT h.user_id, u.display_name, h.reason, COALESCE(h.admin_id, 0), h.created_at
		FROM payout_holds h JOIN users u ON u.id = h.user_id ORDER BY h.created_at DESC, h.user_id`)
	if err != nil {
		return nil, fmt.Errorf("payout: holds: %w", err)
	}
	return db.Collect(rows, func(r db.Row) (Hold, error) {
		var h Hold
		var at int64
		err := r.Scan(&h.UserID, &h.ReaderName, &h.Reason, &h.AdminID, &at)
		h.CreatedAt = db.Time(at)
		return h, err
	})
}

// HoldPayouts stops paying a reader out until an admin releases them; the
// reason is required and audited (SEC-4). Holding a held reader changes
// nothing. A payout already pending is still sent.
func (s *Service) HoldPayouts(ctx context.Context, adminID, readerID int64, reason string) error {
	reason = strings.TrimSpace(reason)
	switch {
	case reason == "":
		return apperr.Validation(map[string]string{"reason": "Say why the payouts are held."})
	case utf8.RuneCountInString(reason) > MaxReasonLen || !utf8.ValidString(reason) || strings.ContainsRune(reason, 0):
		return apperr.Validation(map[string]string{"reason": fmt.Sprintf("At most %d characters of text.", MaxReasonLen)})
	}
	return s.DB.Tx(ctx, func(tx *db.Tx) error {
		if err := s.checkReader(ctx, tx, readerID); err != nil {
			return err
		}
		r, err := tx.ExecContext(ctx, `INSERT INTO payout_holds (user_id, reason, admin_id, created_at) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING`,
			readerID, reason, adminID, db.Millis(s.Clock.Now()))
		if err != nil {
			return fmt.Errorf("payout: hold: %w", err)
		}
		if n, _ := r.RowsAffected(); n == 0 {
			return nil
		}
		return audit.Record(ctx, tx, audit.Entry{ActorID: adminID, Action: "payout.hold", Model: "user", ObjectID: strconv.FormatInt(readerID, 10),
			Details: map[string]any{"reason": reason}, At: s.Clock.Now()})
	})
}

// ReleasePayouts lifts a reader's hold, audited; releasing a reader who is
// not held is NotFound.
func (s *Service) ReleasePayouts(ctx context.Context, adminID, readerID int64) error {
	return s.DB.Tx(ctx, func(tx *db.Tx) error {
		reason, held, err := holdOf(ctx, tx, readerID)
		if err != nil {
			return err
		}
		if !held {
			return apperr.Errorf(apperr.NotFound, "This reader's payouts are not held.")
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM payout_holds WHERE user_id = $1`, readerID); err != nil {
			return fmt.Errorf("payout: release: %w", err)
		}
		return audit.Record(ctx, tx, audit.Entry{ActorID: adminID, Action: "payout.release", Model: "user", ObjectID: strconv.FormatInt(readerID, 10),
			Details: map[string]any{"held_for": reason}, At: s.Clock.Now()})
	})
}

// checkReader makes sure readerID names a user with a payout account, or
// says NotFound.
func (s *Service) checkReader(ctx context.Context, q db.Querier, readerID int64) error {
	_, err := getAccount(ctx, q, "user_id = $1", "", readerID)
	if apperr.CodeOf(err) == apperr.NotFound {
		return apperr.Errorf(apperr.NotFound, "No reader with a payout account has that id.")
	}
	return err
}

// Retry pays a failed payout's amount out again as a new payout (its own
// id and idempotency key, so Stripe's answer to the failed one does not
// stand in), audited as a retry by the admin. Each failed payout is
// retried at most once; the usual checks of Pay apply.
func (s *Service) Retry(ctx context.Context, adminID, payoutID int64) (Payout, error) {
	old, err := s.Payout(ctx, payoutID)
	if err != nil {
		return Payout{}, err
	}
	if old.State != Failed {
		return Payout{}, apperr.Errorf(apperr.Conflict, "Only a failed payout can be retried.")
	}
	p, err := s.start(ctx, old.UserID, old.AmountCents, adminID, old.ID, s.MinCents)
	if err != nil {
		return Payout{}, err
	}
	return s.Send(ctx, p.ID)
}
