// Package db opens SoulSeer's database — embedded SQLite or PostgreSQL — and
// runs transactions on it. Store code in the domain packages writes plain SQL
// with $N placeholders that both engines accept; every difference between the
// engines lives in this package (engine_sqlite.go, engine_postgres.go).
package db

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
)

// Engine names a database engine.
type Engine string

// The supported engines.
const (
	SQLite   Engine = "sqlite"
	Postgres Engine = "postgres"
)

// Querier is what store functions take: a transaction or a connection pool.
type Querier interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

// DB is an open database. Writes go through Tx; reads may use Read.
// On SQLite all writes share one connection (SQLite allows one writer), and
// reads use a separate read-only pool; on PostgreSQL both are one pool.
type DB struct {
	Engine Engine
	// Writer is the pool write transactions use. Job queues that must share
	// the single SQLite writer take it from here.
	Writer *sql.DB
	reader *sql.DB
	listen *pgxpool.Pool // PostgreSQL only; see ListenPool
	engine engine
}

// engine is the small set of behaviours that differ between SQLite and
// PostgreSQL.
type engine interface {
	retryable(err error) bool
	uniqueViolation(err error) bool
	exclusionViolation(err error) bool
	forUpdate() string
	lockMigrations(ctx context.Context, conn *sql.Conn) (unlock func(), err error)
	hasTable(ctx context.Context, q Querier, name string) (bool, error)
	lockKey(ctx context.Context, tx *sql.Tx, key string) error
}

// Open opens the database named by url: empty means SQLite in dataDir,
// postgres:// or postgresql:// means PostgreSQL.
func Open(ctx context.Context, url, dataDir string, maxConns int) (*DB, error) {
	if url == "" {
		return openSQLite(ctx, dataDir)
	}
	if hasPrefix(url, "postgres://") || hasPrefix(url, "postgresql://") {
		return openPostgres(ctx, url, maxConns)
	}
	if hasPrefix(url, "sqlite://") {
		return openSQLiteFile(ctx, url[len("sqlite://"):])
	}
	return nil, fmt.Errorf("db: DATABASE_URL must start with postgres:// or sqlite:// (got %.12q…)", url)
}

func hasPrefix(s, p string) bool { return len(s) >= len(p) && s[:len(p)] == p }

// Close closes every pool.
func (db *DB) Close() error {
	err := db.Writer.Close()
	if db.reader != db.Writer {
		err = errors.Join(err, db.reader.Close())
	}
	if db.listen != nil {
		db.listen.Close()
	}
	return err
}

// Read returns the pool for reads that need no transaction.
func (db *DB) Read() Querier { return db.reader }

// Ping checks that the database answers.
func (db *DB) Ping(ctx context.Context) error {
	var one int
	return db.reader.QueryRowContext(ctx, "SELECT 1").Scan(&one)
}

// ForUpdate returns the row-locking suffix for a SELECT inside a write
// transaction (" FOR UPDATE" on PostgreSQL; SQLite already serialises writers).
func (db *DB) ForUpdate() string { return db.engine.forUpdate() }

// IsUniqueViolation reports whether err is a unique-constraint violation.
func (db *DB) IsUniqueViolation(err error) bool { return db.engine.uniqueViolation(err) }

// IsExclusionViolation reports whether err is a refused overlap: an
// exclusion constraint on PostgreSQL, a trigger's RAISE(ABORT) on SQLite.
func (db *DB) IsExclusionViolation(err error) bool { return db.engine.exclusionViolation(err) }

// Tx is a write transaction. Functions registered with OnCommit run after a
// successful commit, never on rollback, so side effects such as realtime
// notifications only announce what is durable.
type Tx struct {
	*sql.Tx
	onCommit []func()
}

// OnCommit registers f to run after the transaction commits.
func (tx *Tx) OnCommit(f func()) { tx.onCommit = append(tx.onCommit, f) }

// maxAttempts bounds how often a transaction is retried after a serialization
// failure, deadlock or busy database.
const maxAttempts = 8

// Tx runs fn in a write transaction and commits it when fn returns nil.
// Transactions that fail because of a concurrent writer (deadlock,
// serialization failure, busy database) are retried from the start, so fn
// must not have side effects outside the transaction except through OnCommit.
func (db *DB) Tx(ctx context.Context, fn func(tx *Tx) error) error {
	for attempt := 1; ; attempt++ {
		err := db.tryTx(ctx, fn)
		if err == nil || attempt >= maxAttempts || !db.engine.retryable(err) || ctx.Err() != nil {
			return err
		}
		backoff := time.Duration(rand.IntN(1<<attempt)+1) * time.Millisecond
		select {
		case <-ctx.Done():
			return err
		case <-time.After(backoff):
		}
	}
}

func (db *DB) tryTx(ctx context.Context, fn func(tx *Tx) error) (err error) {
	sqlTx, err := db.Writer.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("db: begin: %w", err)
	}
	tx := &Tx{Tx: sqlTx}
	defer func() {
		if p := recover(); p != nil {
			_ = sqlTx.Rollback()
			panic(p)
		}
	}()
	if err := fn(tx); err != nil {
		_ = sqlTx.Rollback()
		return err
	}
	if err := sqlTx.Commit(); err != nil {
		return fmt.Errorf("db: commit: %w", err)
	}
	for _, f := range tx.onCommit {
		f()
	}
	return nil
}

// Millis converts a time to the int64 Unix milliseconds SoulSeer stores in
// every *_at column, the same on both engines.
func Millis(t time.Time) int64 { return t.UnixMilli() }

// Time converts stored Unix milliseconds back to a UTC time.
func Time(ms int64) time.Time { return time.UnixMilli(ms).UTC() }

// NullMillis is Millis for a nullable column: the zero time is NULL.
func NullMillis(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	return Millis(t)
}

// NullTime converts a nullable stored timestamp; NULL becomes the zero time.
func NullTime(ms sql.NullInt64) time.Time {
	if !ms.Valid {
		return time.Time{}
	}
	return Time(ms.Int64)
}
