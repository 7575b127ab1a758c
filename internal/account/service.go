package account

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"database/sql"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"time"

	"github.com/soulseer/soulseer/internal/apperr"
	"github.com/soulseer/soulseer/internal/audit"
	"github.com/soulseer/soulseer/internal/clock"
	"github.com/soulseer/soulseer/internal/db"
	"github.com/soulseer/soulseer/internal/filestore"
	"github.com/soulseer/soulseer/internal/mail"
	"github.com/soulseer/soulseer/internal/realtime"
)

// Service manages accounts and sign-in.
type Service struct {
	DB         *db.DB
	Clock      clock.Clock
	Mail       *mail.Mailer
	Files      *filestore.Store // users' photos
	Hub        *realtime.Hub    // closes a user's live connections when their sessions end
	Log        *slog.Logger
	BaseURL    string
	SessionTTL time.Duration
}

// dummyHash is compared against when a login names an unknown email, so the
// response time does not reveal which emails have accounts.
var dummyHash, _ = HashPassword("not-a-real-password")

// newToken returns a random URL-safe secret and the hash stored for it.
// Only hashes are stored, so a leaked database holds no usable session or
// token.
func newToken(prefix string) (token, hash string) {
	b := make([]byte, 32)
	_, _ = rand.Read(b)
	token = prefix + base64.RawURLEncoding.EncodeToString(b)
	return token, hashToken(token)
}

func hashToken(token string) string {
	sum := sha256.Sum256([]byte(token))
	return hex.EncodeToString(sum[:])
}

// SignUpInput is what a new client provides.
type SignUpInput struct {
	Email       string
	Password    string
	DisplayName string
	// TimeZone is the browser's guess of the user's time zone (ACC-9): kept
	// when it names one, else left for the user to choose.
	TimeZone string
}

// Validate normalises the input and returns field errors.
func (in *SignUpInput) Validate() error {
	fields := map[string]string{}
	var err error
	if in.Email, err = NormalizeEmail(in.Email); err != nil {
		fields["email"] = err.Error()
	}
	if in.DisplayName, err = NormalizeDisplayName(in.DisplayName); err != nil {
		fields["display_name"] = err.Error()
	}
	if err := CheckPasswordPolicy(in.Password, in.Email, in.DisplayName); err != nil {
		fields["password"] = err.Error()
	}
	if in.TimeZone, err = ParseTimeZone(in.TimeZone); err != nil {
		in.TimeZone = ""
	}
	return apperr.Validation(fields)
}

// SignUp creates a client account with an email and password (ACC-1).
func (s *Service) SignUp(ctx context.Context, in SignUpInput) (User, error) {
	return s.Create(ctx, in, RoleClient)
}

// Create creates an account with the given role; a reader also gets an
// unverified reader profile (ACC-5). Used by sign-up and the command line.
func (s *Service) Create(ctx context.Context, in SignUpInput, role Role) (User, error) {
	if err := in.Validate(); err != nil {
		return User{}, err
	}
	hash, err := HashPassword(in.Password)
	if err != nil {
		return User{}, fmt.Errorf("account: hash: %w", err)
	}
	var u User
	err = s.DB.Tx(ctx, func(tx *db.Tx) error {
		u, err = s.insertUser(ctx, tx, in.Email, in.DisplayName, in.TimeZone, &hash, role)
		return err
	})
	return u, err
}

func (s *Service) insertUser(ctx context.Context, tx *db.Tx, email, name, timeZone string, hash *string, role Role) (User, error) {
	now := db.Millis(s.Clock.Now())
	var id int64
	err := tx.QueryRowContext(ctx, `INSERT INTO users (email, password_hash, display_name, role, time_zone, created_at, updated_at)
		VALUES ($1, $2, $3, $4, $5, $6, $6) RETURNING id`, email, hash, name, role, timeZone, now).Scan(&id)
	if s.DB.IsUniqueViolation(err) {
		return User{}, &apperr.Error{Code: apperr.Conflict, Message: "An account with this email already exists.",
			Fields: map[string]string{"email": "An account with this email already exists. Log in instead?"}}
	}
	if err != nil {
		return User{}, fmt.Errorf("account: create user: %w", err)
	}
	if role == RoleReader {
		if err := ensureReaderProfile(ctx, tx, id, now); err != nil {
			return User{}, err
		}
	}
	return getUser(ctx, tx, "id = $1", id)
}

// ensureReaderProfile gives a reader an unverified, offline profile if they
// have none yet; an existing profile (a demoted and re-promoted reader) is kept.
func ensureReaderProfile(ctx context.Context, tx *db.Tx, userID, now int64) error {
	_, err := tx.ExecContext(ctx, `INSERT INTO reader_profiles (user_id, status_changed_at, created_at, updated_at)
		VALUES ($1, $2, $2, $2) ON CONFLICT (user_id) DO NOTHING`, userID, now)
	if err != nil {
		return fmt.Errorf("account: create reader profile: %w", err)
	}
	return nil
}

// errBadLogin is deliberately the same for an unknown email and a wrong
// password.
var errBadLogin = &apperr.Error{Code: apperr.Unauthorized, Message: "Email or password is incorrect."}

