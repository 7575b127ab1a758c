// Package block keeps apart a client and a reader when either asked (ACC-6):
// once one has blocked the other, neither can message, request a reading
// from, queue for, book, gift or be told about the other. Whoever is
// refused gets the same neutral answer either way, which does not say that
// anyone was blocked.
package block

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/soulseer/soulseer/internal/account"
	"github.com/soulseer/soulseer/internal/apperr"
	"github.com/soulseer/soulseer/internal/clock"
	"github.com/soulseer/soulseer/internal/db"
)

// Blocked reports whether a has blocked b or b has blocked a: every feature
// asks before one of the two reaches the other.
func Blocked(ctx context.Context, q db.Querier, a, b int64) (bool, error) {
	var blocked bool
	if err := q.QueryRowContext(ctx, `SELECT `+Between("$1", "$2"), a, b).Scan(&blocked); err != nil {
		return false, fmt.Errorf("block: check: %w", err)
	}
	return blocked, nil
}

// Between is the SQL condition Blocked tests, for the users that the SQL
// expressions a and b name, for a query that asks more at once.
func Between(a, b string) string {
	return `EXISTS (SELECT 1 FROM blocks WHERE (blocker_id = ` + a + ` AND blocked_id = ` + b + `) OR (blocker_id = ` + b + ` AND blocked_id = ` + a + `))`
}

// The neutral refusals for a blocked pair: the same whichever of the two
// blocked the other, and the same as for someone who is not there at all.
var (
	ErrReaderUnavailable = apperr.Errorf(apperr.NotFound, "This reader is not available.")
	ErrClientUnavailable = apperr.Errorf(apperr.NotFound, "This client is not available.")
)

// Entry is someone a person has blocked.
type Entry struct {
	UserID      int64        `json:"user_id"`
	DisplayName string       `json:"display_name"`
	Role        account.Role `json:"role"`
	CreatedAt   time.Time    `json:"created_at"`
}

// Service blocks and unblocks.
type Service struct {
	DB    *db.DB
	Clock clock.Clock
}

var errNoUser = apperr.Errorf(apperr.NotFound, "No such user.")

// Block makes blocker block the user blockedID: a client may block a
// reader, a reader a client. It also takes each out of the other's
// reading queue and drops any request of theirs to be told when the other
// comes online. Blocking again changes nothing.
func (s *Service) Block(ctx context.Context, blocker account.User, blockedID int64) (Entry, error) {
	var e Entry
	err := s.DB.Tx(ctx, func(tx *db.Tx) error {
		var err error
		if e, err = target(ctx, tx, blocker, blockedID); err != nil {
			return err
		}
		now := s.Clock.Now()
		if _, err := tx.ExecContext(ctx, `INSERT INTO blocks (blocker_id, blocked_id, created_at) VALUES ($1, $2, $3)
			ON CONFLICT (blocker_id, blocked_id) DO NOTHING`, blocker.ID, blockedID, db.Millis(now)); err != nil {
			return fmt.Errorf("block: %w", err)
		}
		var at int64
		if err := tx.QueryRowContext(ctx, `SELECT created_at FROM blocks WHERE blocker_id = $1 AND blocked_id = $2`, blocker.ID, blockedID).Scan(&at); err != nil {
			return fmt.Errorf("block: %w", err)
		}
		e.CreatedAt = db.Time(at)
		for _, table := range []string{"reading_queue", "online_watches"} {
			if _, err := tx.ExecContext(ctx, `DELETE FROM `+table+` WHERE (client_id = $1 AND reader_id = $2) OR (client_id = $2 AND reader_id = $1)`,
				blocker.ID, blockedID); err != nil {
				return fmt.Errorf("block: part %s: %w", table, err)
			}
		}
		return nil
	})
	return e, err
}

// target returns the user blocker asks to block, refusing anyone but a
// reader (for a client) or a client (for a reader).
func target(ctx context.Context, q db.Querier, blocker account.User, id int64) (Entry, error) {
	want := map[account.Role]account.Role{account.RoleClient: account.RoleReader, account.RoleReader: account.RoleClient}[blocker.Role]
	if want == "" {
		return Entry{}, apperr.Errorf(apperr.Forbidden, "Only clients and readers can block each other.")
	}
	e := Entry{UserID: id}
	err := q.QueryRowContext(ctx, `SELECT display_name, role FROM users WHERE id = $1`, id).Scan(&e.DisplayName, &e.Role)
	if errors.Is(err, sql.ErrNoRows) {
		return Entry{}, errNoUser
	}
	if err != nil {
		return Entry{}, fmt.Errorf("block: %w", err)
	}
	if e.Role != want {
		if blocker.Role == account.RoleClient {
			return Entry{}, apperr.Errorf(apperr.Invalid, "Clients can block readers.")
		}
		return Entry{}, apperr.Errorf(apperr.Invalid, "Readers can block clients.")
	}
	return e, nil
}

// Unblock lifts blocker's block of blockedID; lifting one that does not
// exist changes nothing. A block the other person made stays.
func (s *Service) Unblock(ctx context.Context, blocker account.User, blockedID int64) error {
	return s.DB.Tx(ctx, func(tx *db.Tx) error {
		if _, err := tx.ExecContext(ctx, `DELETE FROM blocks WHERE blocker_id = $1 AND blocked_id = $2`, blocker.ID, blockedID); err != nil {
			return fmt.Errorf("block: unblock: %w", err)
		}
		return nil
	})
}

// HasBlocked reports whether blocker has blocked blockedID (not the other
// way round): whether their pages offer Unblock.
func (s *Service) HasBlocked(ctx context.Context, blocker, blockedID int64) (bool, error) {
	var n int
	if err := s.DB.Read().QueryRowContext(ctx, `SELECT count(*) FROM blocks WHERE blocker_id = $1 AND blocked_id = $2`,
		blocker, blockedID).Scan(&n); err != nil {
		return false, fmt.Errorf("block: check: %w", err)
	}
	return n > 0, nil
}

// List returns everyone userID has blocked, most recent first.
func (s *Service) List(ctx context.Context, userID int64) ([]Entry, error) {
	rows, err := s.DB.Read().QueryContext(ctx, `SELECT u.id, u.display_name, u.role, b.created_at FROM blocks b
		JOIN users u ON u.id = b.blocked_id WHERE b.blocker_id = $1 ORDER BY b.created_at DESC, u.id DESC`, userID)
	if err != nil {
		return nil, fmt.Errorf("block: list: %w", err)
	}
	defer rows.Close()
	out := []Entry{}
	for rows.Next() {
		var e Entry
		var at int64
		if err := rows.Scan(&e.UserID, &e.DisplayName, &e.Role, &at); err != nil {
			return nil, fmt.Errorf("block: list: %w", err)
		}
		e.CreatedAt = db.Time(at)
		out = append(out, e)
	}
	return out, rows.Err()
}
