package account

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/soulseer/soulseer/internal/apperr"
	"github.com/soulseer/soulseer/internal/db"
)

// SettingsInput changes a user's own settings (ACC-9); nil fields keep
// their value.
type SettingsInput struct {
	DisplayName *string
	TimeZone    *string // an IANA name
}

// UpdateSettings changes the user's display name and time zone, each
// checked as at sign-up.
func (s *Service) UpdateSettings(ctx context.Context, userID int64, in SettingsInput) (User, error) {
	fields := map[string]string{}
	if in.DisplayName != nil {
		name, err := NormalizeDisplayName(*in.DisplayName)
		if err != nil {
			fields["display_name"] = err.Error()
		}
		in.DisplayName = &name
	}
	if in.TimeZone != nil {
		tz, err := ParseTimeZone(*in.TimeZone)
		if err != nil {
			fields["time_zone"] = err.Error()
		}
		in.TimeZone = &tz
	}
	if err := apperr.Validation(fields); err != nil {
		return User{}, err
	}
	var u User
	err := s.DB.Tx(ctx, func(tx *db.Tx) error {
		var err error
		if u, err = getUser(ctx, tx, "id = $1", userID); err != nil {
			return err
		}
		if in.DisplayName != nil {
			u.DisplayName = *in.DisplayName
		}
		if in.TimeZone != nil {
			u.TimeZone = *in.TimeZone
		}
		_, err = tx.ExecContext(ctx, `UPDATE users SET display_name = $1, time_zone = $2, updated_at = $3 WHERE id = $4`,
			u.DisplayName, u.TimeZone, db.Millis(s.Clock.Now()), userID)
		return err
	})
	if err != nil && apperr.As(err) == nil {
		err = fmt.Errorf("account: settings: %w", err)
	}
	return u, err
}

// PasswordChange is a user's change of their own password.
type PasswordChange struct {
	Current string // required when the account has a password
	New     string
}

// ChangePassword sets a new password under the password policy, after the
// current one is given (an account that signs in only through OpenID
// Connect sets its first password without one). Every other session of the
// user ends, and unused password-reset links stop working; the session
// whose token is keep ("" from an API token) stays signed in, and API
// tokens keep working (ACC-9).
func (s *Service) ChangePassword(ctx context.Context, userID int64, in PasswordChange, keep string) error {
	u, hash, err := s.userAndPassword(ctx, userID)
	if err != nil {
		return err
	}
	fields := map[string]string{}
	if err := checkCurrentPassword(fields, hash, in.Current); err != nil {
		return err
	}
	if err := CheckPasswordPolicy(in.New, u.Email, u.DisplayName); err != nil {
		fields["new_password"] = err.Error()
	}
	if err := apperr.Validation(fields); err != nil {
		return err
	}
	newHash, err := HashPassword(in.New)
	if err != nil {
		return fmt.Errorf("account: change password: %w", err)
	}
	return s.DB.Tx(ctx, func(tx *db.Tx) error {
		now := db.Millis(s.Clock.Now())
		if _, err := tx.ExecContext(ctx, `UPDATE users SET password_hash = $1, updated_at = $2 WHERE id = $3`, newHash, now, userID); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE password_resets SET used_at = $1 WHERE user_id = $2 AND used_at IS NULL`, now, userID); err != nil {
			return err
		}
		_, err := endOtherSessions(ctx, tx, userID, keep)
		return err
	})
}

// userAndPassword returns a user and their password hash, NULL for an
// account that signs in only through OpenID Connect.
func (s *Service) userAndPassword(ctx context.Context, userID int64) (User, sql.NullString, error) {
	var hash sql.NullString
	u, err := scanUser(s.DB.Read().QueryRowContext(ctx, `SELECT `+userColumns+`, password_hash FROM users WHERE id = $1`, userID), &hash)
	if errors.Is(err, sql.ErrNoRows) {
		return User{}, hash, apperr.Errorf(apperr.NotFound, "No such user.")
	}
	if err != nil {
		return User{}, hash, fmt.Errorf("account: get user: %w", err)
	}
	return u, hash, nil
}

// checkCurrentPassword puts a current_password error in fields unless
// given is the account's password; an account without one needs none.
// Changing the password or the email address asks for it, so a session
// left open on a shared computer cannot take the account over.
func checkCurrentPassword(fields map[string]string, hash sql.NullString, given string) error {
	if !hash.Valid {
		return nil
	}
	ok := false
	if len(given) <= MaxPasswordLen {
		var err error
		if ok, err = CheckPassword(hash.String, given); err != nil {
			return fmt.Errorf("account: check password: %w", err)
		}
	}
	if !ok {
		fields["current_password"] = "This is not your current password."
	}
	return nil
}
