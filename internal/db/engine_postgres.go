package db

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/jackc/pgx/v5/stdlib"
)

type postgresEngine struct{}

func openPostgres(ctx context.Context, url string, maxConns int) (*DB, error) {
	pool, err := sql.Open("pgx", url)
	if err != nil {
		return nil, fmt.Errorf("db: open postgres: %w", err)
	}
	if maxConns <= 0 {
		maxConns = 20
	}
	pool.SetMaxOpenConns(maxConns)
	pool.SetMaxIdleConns(maxConns)
	if err := pool.PingContext(ctx); err != nil {
		pool.Close()
		return nil, fmt.Errorf("db: connect to postgres: %w", err)
	}
	listenCfg, err := pgxpool.ParseConfig(url)
	if err != nil {
		pool.Close()
		return nil, fmt.Errorf("db: open postgres: %w", err)
	}
	listenCfg.MinConns, listenCfg.MaxConns = 0, 1
	listen, err := pgxpool.NewWithConfig(ctx, listenCfg)
	if err != nil {
		pool.Close()
		return nil, fmt.Errorf("db: open postgres: %w", err)
	}
	return &DB{Engine: Postgres, Writer: pool, reader: pool, listen: listen, engine: postgresEngine{}}, nil
}

// ListenPool returns, on PostgreSQL, the pool that LISTEN connections are
// taken from, so notifications reach this instance the moment a transaction
// that sent them commits (nil on SQLite). A listener keeps its connection
// for good, outside the pool's count; the pool opens nothing until asked and
// is closed with the database.
func (db *DB) ListenPool() *pgxpool.Pool { return db.listen }

var _ = stdlib.GetDefaultDriver // registers the "pgx" database/sql driver

func pgCode(err error) string {
	var e *pgconn.PgError
	if errors.As(err, &e) {
		return e.Code
	}
	return ""
}

func (postgresEngine) retryable(err error) bool {
	switch pgCode(err) {
	case "40001", "40P01": // serialization_failure, deadlock_detected
		return true
	}
	return false
}

func (postgresEngine) uniqueViolation(err error) bool { return pgCode(err) == "23505" }

func (postgresEngine) exclusionViolation(err error) bool { return pgCode(err) == "23P01" }

func (postgresEngine) forUpdate() string { return " FOR UPDATE" }

// migrationLockKey is the advisory lock that serialises migrations when
// several instances start at once against one PostgreSQL database.
const migrationLockKey = 7_151_520_190

func (postgresEngine) lockMigrations(ctx context.Context, conn *sql.Conn) (func(), error) {
	if _, err := conn.ExecContext(ctx, "SELECT pg_advisory_lock($1)", migrationLockKey); err != nil {
		return nil, fmt.Errorf("db: migration lock: %w", err)
	}
	return func() {
		_, _ = conn.ExecContext(context.Background(), "SELECT pg_advisory_unlock($1)", migrationLockKey)
	}, nil
}

func (postgresEngine) hasTable(ctx context.Context, q Querier, name string) (bool, error) {
	var ok bool
	err := q.QueryRowContext(ctx, "SELECT to_regclass($1) IS NOT NULL", name).Scan(&ok)
	return ok, err
}

// lockKey takes a transaction-scoped advisory lock on the key's hash.
func (postgresEngine) lockKey(ctx context.Context, tx *sql.Tx, key string) error {
	_, err := tx.ExecContext(ctx, `SELECT pg_advisory_xact_lock(hashtextextended($1, 0))`, key)
	return err
}
