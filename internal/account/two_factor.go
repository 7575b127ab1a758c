package account

import (
	"context"
	"crypto/rand"
	"crypto/subtle"
	"database/sql"
	"encoding/base32"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"time"

	"github.com/pquerna/otp"
	"github.com/pquerna/otp/totp"

	"github.com/soulseer/soulseer/internal/apperr"
	"github.com/soulseer/soulseer/internal/audit"
	"github.com/soulseer/soulseer/internal/db"
)

// TwoFactorIssuer names SoulSeer in authenticator apps.
const TwoFactorIssuer = "SoulSeer"

// TOTP parameters (RFC 6238): six digits from HMAC-SHA1 over 30-second
// steps, and one step of clock drift accepted either way, which is what
// every authenticator app uses.
const (
	totpPeriod = 30
	totpSkew   = 1
)

var totpOptions = totp.ValidateOpts{Period: totpPeriod, Digits: otp.DigitsSix, Algorithm: otp.AlgorithmSHA1}

// RecoveryCodeCount is how many one-time recovery codes a user holds.
const RecoveryCodeCount = 10

// TwoFactorEnrolment is a secret waiting for its first code: the page shows
// it as a QR code of URL and as text to type.
type TwoFactorEnrolment struct {
	Secret string // base32, as authenticator apps take it
	URL    string // otpauth://totp/…
}

// TOTPCode returns the six-digit code of secret at t (RFC 6238).
func TOTPCode(secret string, t time.Time) (string, error) {
	return totp.GenerateCodeCustom(secret, t, totpOptions)
}

// totpStep is the 30-second step t falls in.
func totpStep(t time.Time) int64 { return t.Unix() / totpPeriod }

// enrolmentURL is the otpauth URL authenticator apps read from the QR code.
func enrolmentURL(email, secret string) string {
	q := url.Values{"secret": {secret}, "issuer": {TwoFactorIssuer}, "algorithm": {"SHA1"}, "digits": {"6"}, "period": {"30"}}
	return (&url.URL{Scheme: "otpauth", Host: "totp", Path: "/" + TwoFactorIssuer + ":" + email, RawQuery: q.Encode()}).String()
}

var errTwoFactorOn = apperr.Errorf(apperr.Conflict, "Two-factor sign-in is already on.")

// BeginTwoFactor gives the user a new secret to add to an authenticator
// app (ACC-7). Two-factor sign-in stays off until ConfirmTwoFactor sees a
// code from it; beginning again replaces an unconfirmed secret.
func (s *Service) BeginTwoFactor(ctx context.Context, u User) (TwoFactorEnrolment, error) {
	b := make([]byte, 20)
	_, _ = rand.Read(b)
	return s.EnrolTwoFactorSecret(ctx, u, base32.StdEncoding.WithPadding(base32.NoPadding).EncodeToString(b))
}

// EnrolTwoFactorSecret is BeginTwoFactor with a secret the caller chose:
// the demo's admin, whose secret is printed for a newcomer to add.
func (s *Service) EnrolTwoFactorSecret(ctx context.Context, u User, secret string) (TwoFactorEnrolment, error) {
	if _, err := TOTPCode(secret, s.Clock.Now()); err != nil {
		return TwoFactorEnrolment{}, fmt.Errorf("account: two-factor secret: %w", err)
	}
	err := s.DB.Tx(ctx, func(tx *db.Tx) error {
		res, err := tx.ExecContext(ctx, `INSERT INTO two_factor (user_id, secret, created_at) VALUES ($1, $2, $3)
			ON CONFLICT (user_id) DO UPDATE SET secret = excluded.secret, created_at = excluded.created_at, last_step = 0
			WHERE two_factor.confirmed_at IS NULL`, u.ID, secret, db.Millis(s.Clock.Now()))
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return errTwoFactorOn
		}
		return nil
	})
	if err != nil {
		return TwoFactorEnrolment{}, err
	}
	return TwoFactorEnrolment{Secret: secret, URL: enrolmentURL(u.Email, secret)}, nil
}

// PendingTwoFactor returns the enrolment waiting for its first code, if
// the user began one.
func (s *Service) PendingTwoFactor(ctx context.Context, u User) (TwoFactorEnrolment, bool, error) {
	var secret string
	err := s.DB.Read().QueryRowContext(ctx, `SELECT secret FROM two_factor WHERE user_id = $1 AND confirmed_at IS NULL`, u.ID).Scan(&secret)
	if errors.Is(err, sql.ErrNoRows) {
		return TwoFactorEnrolment{}, false, nil
	}
	if err != nil {
		return TwoFactorEnrolment{}, false, fmt.Errorf("account: pending two-factor: %w", err)
	}
	return TwoFactorEnrolment{Secret: secret, URL: enrolmentURL(u.Email, secret)}, true, nil
}

