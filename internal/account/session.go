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

// Session is a login session; Token goes into the cookie and is never stored.
type Session struct {
	Token     string
	ExpiresAt time.Time
}

// SessionSeenEvery is how out of date a session's last-seen time may be:
// a request records it only when it is older, so signed-in browsing does
// not write to the database on every request.
const SessionSeenEvery = time.Minute

// maxUserAgentLen bounds the user agent kept with a session.
const maxUserAgentLen = 300

// NewSession starts a login session for the user.
func (s *Service) NewSession(ctx context.Context, userID int64, ip, userAgent string) (Session, error) {
	token, hash := newToken("")
	now := s.Clock.Now()
	exp := now.Add(s.SessionTTL)
	if len(userAgent) > maxUserAgentLen {
		userAgent = userAgent[:maxUserAgentLen]
	}
	err := s.DB.Tx(ctx, func(tx *db.Tx) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO sessions (token_hash, public_id, user_id, created_at, last_seen_at, expires_at, ip, user_agent)
			VALUES ($1, $2, $3, $4, $4, $5, $6, $7)`, hash, newPublicID(), userID, db.Millis(now), db.Millis(exp), ip, userAgent)
		return err
	})
	if err != nil {
		return Session{}, fmt.Errorf("account: new session: %w", err)
	}
	return Session{Token: token, ExpiresAt: exp}, nil
}

// errNoSession means the session or token is missing, unknown or expired.
var errNoSession = &apperr.Error{Code: apperr.Unauthorized, Message: "Please log in."}

// UserBySession returns the user of a live session and records that the
// session was used, at most SessionSeenEvery out of date (ACC-9).
func (s *Service) UserBySession(ctx context.Context, token string) (User, error) {
	if token == "" {
		return User{}, errNoSession
	}
	u, seen, err := s.userByCredential(ctx, "sessions", token)
	if err != nil {
		return User{}, err
	}
	if now := s.Clock.Now(); now.Sub(db.Time(seen)) >= SessionSeenEvery {
		err := s.DB.Tx(ctx, func(tx *db.Tx) error {
			_, err := tx.ExecContext(ctx, `UPDATE sessions SET last_seen_at = $1 WHERE token_hash = $2`, db.Millis(now), hashToken(token))
			return err
		})
		if err != nil {
			return User{}, fmt.Errorf("account: session seen: %w", err)
		}
	}
	return u, nil
}

// credentialSeen is, per table of credentials, when one was last used.
var credentialSeen = map[string]string{"sessions": "c.last_seen_at", "api_tokens": "COALESCE(c.last_used_at, 0)"}

// userByCredential returns the owner of token, a session or API token kept
// by its hash in table (sessions or api_tokens), while it has not expired,
// and when the credential was last used (Unix ms).
func (s *Service) userByCredential(ctx context.Context, table, token string) (User, int64, error) {
	var seen int64
	u, err := scanUser(s.DB.Read().QueryRowContext(ctx, `SELECT `+qualifiedUserColumns+`, `+credentialSeen[table]+`
		FROM `+table+` c JOIN users u ON u.id = c.user_id WHERE c.token_hash = $1 AND c.expires_at > $2
		AND (u.suspended_until IS NULL OR u.suspended_until <= $2)`,
		hashToken(token), db.Millis(s.Clock.Now())), &seen)
	if errors.Is(err, sql.ErrNoRows) {
		return User{}, 0, errNoSession
	}
	if err != nil {
		return User{}, 0, fmt.Errorf("account: %s: %w", table, err)
	}
	return u, seen, nil
}

// EndSession logs a session out.
func (s *Service) EndSession(ctx context.Context, token string) error {
	return s.DB.Tx(ctx, func(tx *db.Tx) error {
		_, err := tx.ExecContext(ctx, `DELETE FROM sessions WHERE token_hash = $1`, hashToken(token))
		return err
	})
}

// SessionInfo is one of a user's live sessions as they see it in their
// account settings (ACC-9): never its token.
type SessionInfo struct {
	ID         string // public id, random
	IP         string
	UserAgent  string
	CreatedAt  time.Time
	LastSeenAt time.Time
	ExpiresAt  time.Time
	Current    bool // the session the list was asked from
}

// Sessions lists the user's live sessions, most recently used first;
// current is the token of the session asking ("" from an API token), which
// is marked Current.
func (s *Service) Sessions(ctx context.Context, userID int64, current string) ([]SessionInfo, error) {
	rows, err := s.DB.Read().QueryContext(ctx, `SELECT public_id, ip, user_agent, created_at, last_seen_at, expires_at, token_hash = $3
		FROM sessions WHERE user_id = $1 AND expires_at > $2 ORDER BY last_seen_at DESC, created_at DESC, public_id`,
		userID, db.Millis(s.Clock.Now()), hashToken(current))
	if err != nil {
		return nil, fmt.Errorf("account: list sessions: %w", err)
	}
	defer rows.Close()
	out := []SessionInfo{}
	for rows.Next() {
		var si SessionInfo
		var created, seen, expires int64
		if err := rows.Scan(&si.ID, &si.IP, &si.UserAgent, &created, &seen, &expires, &si.Current); err != nil {
			return nil, fmt.Errorf("account: list sessions: %w", err)
		}
		si.CreatedAt, si.LastSeenAt, si.ExpiresAt = db.Time(created), db.Time(seen), db.Time(expires)
		si.Current = si.Current && current != ""
		out = append(out, si)
	}
	return out, rows.Err()
}

// EndSessionByID logs out one of the user's sessions, named by its public
// id. Another user's session id is answered as unknown (ACC-9, SEC-5).
func (s *Service) EndSessionByID(ctx context.Context, userID int64, id string) error {
	return s.deleteCredential(ctx, "sessions", userID, id, "No such session.")
}

// EndOtherSessions logs the user out everywhere but the session whose token
// is current ("" ends every session) and says how many sessions it ended
// (ACC-9). API tokens are not sessions and keep working.
func (s *Service) EndOtherSessions(ctx context.Context, userID int64, current string) (int64, error) {
	var n int64
	err := s.DB.Tx(ctx, func(tx *db.Tx) error {
		var err error
		n, err = endOtherSessions(ctx, tx, userID, current)
		return err
	})
	return n, err
}

// endOtherSessions deletes the user's sessions but the current one in tx.
func endOtherSessions(ctx context.Context, tx *db.Tx, userID int64, current string) (int64, error) {
	res, err := tx.ExecContext(ctx, `DELETE FROM sessions WHERE user_id = $1 AND token_hash <> $2`, userID, hashToken(current))
	if err != nil {
		return 0, fmt.Errorf("account: end other sessions: %w", err)
	}
	return res.RowsAffected()
}
