package account

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/soulseer/soulseer/internal/apperr"
	"github.com/soulseer/soulseer/internal/db"
)

// ChallengeTTL is how long a sign-in that passed its password waits for
// the two-factor code before it has to start again.
const ChallengeTTL = 10 * time.Minute

// RememberDeviceFor is how long a browser the user chose to remember signs
// in without the code (ACC-7).
const RememberDeviceFor = 30 * 24 * time.Hour

// errChallengeGone means the sign-in waiting for its code is unknown or
// expired.
var errChallengeGone = apperr.Errorf(apperr.Unauthorized, "Your sign-in took too long. Please log in again.")

// StartChallenge records that a user of two-factor sign-in passed their
// password or provider and must now give a code; the returned token goes
// into the browser's cookie, next is where the sign-in goes afterwards.
func (s *Service) StartChallenge(ctx context.Context, userID int64, next string) (string, error) {
	token, hash := newToken("")
	now := s.Clock.Now()
	err := s.DB.Tx(ctx, func(tx *db.Tx) error {
		if _, err := tx.ExecContext(ctx, `DELETE FROM two_factor_challenges WHERE user_id = $1 AND expires_at <= $2`, userID, db.Millis(now)); err != nil {
			return err
		}
		_, err := tx.ExecContext(ctx, `INSERT INTO two_factor_challenges (token_hash, user_id, next, expires_at) VALUES ($1, $2, $3, $4)`,
			hash, userID, next, db.Millis(now.Add(ChallengeTTL)))
		return err
	})
	if err != nil {
		return "", fmt.Errorf("account: start challenge: %w", err)
	}
	return token, nil
}

// Challenge returns the user of a sign-in waiting for its code, and where
// it goes afterwards.
func (s *Service) Challenge(ctx context.Context, token string) (User, string, error) {
	var next string
	u, err := scanUser(s.DB.Read().QueryRowContext(ctx, `SELECT `+qualifiedUserColumns+`, c.next
		FROM two_factor_challenges c JOIN users u ON u.id = c.user_id WHERE c.token_hash = $1 AND c.expires_at > $2`,
		hashToken(token), db.Millis(s.Clock.Now())), &next)
	if errors.Is(err, sql.ErrNoRows) {
		return User{}, "", errChallengeGone
	}
	if err != nil {
		return User{}, "", fmt.Errorf("account: challenge: %w", err)
	}
	return u, next, nil
}

// FinishChallenge completes a sign-in with its code: the code is checked
// as VerifyTwoFactor does, the challenge ends, and the user is returned
// unless suspended meanwhile.
func (s *Service) FinishChallenge(ctx context.Context, token, code string) (User, error) {
	u, _, err := s.Challenge(ctx, token)
	if err != nil {
		return User{}, err
	}
	err = s.DB.Tx(ctx, func(tx *db.Tx) error {
		if err := s.verifyTwoFactor(ctx, tx, u.ID, code); err != nil {
			return err
		}
		res, err := tx.ExecContext(ctx, `DELETE FROM two_factor_challenges WHERE token_hash = $1`, hashToken(token))
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return errChallengeGone
		}
		return s.checkSuspended(ctx, tx, u.ID)
	})
	if err != nil {
		return User{}, err
	}
	return u, nil
}

// RememberDevice issues the token of a browser that skips the code for
// RememberDeviceFor.
func (s *Service) RememberDevice(ctx context.Context, userID int64) (string, time.Time, error) {
	token, hash := newToken("")
	exp := s.Clock.Now().Add(RememberDeviceFor)
	err := s.DB.Tx(ctx, func(tx *db.Tx) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO two_factor_devices (token_hash, user_id, expires_at) VALUES ($1, $2, $3)`, hash, userID, db.Millis(exp))
		return err
	})
	if err != nil {
		return "", time.Time{}, fmt.Errorf("account: remember device: %w", err)
	}
	return token, exp, nil
}

// DeviceRemembered reports whether token is a browser the user chose to
// remember, not yet expired.
func (s *Service) DeviceRemembered(ctx context.Context, userID int64, token string) (bool, error) {
	if token == "" {
		return false, nil
	}
	var n int
	err := s.DB.Read().QueryRowContext(ctx, `SELECT COUNT(*) FROM two_factor_devices WHERE token_hash = $1 AND user_id = $2 AND expires_at > $3`,
		hashToken(token), userID, db.Millis(s.Clock.Now())).Scan(&n)
	if err != nil {
		return false, fmt.Errorf("account: remembered device: %w", err)
	}
	return n > 0, nil
}