// codeError is a refused code, told beside the code field.
func codeError(msg string) error {
	return &apperr.Error{Code: apperr.Unauthorized, Message: msg, Fields: map[string]string{"code": msg}}
}

// ConfirmTwoFactor turns two-factor sign-in on once code comes from the
// secret BeginTwoFactor gave, and returns the user's ten recovery codes,
// shown this once (ACC-7).
func (s *Service) ConfirmTwoFactor(ctx context.Context, u User, code string) ([]string, error) {
	var codes []string
	err := s.DB.Tx(ctx, func(tx *db.Tx) error {
		var secret string
		var confirmed sql.NullInt64
		err := tx.QueryRowContext(ctx, `SELECT secret, confirmed_at FROM two_factor WHERE user_id = $1`, u.ID).Scan(&secret, &confirmed)
		if errors.Is(err, sql.ErrNoRows) {
			return apperr.Errorf(apperr.Conflict, "Start setting up two-factor sign-in first.")
		}
		if err != nil {
			return err
		}
		if confirmed.Valid {
			return errTwoFactorOn
		}
		now := s.Clock.Now()
		step, ok := matchTOTP(secret, normalizeCode(code), now)
		if !ok {
			return codeError("That code is not right. Enter the six digits your app shows now.")
		}
		if _, err := tx.ExecContext(ctx, `UPDATE two_factor SET confirmed_at = $1, last_step = $2 WHERE user_id = $3`, db.Millis(now), step, u.ID); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE users SET two_factor_at = $1 WHERE id = $2`, db.Millis(now), u.ID); err != nil {
			return err
		}
		if codes, err = replaceRecoveryCodes(ctx, tx, u.ID); err != nil {
			return err
		}
		return audit.Record(ctx, tx, audit.Entry{ActorID: u.ID, Action: "user.two_factor_on", Model: "user", ObjectID: fmt.Sprint(u.ID)})
	})
	return codes, err
}

// normalizeCode drops the spaces and dashes people type into codes.
func normalizeCode(code string) string {
	return strings.ToLower(strings.NewReplacer(" ", "", "-", "").Replace(strings.TrimSpace(code)))
}

// matchTOTP returns the step whose code is code, within one step of now.
func matchTOTP(secret, code string, now time.Time) (int64, bool) {
	if len(code) != 6 {
		return 0, false
	}
	for _, d := range []int64{0, -1, 1} {
		want, err := TOTPCode(secret, now.Add(time.Duration(d*totpPeriod)*time.Second))
		if err == nil && subtle.ConstantTimeCompare([]byte(want), []byte(code)) == 1 {
			return totpStep(now) + d, true
		}
	}
	return 0, false
}

// VerifyTwoFactor checks a code of a user with two-factor sign-in: six
// digits from their app, each accepted once (a code of a step already used,
// or an earlier one, is refused), or one of their unused recovery codes,
// which is then spent (ACC-7).
func (s *Service) VerifyTwoFactor(ctx context.Context, userID int64, code string) error {
	return s.DB.Tx(ctx, func(tx *db.Tx) error { return s.verifyTwoFactor(ctx, tx, userID, code) })
}

func (s *Service) verifyTwoFactor(ctx context.Context, tx *db.Tx, userID int64, code string) error {
	code = normalizeCode(code)
	if code == "" {
		return codeError("Enter the code from your authenticator app or a recovery code.")
	}
	var secret string
	var last int64
	err := tx.QueryRowContext(ctx, `SELECT secret, last_step FROM two_factor WHERE user_id = $1 AND confirmed_at IS NOT NULL`, userID).Scan(&secret, &last)
	if errors.Is(err, sql.ErrNoRows) {
		return apperr.Errorf(apperr.Conflict, "Two-factor sign-in is off for this account.")
	}
	if err != nil {
		return fmt.Errorf("account: two-factor: %w", err)
	}
	if len(code) == 6 {
		step, ok := matchTOTP(secret, code, s.Clock.Now())
		if !ok {
			return codeError("That code is not right. Enter the six digits your app shows now.")
		}
		res, err := tx.ExecContext(ctx, `UPDATE two_factor SET last_step = $1 WHERE user_id = $2 AND last_step < $1`, step, userID)
		if err != nil {
			return fmt.Errorf("account: two-factor step: %w", err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return codeError("That code was used already. Wait for your app to show the next one.")
		}
		return nil
	}
	res, err := tx.ExecContext(ctx, `UPDATE two_factor_recovery_codes SET used_at = $1 WHERE user_id = $2 AND code_hash = $3 AND used_at IS NULL`,
		db.Millis(s.Clock.Now()), userID, hashToken(code))
	if err != nil {
		return fmt.Errorf("account: recovery code: %w", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return codeError("That code is not right, or the recovery code was used already.")
	}
	return nil
}

// recoveryAlphabet leaves out letters and digits people confuse.
const recoveryAlphabet = "abcdefghjkmnpqrstuvwxyz23456789"

// newRecoveryCode returns a code like "k7m2q-x9p4d".
func newRecoveryCode() string {
	b := make([]byte, 10)
	_, _ = rand.Read(b)
	for i := range b {
		b[i] = recoveryAlphabet[int(b[i])%len(recoveryAlphabet)]
	}
	return string(b[:5]) + "-" + string(b[5:])
}

// replaceRecoveryCodes gives the user ten new recovery codes, the old ones
// no longer working, and returns them; only their hashes are kept.
func replaceRecoveryCodes(ctx context.Context, tx *db.Tx, userID int64) ([]string, error) {
	if _, err := tx.ExecContext(ctx, `DELETE FROM two_factor_recovery_codes WHERE user_id = $1`, userID); err != nil {
		return nil, err
	}
	codes := make([]string, RecoveryCodeCount)
	for i := range codes {
		codes[i] = newRecoveryCode()
		if _, err := tx.ExecContext(ctx, `INSERT INTO two_factor_recovery_codes (user_id, code_hash) VALUES ($1, $2)`,
			userID, hashToken(normalizeCode(codes[i]))); err != nil {
			return nil, err
		}
	}
	return codes, nil
}

// RegenerateRecoveryCodes replaces a user's recovery codes after checking
// a code, and returns the new ones (ACC-7).
func (s *Service) RegenerateRecoveryCodes(ctx context.Context, u User, code string) ([]string, error) {
	var codes []string
	err := s.DB.Tx(ctx, func(tx *db.Tx) error {
		if err := s.verifyTwoFactor(ctx, tx, u.ID, code); err != nil {
			return err
		}
		var err error
		if codes, err = replaceRecoveryCodes(ctx, tx, u.ID); err != nil {
			return err
		}
		return audit.Record(ctx, tx, audit.Entry{ActorID: u.ID, Action: "user.two_factor_recovery_codes", Model: "user", ObjectID: fmt.Sprint(u.ID)})
	})
	return codes, err
}

// RecoveryCodesLeft counts a user's unused recovery codes.
func (s *Service) RecoveryCodesLeft(ctx context.Context, userID int64) (int, error) {
	var n int
	err := s.DB.Read().QueryRowContext(ctx, `SELECT COUNT(*) FROM two_factor_recovery_codes WHERE user_id = $1 AND used_at IS NULL`, userID).Scan(&n)
	if err != nil {
		return 0, fmt.Errorf("account: recovery codes left: %w", err)
	}
	return n, nil
}

// DisableTwoFactor turns two-factor sign-in off after checking a code; the
// secret, recovery codes and remembered browsers go with it (ACC-7).
func (s *Service) DisableTwoFactor(ctx context.Context, u User, code string) error {
	return s.DB.Tx(ctx, func(tx *db.Tx) error {
		if err := s.verifyTwoFactor(ctx, tx, u.ID, code); err != nil {
			return err
		}
		for _, q := range []string{`DELETE FROM two_factor WHERE user_id = $1`, `DELETE FROM two_factor_recovery_codes WHERE user_id = $1`,
			`DELETE FROM two_factor_devices WHERE user_id = $1`, `UPDATE users SET two_factor_at = NULL WHERE id = $1`} {
			if _, err := tx.ExecContext(ctx, q, u.ID); err != nil {
				return err
			}
		}
		return audit.Record(ctx, tx, audit.Entry{ActorID: u.ID, Action: "user.two_factor_off", Model: "user", ObjectID: fmt.Sprint(u.ID)})
	})
}
