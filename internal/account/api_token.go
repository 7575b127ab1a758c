package account

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"strings"
	"time"

	"github.com/soulseer/soulseer/internal/apperr"
	"github.com/soulseer/soulseer/internal/db"
)

// APITokenPrefix starts every API token, so leaked tokens are easy to spot.
const APITokenPrefix = "ssk_"

// MaxTokenNameLen bounds API token names.
const MaxTokenNameLen = 80

// API token lifetimes, in days: a token works for DefaultTokenDays unless its
// owner chooses from 1 to MaxTokenDays when creating it (ACC-10).
const (
	DefaultTokenDays = 90
	MaxTokenDays     = 365
)

// APIToken is a bearer token as its owner sees it in the list: never the
// secret, which only the response that created it shows.
type APIToken struct {
	ID        string // public id, random; the database row id is never shown
	Name      string
	CreatedAt time.Time
	ExpiresAt time.Time
}

// NewAPIToken is a token just created, with its secret.
type NewAPIToken struct {
	APIToken
	Secret string
}

// TokenInput is what an owner gives for a new API token: a name and,
// optionally, how many days it works (nil means DefaultTokenDays).
type TokenInput struct {
	Name          string
	ExpiresInDays *int
}

// CreateAPIToken issues a bearer token for scripts and apps that stops
// working after its lifetime (ACC-10). The secret is shown once; only its
// hash is kept.
func (s *Service) CreateAPIToken(ctx context.Context, userID int64, in TokenInput) (NewAPIToken, error) {
	fields := map[string]string{}
	name := strings.TrimSpace(in.Name)
	if name == "" || len([]rune(name)) > MaxTokenNameLen {
		fields["name"] = fmt.Sprintf("Give the token a name of 1 to %d characters.", MaxTokenNameLen)
	}
	days := DefaultTokenDays
	if in.ExpiresInDays != nil {
		days = *in.ExpiresInDays
		if days < 1 || days > MaxTokenDays {
			fields["expires_in_days"] = fmt.Sprintf("Choose from 1 to %d days.", MaxTokenDays)
		}
	}
	if err := apperr.Validation(fields); err != nil {
		return NewAPIToken{}, err
	}
	secret, hash := newToken(APITokenPrefix)
	now := s.Clock.Now()
	t := NewAPIToken{Secret: secret, APIToken: APIToken{ID: newPublicID(), Name: name,
		CreatedAt: db.Time(db.Millis(now)), ExpiresAt: db.Time(db.Millis(now.AddDate(0, 0, days)))}}
	err := s.DB.Tx(ctx, func(tx *db.Tx) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO api_tokens (user_id, name, token_hash, public_id, created_at, expires_at)
			VALUES ($1, $2, $3, $4, $5, $6)`, userID, name, hash, t.ID, db.Millis(t.CreatedAt), db.Millis(t.ExpiresAt))
		return err
	})
	if err != nil {
		return NewAPIToken{}, fmt.Errorf("account: create token: %w", err)
	}
	return t, nil
}

// newPublicID returns 16 random hex characters naming a token to its owner.
func newPublicID() string {
	b := make([]byte, 8)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

// UserByAPIToken returns the owner of a bearer token that has not expired or
// been revoked; any other token authenticates nobody (ACC-10).
func (s *Service) UserByAPIToken(ctx context.Context, token string) (User, error) {
	if !strings.HasPrefix(token, APITokenPrefix) {
		return User{}, errNoSession
	}
	u, _, err := s.userByCredential(ctx, "api_tokens", token)
	return u, err
}

// APITokens lists the user's working API tokens, newest first, without
// their secrets (ACC-10).
func (s *Service) APITokens(ctx context.Context, userID int64) ([]APIToken, error) {
	rows, err := s.DB.Read().QueryContext(ctx, `SELECT public_id, name, created_at, expires_at FROM api_tokens
		WHERE user_id = $1 AND expires_at > $2 ORDER BY created_at DESC, id DESC`, userID, db.Millis(s.Clock.Now()))
	if err != nil {
		return nil, fmt.Errorf("account: list tokens: %w", err)
	}
	defer rows.Close()
	out := []APIToken{}
	for rows.Next() {
		var t APIToken
		var created, expires int64
		if err := rows.Scan(&t.ID, &t.Name, &created, &expires); err != nil {
			return nil, fmt.Errorf("account: list tokens: %w", err)
		}
		t.CreatedAt, t.ExpiresAt = db.Time(created), db.Time(expires)
		out = append(out, t)
	}
	return out, rows.Err()
}

// RevokeAPIToken ends one of the user's API tokens at once. Only its owner
// can: another user's token id is answered as unknown (ACC-10, SEC-5).
func (s *Service) RevokeAPIToken(ctx context.Context, userID int64, id string) error {
	return s.deleteCredential(ctx, "api_tokens", userID, id, "No such token.")
}

// deleteCredential ends the credential of table (sessions or api_tokens)
// whose public id is id, if it is the user's; any other id is answered as
// unknown with notFound.
func (s *Service) deleteCredential(ctx context.Context, table string, userID int64, id, notFound string) error {
	return s.DB.Tx(ctx, func(tx *db.Tx) error {
		res, err := tx.ExecContext(ctx, `DELETE FROM `+table+` WHERE user_id = $1 AND public_id = $2`, userID, id)
		if err != nil {
			return fmt.Errorf("account: delete from %s: %w", table, err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return apperr.Errorf(apperr.NotFound, "%s", notFound)
		}
		return nil
	})
}
