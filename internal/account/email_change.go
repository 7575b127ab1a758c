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

// EmailChangeTTL is how long the link that confirms a new email address
// works (ACC-9).
const EmailChangeTTL = 24 * time.Hour

// EmailChange is a change of address waiting for its link to be used.
type EmailChange struct {
	NewEmail  string
	ExpiresAt time.Time
}

// RequestEmailChange starts a change of the user's email address (ACC-9):
// the current password is required (when the account has one), the new
// address must be a valid one no other account uses, a link valid for
// EmailChangeTTL goes to the new address and the old address is told. The
// address changes only when the link is used; asking again replaces an
// earlier link.
func (s *Service) RequestEmailChange(ctx context.Context, userID int64, newEmail, password string) (EmailChange, error) {
	u, hash, err := s.userAndPassword(ctx, userID)
	if err != nil {
		return EmailChange{}, err
	}
	fields := map[string]string{}
	email, err := NormalizeEmail(newEmail)
	switch {
	case err != nil:
		fields["email"] = err.Error()
	case email == u.Email:
		fields["email"] = "This is already your email address."
	}
	if err := checkCurrentPassword(fields, hash, password); err != nil {
		return EmailChange{}, err
	}
	if err := apperr.Validation(fields); err != nil {
		return EmailChange{}, err
	}
	if _, err := s.GetByEmail(ctx, email); err == nil {
		return EmailChange{}, errEmailTaken
	} else if apperr.CodeOf(err) != apperr.NotFound {
		return EmailChange{}, err
	}
	token, tokenHash := newToken("")
	now := s.Clock.Now()
	ch := EmailChange{NewEmail: email, ExpiresAt: db.Time(db.Millis(now.Add(EmailChangeTTL)))}
	err = s.DB.Tx(ctx, func(tx *db.Tx) error {
		if _, err := tx.ExecContext(ctx, `DELETE FROM email_changes WHERE user_id = $1`, u.ID); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO email_changes (token_hash, user_id, new_email, created_at, expires_at) VALUES ($1, $2, $3, $4, $5)`,
			tokenHash, u.ID, email, db.Millis(now), db.Millis(ch.ExpiresAt)); err != nil {
			return err
		}
		if err := s.Mail.Send(ctx, tx, mail.Message{To: email, Subject: "Confirm your new SoulSeer email address",
			Body: fmt.Sprintf("Hello %s,\n\nYou asked to use this address for your SoulSeer account. Open this link within 24 hours to confirm it:\n\n%s\n\n"+
				"Until then your account keeps using %s. If you did not ask for this, ignore this email.\n\n— SoulSeer\n",
				u.DisplayName, s.BaseURL+"/account/email/confirm?token="+token, u.Email)}); err != nil {
			return err
		}
		return s.Mail.Send(ctx, tx, mail.Message{To: u.Email, Subject: "Your SoulSeer email address is about to change",
			Body: fmt.Sprintf("Hello %s,\n\nSomeone signed in to your SoulSeer account asked to change its email address to %s. "+
				"The change happens only when the link sent to that address is opened within 24 hours.\n\n"+
				"If it was not you, change your password and log out everywhere else at %s/account.\n\n— SoulSeer\n",
				u.DisplayName, email, s.BaseURL)})
	})
	if err != nil {
		return EmailChange{}, fmt.Errorf("account: email change: %w", err)
	}
	return ch, nil
}

// errEmailTaken refuses an address another account uses.
var errEmailTaken = &apperr.Error{Code: apperr.Conflict, Message: "Another account uses this email address.",
	Fields: map[string]string{"email": "Another account uses this email address."}}

// PendingEmailChange returns the user's change of address still waiting
// for its link, and whether there is one.
func (s *Service) PendingEmailChange(ctx context.Context, userID int64) (EmailChange, bool, error) {
	var ch EmailChange
	var exp int64
	err := s.DB.Read().QueryRowContext(ctx, `SELECT new_email, expires_at FROM email_changes
		WHERE user_id = $1 AND used_at IS NULL AND expires_at > $2`, userID, db.Millis(s.Clock.Now())).Scan(&ch.NewEmail, &exp)
	if errors.Is(err, sql.ErrNoRows) {
		return EmailChange{}, false, nil
	}
	if err != nil {
		return EmailChange{}, false, fmt.Errorf("account: pending email change: %w", err)
	}
	ch.ExpiresAt = db.Time(exp)
	return ch, true, nil
}

var errBadEmailLink = &apperr.Error{Code: apperr.Invalid, Message: "This link is invalid, used or expired. Ask for a new one in your account settings.",
	Fields: map[string]string{"token": "This link is invalid, used or expired."}}

// ConfirmEmailChange uses the link sent to a new address: the account's
// email becomes that address, once, while the link is valid and no other
// account has taken the address meanwhile (ACC-9). Unused password-reset
// links, which went to the old address, stop working.
func (s *Service) ConfirmEmailChange(ctx context.Context, token string) (User, error) {
	var u User
	err := s.DB.Tx(ctx, func(tx *db.Tx) error {
		now := db.Millis(s.Clock.Now())
		var userID int64
		var email string
		err := tx.QueryRowContext(ctx, `SELECT user_id, new_email FROM email_changes WHERE token_hash = $1 AND used_at IS NULL AND expires_at > $2`,
			hashToken(token), now).Scan(&userID, &email)
		if errors.Is(err, sql.ErrNoRows) {
			return errBadEmailLink
		}
		if err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, `UPDATE users SET email = $1, updated_at = $2 WHERE id = $3`, email, now, userID)
		if s.DB.IsUniqueViolation(err) {
			return errEmailTaken
		}
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE email_changes SET used_at = $1 WHERE token_hash = $2`, now, hashToken(token)); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE password_resets SET used_at = $1 WHERE user_id = $2 AND used_at IS NULL`, now, userID); err != nil {
			return err
		}
		u, err = getUser(ctx, tx, "id = $1", userID)
		return err
	})
	if err != nil && apperr.As(err) == nil {
		err = fmt.Errorf("account: confirm email change: %w", err)
	}
	return u, err
}
