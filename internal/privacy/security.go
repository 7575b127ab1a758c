package privacy

import (
	"context"
	"errors"
	"fmt"

	"github.com/soulseer/soulseer/internal/db"
)

// securityFile is security.json.
type securityFile struct {
	Sessions           []sessionData   `json:"sessions"`
	APITokens          []tokenData     `json:"api_tokens"`
	SignInProviders    []providerData  `json:"sign_in_providers"`
	RememberedBrowsers []browserData   `json:"two_factor_remembered_browsers"`
	RecoveryCodesLeft  int             `json:"two_factor_recovery_codes_left"`
	PasswordResets     []passwordReset `json:"password_resets"`
}

type sessionData struct {
	ID         string `json:"id"`
	IP         string `json:"ip"`
	UserAgent  string `json:"user_agent"`
	CreatedAt  stamp  `json:"created_at"`
	LastSeenAt stamp  `json:"last_seen_at"`
	ExpiresAt  stamp  `json:"expires_at"`
}

type tokenData struct {
	ID         string `json:"id"`
	Name       string `json:"name"`
	CreatedAt  stamp  `json:"created_at"`
	LastUsedAt stamp  `json:"last_used_at"`
	ExpiresAt  stamp  `json:"expires_at"`
}

type providerData struct {
	Issuer    string `json:"issuer"`
	Subject   string `json:"subject"`
	CreatedAt stamp  `json:"created_at"`
}

type browserData struct {
	ExpiresAt stamp `json:"expires_at"`
}

type passwordReset struct {
	CreatedAt stamp `json:"created_at"`
	ExpiresAt stamp `json:"expires_at"`
	UsedAt    stamp `json:"used_at"`
}

// readSecurity reads security.json: sessions, API tokens, linked
// sign-in providers and two-factor browsers by their public ids and dates.
// Tokens, their hashes and recovery codes are never read.
func readSecurity(ctx context.Context, q db.Querier, userID int64) (any, error) {
	var f securityFile
	var errs [5]error
	f.Sessions, errs[0] = list(ctx, q, `SELECT public_id, ip, user_agent, created_at, last_seen_at, expires_at FROM sessions
		WHERE user_id = $1 ORDER BY created_at, public_id`,
		func(r db.Row, x *sessionData) error {
			return r.Scan(&x.ID, &x.IP, &x.UserAgent, &x.CreatedAt, &x.LastSeenAt, &x.ExpiresAt)
		}, userID)
	f.APITokens, errs[1] = list(ctx, q, `SELECT public_id, name, created_at, last_used_at, expires_at FROM api_tokens WHERE user_id = $1 ORDER BY id`,
		func(r db.Row, x *tokenData) error {
			return r.Scan(&x.ID, &x.Name, &x.CreatedAt, &x.LastUsedAt, &x.ExpiresAt)
		}, userID)
	f.SignInProviders, errs[2] = list(ctx, q, `SELECT issuer, subject, created_at FROM oidc_identities WHERE user_id = $1 ORDER BY created_at`,
		func(r db.Row, x *providerData) error { return r.Scan(&x.Issuer, &x.Subject, &x.CreatedAt) }, userID)
	f.RememberedBrowsers, errs[3] = list(ctx, q, `SELECT expires_at FROM two_factor_devices WHERE user_id = $1 ORDER BY expires_at`,
		func(r db.Row, x *browserData) error { return r.Scan(&x.ExpiresAt) }, userID)
	f.PasswordResets, errs[4] = list(ctx, q, `SELECT created_at, expires_at, used_at FROM password_resets WHERE user_id = $1 ORDER BY created_at`,
		func(r db.Row, x *passwordReset) error { return r.Scan(&x.CreatedAt, &x.ExpiresAt, &x.UsedAt) }, userID)
	if err := errors.Join(errs[:]...); err != nil {
		return nil, err
	}
	if err := q.QueryRowContext(ctx, `SELECT COUNT(*) FROM two_factor_recovery_codes WHERE user_id = $1 AND used_at IS NULL`, userID).
		Scan(&f.RecoveryCodesLeft); err != nil {
		return nil, fmt.Errorf("privacy: recovery codes: %w", err)
	}
	return f, nil
}
