package db

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"

	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"
)

type sqliteEngine struct{}

func openSQLite(ctx context.Context, dataDir string) (*DB, error) {
	if err := os.MkdirAll(dataDir, 0o750); err != nil {
		return nil, fmt.Errorf("db: create data dir: %w", err)
	}
	return openSQLiteFile(ctx, filepath.Join(dataDir, "soulseer.db"))
}

// openSQLiteFile opens one writer connection (BEGIN IMMEDIATE, so a write
// transaction holds the write lock from its first statement) and a read-only
// pool. WAL lets readers run beside the writer; synchronous=FULL makes every
// commit durable before it is acknowledged.
func openSQLiteFile(ctx context.Context, path string) (*DB, error) {
	pragmas := "_pragma=journal_mode(WAL)&_pragma=busy_timeout(10000)&_pragma=foreign_keys(1)&_pragma=synchronous(FULL)"
	base := "file:" + (&url.URL{Path: path}).EscapedPath() + "?" + pragmas
	writer := sql.OpenDB(sqliteConnector{dsn: base + "&_txlock=immediate", drv: &sqlite.Driver{}})
	writer.SetMaxOpenConns(1)
	writer.SetMaxIdleConns(1)
	writer.SetConnMaxLifetime(0)
	writer.SetConnMaxIdleTime(0)
	if err := writer.PingContext(ctx); err != nil {
		writer.Close()
		return nil, fmt.Errorf("db: open sqlite %s: %w", path, err)
	}
	reader := sql.OpenDB(sqliteConnector{dsn: base + "&_pragma=query_only(1)", drv: &sqlite.Driver{}})
	reader.SetMaxOpenConns(8)
	reader.SetMaxIdleConns(8)
	return &DB{Engine: SQLite, Writer: writer, reader: reader, engine: sqliteEngine{}}, nil
}

func sqliteCode(err error) int {
	var e *sqlite.Error
	if errors.As(err, &e) {
		return e.Code()
	}
	return 0
}

func (sqliteEngine) retryable(err error) bool {
	switch sqliteCode(err) & 0xff {
	case sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED:
		return true
	}
	return false
}

func (sqliteEngine) uniqueViolation(err error) bool {
	c := sqliteCode(err)
	return c == sqlite3.SQLITE_CONSTRAINT_UNIQUE || c == sqlite3.SQLITE_CONSTRAINT_PRIMARYKEY
}

func (sqliteEngine) exclusionViolation(err error) bool {
	return sqliteCode(err) == sqlite3.SQLITE_CONSTRAINT_TRIGGER
}

func (sqliteEngine) forUpdate() string { return "" }

// lockMigrations needs no lock: the single writer connection and BEGIN
// IMMEDIATE already serialise migrations across processes.
func (sqliteEngine) lockMigrations(context.Context, *sql.Conn) (func(), error) {
	return func() {}, nil
}

func (sqliteEngine) hasTable(ctx context.Context, q Querier, name string) (bool, error) {
	var n int
	err := q.QueryRowContext(ctx, "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = $1", name).Scan(&n)
	return n > 0, err
}

// lockKey needs no lock: SQLite's one writer already runs write
// transactions one after another.
func (sqliteEngine) lockKey(context.Context, *sql.Tx, string) error { return nil }
