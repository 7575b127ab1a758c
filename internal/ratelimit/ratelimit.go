// Package ratelimit enforces request limits in the database, so a limit holds
// across every instance sharing it (SEC-3). It keeps an exact sliding window:
// at most Limit accepted requests for a key in any Window.
package ratelimit

import (
	"context"
	"fmt"
	"time"

	"github.com/soulseer/soulseer/internal/apperr"
	"github.com/soulseer/soulseer/internal/clock"
	"github.com/soulseer/soulseer/internal/db"
)

// Rule is a limit: Limit requests per Window.
type Rule struct {
	Limit  int
	Window time.Duration
}

// Limiter checks and records requests against rules.
type Limiter struct {
	DB    *db.DB
	Clock clock.Clock
}

// retention bounds how long hits are kept; no rule's window may exceed it.
const retention = 24 * time.Hour

// Allow records a request for key and returns nil, or a RateLimited error with
// RetryAfter set when rule's limit is already reached. Refused requests are
// not counted. Concurrent requests for one key are serialised by a lock on the
// key's bucket row, so the limit is exact even across instances.
func (l *Limiter) Allow(ctx context.Context, key string, rule Rule) error {
	if rule.Window > retention {
		return fmt.Errorf("ratelimit: window %s exceeds %s", rule.Window, retention)
	}
	now := l.Clock.Now()
	var limited bool
	var retry time.Duration
	err := l.DB.Tx(ctx, func(tx *db.Tx) error {
		limited = false
		// The upsert takes the bucket's row lock until commit (PostgreSQL);
		// SQLite's single writer gives the same serialisation.
		if _, err := tx.ExecContext(ctx, `INSERT INTO rate_limit_buckets (key, updated_at) VALUES ($1, $2)
			ON CONFLICT (key) DO UPDATE SET updated_at = excluded.updated_at`, key, db.Millis(now)); err != nil {
			return err
		}
		since := db.Millis(now.Add(-rule.Window))
		var count int
		var oldest int64
		if err := tx.QueryRowContext(ctx, `SELECT count(*), COALESCE(min(at), 0) FROM rate_limit_hits WHERE key = $1 AND at > $2`,
			key, since).Scan(&count, &oldest); err != nil {
			return err
		}
		if count >= rule.Limit {
			limited = true
			retry = db.Time(oldest).Add(rule.Window).Sub(now)
			return nil
		}
		_, err := tx.ExecContext(ctx, `INSERT INTO rate_limit_hits (key, at) VALUES ($1, $2)`, key, db.Millis(now))
		return err
	})
	if err != nil {
		return fmt.Errorf("ratelimit: %w", err)
	}
	if limited {
		// Retry-After is whole seconds, rounded up, so a client that waits
		// exactly that long is let through.
		retry = max((retry + time.Second - 1).Truncate(time.Second), time.Second)
		return &apperr.Error{Code: apperr.RateLimited, Message: "Too many attempts. Please wait a few minutes and try again.", RetryAfter: retry}
	}
	return nil
}

// Purge deletes hits and buckets older than the longest window, returning how
// many hits it removed. A periodic job calls it.
func (l *Limiter) Purge(ctx context.Context) (int64, error) {
	cutoff := db.Millis(l.Clock.Now().Add(-retention))
	var n int64
	err := l.DB.Tx(ctx, func(tx *db.Tx) error {
		res, err := tx.ExecContext(ctx, `DELETE FROM rate_limit_hits WHERE at < $1`, cutoff)
		if err != nil {
			return err
		}
		n, _ = res.RowsAffected()
		_, err = tx.ExecContext(ctx, `DELETE FROM rate_limit_buckets WHERE updated_at < $1`, cutoff)
		return err
	})
	if err != nil {
		return 0, fmt.Errorf("ratelimit: purge: %w", err)
	}
	return n, nil
}