// Login checks an email and password (ACC-1).
func (s *Service) Login(ctx context.Context, email, password string) (User, error) {
	email = strings.ToLower(strings.TrimSpace(email))
	if len(password) > MaxPasswordLen {
		return User{}, errBadLogin
	}
	var id int64
	var hash sql.NullString
	err := s.DB.Read().QueryRowContext(ctx, `SELECT id, password_hash FROM users WHERE email = $1`, email).Scan(&id, &hash)
	if errors.Is(err, sql.ErrNoRows) || (err == nil && !hash.Valid) {
		_, _ = CheckPassword(dummyHash, password)
		return User{}, errBadLogin
	}
	if err != nil {
		return User{}, fmt.Errorf("account: login: %w", err)
	}
	ok, err := CheckPassword(hash.String, password)
	if err != nil {
		return User{}, fmt.Errorf("account: login: %w", err)
	}
	if !ok {
		return User{}, errBadLogin
	}
	return s.touchLogin(ctx, id)
}

func (s *Service) touchLogin(ctx context.Context, id int64) (User, error) {
	var u User
	err := s.DB.Tx(ctx, func(tx *db.Tx) error {
		if err := s.checkSuspended(ctx, tx, id); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE users SET last_login_at = $1 WHERE id = $2`, db.Millis(s.Clock.Now()), id); err != nil {
			return err
		}
		var err error
		u, err = getUser(ctx, tx, "id = $1", id)
		return err
	})
	return u, err
}

// Get returns one user.
func (s *Service) Get(ctx context.Context, id int64) (User, error) {
	return getUser(ctx, s.DB.Read(), "id = $1", id)
}

// GetByEmail returns the user with that email.
func (s *Service) GetByEmail(ctx context.Context, email string) (User, error) {
	return getUser(ctx, s.DB.Read(), "email = $1", strings.ToLower(strings.TrimSpace(email)))
}

// ResetTTL is how long a password-reset link works.
const ResetTTL = time.Hour

// RequestPasswordReset emails a one-time reset link if the address has an
// account. It answers the same either way, so it reveals nothing.
func (s *Service) RequestPasswordReset(ctx context.Context, email string) error {
	email, err := NormalizeEmail(email)
	if err != nil {
		return apperr.Validation(map[string]string{"email": err.Error()})
	}
	u, err := s.GetByEmail(ctx, email)
	if apperr.CodeOf(err) == apperr.NotFound {
		return nil
	}
	if err != nil {
		return err
	}
	token, hash := newToken("")
	now := s.Clock.Now()
	return s.DB.Tx(ctx, func(tx *db.Tx) error {
		if _, err := tx.ExecContext(ctx, `INSERT INTO password_resets (token_hash, user_id, created_at, expires_at) VALUES ($1, $2, $3, $4)`,
			hash, u.ID, db.Millis(now), db.Millis(now.Add(ResetTTL))); err != nil {
			return fmt.Errorf("account: reset: %w", err)
		}
		link := s.BaseURL + "/password/reset?token=" + token
		return s.Mail.Send(ctx, tx, mail.Message{
			To:      u.Email,
			Subject: "Reset your SoulSeer password",
			Body: fmt.Sprintf("Hello %s,\n\nSomeone asked to reset the password of your SoulSeer account. "+
				"If it was you, open this link within an hour to choose a new password:\n\n%s\n\n"+
				"If it was not you, ignore this email; your password stays as it is.\n\n— SoulSeer\n", u.DisplayName, link),
		})
	})
}

var errBadReset = &apperr.Error{Code: apperr.Invalid, Message: "This reset link is invalid or has expired. Ask for a new one.",
	Fields: map[string]string{"token": "This reset link is invalid or has expired."}}

// ResetPassword sets a new password with a reset token, under the same
// password rules as sign-up. Using one token uses up every reset token of
// the user and ends all their sessions and API tokens, so neither an older
// reset link nor a credential taken before the reset still works (ACC-10).
func (s *Service) ResetPassword(ctx context.Context, token, password string) (User, error) {
	now := db.Millis(s.Clock.Now())
	u, err := scanUser(s.DB.Read().QueryRowContext(ctx, `SELECT `+qualifiedUserColumns+`
		FROM password_resets r JOIN users u ON u.id = r.user_id
		WHERE r.token_hash = $1 AND r.used_at IS NULL AND r.expires_at > $2`, hashToken(token), now))
	if errors.Is(err, sql.ErrNoRows) {
		return User{}, errBadReset
	}
	if err != nil {
		return User{}, fmt.Errorf("account: reset: %w", err)
	}
	if err := CheckPasswordPolicy(password, u.Email, u.DisplayName); err != nil {
		return User{}, apperr.Validation(map[string]string{"password": err.Error()})
	}
	hash, err := HashPassword(password)
	if err != nil {
		return User{}, err
	}
	err = s.DB.Tx(ctx, func(tx *db.Tx) error {
		// The token is claimed again here, so two uses racing each other
		// cannot both succeed.
		res, err := tx.ExecContext(ctx, `UPDATE password_resets SET used_at = $1
			WHERE token_hash = $2 AND used_at IS NULL AND expires_at > $1`, now, hashToken(token))
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return errBadReset
		}
		if _, err := tx.ExecContext(ctx, `UPDATE password_resets SET used_at = $1 WHERE user_id = $2 AND used_at IS NULL`, now, u.ID); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE users SET password_hash = $1, updated_at = $2 WHERE id = $3`, hash, now, u.ID); err != nil {
			return err
		}
		if err := EndSessions(ctx, tx, s.Hub, u.ID); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM api_tokens WHERE user_id = $1`, u.ID); err != nil {
			return err
		}
		u, err = getUser(ctx, tx, "id = $1", u.ID)
		return err
	})
	return u, err
}

// SetRole changes a user's role (admins only; ACC-3). Promoting to reader
// creates an unverified reader profile. The change is audited.
func (s *Service) SetRole(ctx context.Context, actor User, userID int64, role Role) (User, error) {
	if actor.Role != RoleAdmin {
		return User{}, apperr.Errorf(apperr.Forbidden, "Only admins can change roles.")
	}
	if actor.ID == userID && role != RoleAdmin {
		return User{}, apperr.Errorf(apperr.Conflict, "You cannot remove your own admin role.")
	}
	var u User
	err := s.DB.Tx(ctx, func(tx *db.Tx) error {
		before, err := getUser(ctx, tx, "id = $1", userID)
		if err != nil {
			return err
		}
		now := s.Clock.Now()
		if _, err := tx.ExecContext(ctx, `UPDATE users SET role = $1, updated_at = $2 WHERE id = $3`, role, db.Millis(now), userID); err != nil {
			return err
		}
		if role == RoleReader {
			if err := ensureReaderProfile(ctx, tx, userID, db.Millis(now)); err != nil {
				return err
			}
		}
		if err := audit.Record(ctx, tx, audit.Entry{ActorID: actor.ID, Action: "user.set_role", Model: "user",
			ObjectID: fmt.Sprint(userID), Details: map[string]any{"from": before.Role, "to": role}, At: now}); err != nil {
			return err
		}
		u, err = getUser(ctx, tx, "id = $1", userID)
		return err
	})
	return u, err
}

// ListFilter narrows the admin user list.
type ListFilter struct {
	Query  string // matches email or display name
	Role   Role
	Limit  int
	Offset int
}

// Validate checks the filter: a search term is at most db.MaxSearchLen
// characters.
func (f ListFilter) Validate() error {
	fields := map[string]string{}
	db.CheckSearch(fields, "q", f.Query)
	return apperr.Validation(fields)
}

// List returns users for the admin pages, newest first, and the total count.
func (s *Service) List(ctx context.Context, f ListFilter) ([]User, int, error) {
	if err := f.Validate(); err != nil {
		return nil, 0, err
	}
	where := "WHERE 1=1"
	var args []any
	if strings.TrimSpace(f.Query) != "" {
		args = append(args, db.ContainsPattern(f.Query))
		where += fmt.Sprintf(" AND (email LIKE $%d OR lower(display_name) LIKE $%d)", len(args), len(args))
	}
	if f.Role != "" {
		args = append(args, f.Role)
		where += fmt.Sprintf(" AND role = $%d", len(args))
	}
	var total int
	if err := s.DB.Read().QueryRowContext(ctx, "SELECT count(*) FROM users "+where, args...).Scan(&total); err != nil {
		return nil, 0, fmt.Errorf("account: list: %w", err)
	}
	if f.Limit <= 0 || f.Limit > 200 {
		f.Limit = 50
	}
	rows, err := s.DB.Read().QueryContext(ctx, fmt.Sprintf("SELECT %s FROM users %s ORDER BY id DESC LIMIT %d OFFSET %d",
		userColumns, where, f.Limit, max(f.Offset, 0)), args...)
	if err != nil {
		return nil, 0, fmt.Errorf("account: list: %w", err)
	}
	defer rows.Close()
	var out []User
	for rows.Next() {
		u, err := scanUser(rows)
		if err != nil {
			return nil, 0, fmt.Errorf("account: list: %w", err)
		}
		out = append(out, u)
	}
	return out, total, rows.Err()
}

// PurgeExpired deletes expired sessions, password-reset tokens and API
// tokens, and says how many sessions it deleted.
func (s *Service) PurgeExpired(ctx context.Context) (int64, error) {
	now := db.Millis(s.Clock.Now())
	var n int64
	err := s.DB.Tx(ctx, func(tx *db.Tx) error {
		res, err := tx.ExecContext(ctx, `DELETE FROM sessions WHERE expires_at <= $1`, now)
		if err != nil {
			return err
		}
		n, _ = res.RowsAffected()
		if _, err = tx.ExecContext(ctx, `DELETE FROM password_resets WHERE expires_at <= $1`, now); err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, `DELETE FROM api_tokens WHERE expires_at <= $1`, now)
		return err
	})
	if err != nil {
		return 0, fmt.Errorf("account: purge: %w", err)
	}
	return n, nil
}
