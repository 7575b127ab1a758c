package account

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/soulseer/soulseer/internal/apperr"
	"github.com/soulseer/soulseer/internal/db"
	"github.com/soulseer/soulseer/internal/mail"
)

// DeletionTTL is how long the emailed link that confirms deleting an
// account works (SEC-2).
const DeletionTTL = 24 * time.Hour

// DeletedName is what others see in place of the name of a deleted
// account (SEC-2).
const DeletedName = "Deleted user"

// RequestDeletion starts deleting the user's account (SEC-2): their
// current password (when the account has one) and, with two-factor
// sign-in, a code from their app or a recovery code are required; then a
// link valid for DeletionTTL goes to their address, and only that link
// deletes. Asking again replaces an earlier link. It returns when the link
// expires.
func (s *Service) RequestDeletion(ctx context.Context, userID int64, password, code string) (time.Time, error) {
	u, hash, err := s.userAndPassword(ctx, userID)
	if err != nil {
		return time.Time{}, err
	}
	fields := map[string]string{}
	if err := checkCurrentPassword(fields, hash, password); err != nil {
		return time.Time{}, err
	}
	if err := apperr.Validation(fields); err != nil {
		return time.Time{}, err
	}
	token, tokenHash := newToken("")
	now := s.Clock.Now()
	expires := db.Time(db.Millis(now.Add(DeletionTTL)))
	err = s.DB.Tx(ctx, func(tx *db.Tx) error {
		if u.TwoFactor {
			if err := s.verifyTwoFactor(ctx, tx, u.ID, code); err != nil {
				return err
			}
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM account_deletions WHERE user_id = $1`, u.ID); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO account_deletions (token_hash, user_id, created_at, expires_at) VALUES ($1, $2, $3, $4)`,
			tokenHash, u.ID, db.Millis(now), db.Millis(expires)); err != nil {
			return err
		}
		return s.Mail.Send(ctx, tx, mail.Message{To: u.Email, Subject: "Confirm deleting your SoulSeer account",
			Body: fmt.Sprintf("Hello %s,\n\nYou asked to delete your SoulSeer account. Open this link within 24 hours to confirm; "+
				"the page it opens asks once more before anything is deleted:\n\n%s\n\n"+
				"If you did not ask for this, ignore this email and change your password at %s/account.\n\n— SoulSeer\n",
				u.DisplayName, s.BaseURL+"/accounts/delete-account/confirm?token="+token, s.BaseURL)})
	})
	if err != nil && apperr.As(err) == nil {
		err = fmt.Errorf("account: request deletion: %w", err)
	}
	return expires, err
}

// PendingDeletion returns when the user's unused deletion link expires,
// and whether there is one.
func (s *Service) PendingDeletion(ctx context.Context, userID int64) (time.Time, bool, error) {
	var exp int64
	err := s.DB.Read().QueryRowContext(ctx, `SELECT expires_at FROM account_deletions WHERE user_id = $1 AND expires_at > $2`,
		userID, db.Millis(s.Clock.Now())).Scan(&exp)
	if errors.Is(err, sql.ErrNoRows) {
		return time.Time{}, false, nil
	}
	if err != nil {
		return time.Time{}, false, fmt.Errorf("account: pending deletion: %w", err)
	}
	return db.Time(exp), true, nil
}

var errBadDeletionLink = &apperr.Error{Code: apperr.Invalid, Message: "This link is invalid, used or expired. Ask for a new one on the Delete account page.",
	Fields: map[string]string{"token": "This link is invalid, used or expired."}}

// UserToDelete returns the account a deletion link (RequestDeletion)
// deletes, while the link is valid; an invalid, used or expired link is
// Invalid.
func (s *Service) UserToDelete(ctx context.Context, q db.Querier, token string) (User, error) {
	var userID int64
	err := q.QueryRowContext(ctx, `SELECT user_id FROM account_deletions WHERE token_hash = $1 AND expires_at > $2`,
		hashToken(token), db.Millis(s.Clock.Now())).Scan(&userID)
	if errors.Is(err, sql.ErrNoRows) {
		return User{}, errBadDeletionLink
	}
	if err != nil {
		return User{}, fmt.Errorf("account: deletion link: %w", err)
	}
	return getUser(ctx, q, "id = $1", userID)
}

// Tombstone is the address a deleted account keeps, unique and
// undeliverable, so that its own address can sign up again (SEC-2).
func Tombstone(userID int64) string { return fmt.Sprintf("deleted-%d@deleted.invalid", userID) }
