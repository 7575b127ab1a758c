package db

import (
	"context"
	"embed"
	"fmt"
	"io/fs"
	"log/slog"
	"sort"
	"strconv"
	"strings"
	"time"
)

//go:embed migrations
var migrationFS embed.FS

// Migration is one numbered, embedded schema change.
type Migration struct {
	Version int
	Name    string
	SQL     string
}

// Migrations returns the engine's migrations in version order. Files are
// named NNNN_name.sql under migrations/<engine>/.
func Migrations(e Engine) ([]Migration, error) {
	dir := "migrations/" + string(e)
	entries, err := fs.ReadDir(migrationFS, dir)
	if err != nil {
		return nil, fmt.Errorf("db: read migrations: %w", err)
	}
	var out []Migration
	for _, ent := range entries {
		name := ent.Name()
		if !strings.HasSuffix(name, ".sql") {
			continue
		}
		num, _, ok := strings.Cut(name, "_")
		v, err := strconv.Atoi(num)
		if !ok || err != nil {
			return nil, fmt.Errorf("db: migration %s: name must start with a number and _", name)
		}
		body, err := fs.ReadFile(migrationFS, dir+"/"+name)
		if err != nil {
			return nil, err
		}
		out = append(out, Migration{Version: v, Name: strings.TrimSuffix(name, ".sql"), SQL: string(body)})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Version < out[j].Version })
	for i := 1; i < len(out); i++ {
		if out[i].Version == out[i-1].Version {
			return nil, fmt.Errorf("db: two migrations numbered %d", out[i].Version)
		}
	}
	return out, nil
}

// Pending returns the migrations not yet applied to the database, in
// version order: all of them when it has no SoulSeer schema at all. It only
// reads, so a check such as `soulseer ledger verify` can refuse to run on an
// old schema instead of changing the database it was asked to check.
func (db *DB) Pending(ctx context.Context) ([]Migration, error) {
	migs, err := Migrations(db.Engine)
	if err != nil {
		return nil, err
	}
	exists, err := db.engine.hasTable(ctx, db.reader, "schema_migrations")
	if err != nil {
		return nil, fmt.Errorf("db: pending migrations: %w", err)
	}
	if !exists {
		return migs, nil
	}
	rows, err := db.reader.QueryContext(ctx, "SELECT version FROM schema_migrations")
	if err != nil {
		return nil, fmt.Errorf("db: pending migrations: %w", err)
	}
	defer rows.Close()
	applied := map[int]bool{}
	for rows.Next() {
		var v int
		if err := rows.Scan(&v); err != nil {
			return nil, fmt.Errorf("db: pending migrations: %w", err)
		}
		applied[v] = true
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("db: pending migrations: %w", err)
	}
	var pending []Migration
	for _, m := range migs {
		if !applied[m.Version] {
			pending = append(pending, m)
		}
	}
	return pending, nil
}

// Migrate applies every migration not yet applied, each in its own
// transaction, then runs after (the job queue's own migrations) while still
// holding the migration lock, so instances starting together never race.
func (db *DB) Migrate(ctx context.Context, log *slog.Logger, after func(context.Context) error) error {
	migs, err := Migrations(db.Engine)
	if err != nil {
		return err
	}
	conn, err := db.Writer.Conn(ctx)
	if err != nil {
		return fmt.Errorf("db: migrate: %w", err)
	}
	unlock, err := db.engine.lockMigrations(ctx, conn)
	if err != nil {
		conn.Close()
		return err
	}
	release := func() { unlock(); conn.Close() }
	if _, err := conn.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (
		version BIGINT PRIMARY KEY, name TEXT NOT NULL, applied_at BIGINT NOT NULL)`); err != nil {
		release()
		return fmt.Errorf("db: create schema_migrations: %w", err)
	}
	for _, m := range migs {
		tx, err := conn.BeginTx(ctx, nil)
		if err != nil {
			release()
			return fmt.Errorf("db: migrate: %w", err)
		}
		var n int
		if err := tx.QueryRowContext(ctx, "SELECT count(*) FROM schema_migrations WHERE version = $1", m.Version).Scan(&n); err != nil {
			tx.Rollback()
			release()
			return fmt.Errorf("db: migrate: %w", err)
		}
		if n > 0 {
			tx.Rollback()
			continue
		}
		if _, err := tx.ExecContext(ctx, m.SQL); err != nil {
			tx.Rollback()
			release()
			return fmt.Errorf("db: migration %s: %w", m.Name, err)
		}
		if _, err := tx.ExecContext(ctx, "INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, $3)",
			m.Version, m.Name, time.Now().UnixMilli()); err != nil {
			tx.Rollback()
			release()
			return fmt.Errorf("db: record migration %s: %w", m.Name, err)
		}
		if err := tx.Commit(); err != nil {
			release()
			return fmt.Errorf("db: commit migration %s: %w", m.Name, err)
		}
		log.Info("applied migration", "engine", db.Engine, "migration", m.Name)
	}
	// The job queue's migrator needs the single SQLite writer connection
	// that conn holds, so hand it back first; on PostgreSQL the advisory lock
	// lives on conn, so keep it until after is done.
	if db.Engine == SQLite {
		release()
		if after != nil {
			return after(ctx)
		}
		return nil
	}
	defer release()
	if after != nil {
		return after(ctx)
	}
	return nil
}
