// Package account holds users, their roles and how they sign in: email and
// password (argon2id), OpenID Connect, login sessions, API tokens and
// password resets (ACC-1 … ACC-5).
package account

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/mail"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/soulseer/soulseer/internal/apperr"
	"github.com/soulseer/soulseer/internal/db"
)

// Role decides what a user may do; it is checked on the server for every
// route (ACC-3).
type Role string

// The roles.
const (
	RoleClient Role = "client"
	RoleReader Role = "reader"
	RoleAdmin  Role = "admin"
)

// ParseRole accepts exactly the three role names.
func ParseRole(s string) (Role, bool) {
	switch r := Role(s); r {
	case RoleClient, RoleReader, RoleAdmin:
		return r, true
	}
	return "", false
}

// User is a person with an account.
type User struct {
	ID          int64
	Email       string
	DisplayName string
	Role        Role
	HasPassword bool
	AvatarKey   string // the stored photo, "" for none (ACC-9)
	TimeZone    string // an IANA name, "" until the user chooses one (ACC-9)
	TwoFactor   bool   // signs in with a code from an authenticator app too (ACC-7)
	CreatedAt   time.Time
	LastLoginAt time.Time
}

// Dashboard is the path each role lands on after login (ACC-4).
func (u User) Dashboard() string {
	switch u.Role {
	case RoleAdmin:
		return "/admin"
	case RoleReader:
		return "/reader/dashboard"
	}
	return "/dashboard"
}

const userColumns = `id, email, display_name, role, password_hash IS NOT NULL, avatar_key, time_zone, two_factor_at IS NOT NULL, created_at, last_login_at`

// qualifiedUserColumns is userColumns for a query that joins users as u.
var qualifiedUserColumns = "u." + strings.ReplaceAll(userColumns, ", ", ", u.")

// scanUser reads userColumns, then any extra columns into extra.
func scanUser(row interface{ Scan(...any) error }, extra ...any) (User, error) {
	var u User
	var created int64
	var lastLogin sql.NullInt64
	dest := []any{&u.ID, &u.Email, &u.DisplayName, &u.Role, &u.HasPassword, &u.AvatarKey, &u.TimeZone, &u.TwoFactor, &created, &lastLogin}
	if err := row.Scan(append(dest, extra...)...); err != nil {
		return User{}, err
	}
	u.CreatedAt, u.LastLoginAt = db.Time(created), db.NullTime(lastLogin)
	return u, nil
}

func getUser(ctx context.Context, q db.Querier, where string, arg any) (User, error) {
	u, err := scanUser(q.QueryRowContext(ctx, "SELECT "+userColumns+" FROM users WHERE "+where, arg))
	if errors.Is(err, sql.ErrNoRows) {
		return User{}, apperr.Errorf(apperr.NotFound, "No such user.")
	}
	if err != nil {
		return User{}, fmt.Errorf("account: get user: %w", err)
	}
	return u, nil
}

// NormalizeEmail trims and lower-cases an address and checks that it is a
// plain address (no display name), at most 254 bytes.
func NormalizeEmail(s string) (string, error) {
	s = strings.ToLower(strings.TrimSpace(s))
	if s == "" {
		return "", errors.New("Enter your email address.")
	}
	a, err := mail.ParseAddress(s)
	if err != nil || a.Address != s || len(s) > 254 || !strings.Contains(s[strings.LastIndex(s, "@"):], ".") {
		return "", errors.New("Enter a valid email address, like name@example.com.")
	}
	return s, nil
}

// MaxDisplayNameLen bounds display names, in characters.
const MaxDisplayNameLen = 60

// NormalizeDisplayName trims a display name and checks its length.
func NormalizeDisplayName(s string) (string, error) {
	s = strings.Join(strings.Fields(s), " ")
	switch n := utf8.RuneCountInString(s); {
	case n == 0:
		return "", errors.New("Enter a display name.")
	case n > MaxDisplayNameLen:
		return "", fmt.Errorf("Use at most %d characters.", MaxDisplayNameLen)
	}
	return s, nil
}
