package db_test

import (
	"context"
	"errors"
	"sync"
	"testing"

	"github.com/soulseer/soulseer/internal/db"
	"github.com/soulseer/soulseer/internal/db/dbtest"
)

// Migrating twice is a no-op, and every migration is recorded once.
func TestMigrateIdempotent(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		if err := d.Migrate(ctx, discard(), nil); err != nil {
			t.Fatalf("second migrate: %v", err)
		}
		migs, _ := db.Migrations(d.Engine)
		var n int
		if err := d.Read().QueryRowContext(ctx, "SELECT count(*) FROM schema_migrations").Scan(&n); err != nil {
			t.Fatal(err)
		}
		if n != len(migs) {
			t.Fatalf("schema_migrations has %d rows, want %d", n, len(migs))
		}
	})
}

// A failing transaction leaves nothing behind and OnCommit hooks run only
// after a commit.
func TestTxRollbackAndOnCommit(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		boom := errors.New("boom")
		committed := 0
		err := d.Tx(ctx, func(tx *db.Tx) error {
			tx.OnCommit(func() { committed++ })
			if _, err := tx.ExecContext(ctx, "INSERT INTO outbox (to_addr, subject, body, created_at) VALUES ($1, $2, $3, $4)", "a@b.c", "s", "b", 1); err != nil {
				return err
			}
			return boom
		})
		if !errors.Is(err, boom) {
			t.Fatalf("err = %v, want boom", err)
		}
		if committed != 0 {
			t.Fatal("OnCommit ran after rollback")
		}
		var n int
		d.Read().QueryRowContext(ctx, "SELECT count(*) FROM outbox").Scan(&n)
		if n != 0 {
			t.Fatalf("rolled back insert is visible: %d rows", n)
		}
		err = d.Tx(ctx, func(tx *db.Tx) error {
			tx.OnCommit(func() { committed++ })
			_, err := tx.ExecContext(ctx, "INSERT INTO outbox (to_addr, subject, body, created_at) VALUES ($1, $2, $3, $4)", "a@b.c", "s", "b", 1)
			return err
		})
		if err != nil || committed != 1 {
			t.Fatalf("commit: err=%v committed=%d", err, committed)
		}
	})
}

// Concurrent read-modify-write transactions never lose an update: on SQLite
// the single writer serialises them, on PostgreSQL the row lock does.
func TestTxConcurrentIncrements(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		if _, err := d.Writer.ExecContext(ctx, "INSERT INTO rate_limit_buckets (key, updated_at) VALUES ('k', 0)"); err != nil {
			t.Fatal(err)
		}
		var wg sync.WaitGroup
		for range 20 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				err := d.Tx(ctx, func(tx *db.Tx) error {
					var v int64
					if err := tx.QueryRowContext(ctx, "SELECT updated_at FROM rate_limit_buckets WHERE key = 'k'"+d.ForUpdate()).Scan(&v); err != nil {
						return err
					}
					_, err := tx.ExecContext(ctx, "UPDATE rate_limit_buckets SET updated_at = $1 WHERE key = 'k'", v+1)
					return err
				})
				if err != nil {
					t.Error(err)
				}
			}()
		}
		wg.Wait()
		var v int64
		d.Read().QueryRowContext(ctx, "SELECT updated_at FROM rate_limit_buckets WHERE key = 'k'").Scan(&v)
		if v != 20 {
			t.Fatalf("counter = %d, want 20", v)
		}
	})
}

// Unique violations are recognised on both engines.
func TestIsUniqueViolation(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		q := "INSERT INTO rate_limit_buckets (key, updated_at) VALUES ('dup', 0)"
		if _, err := d.Writer.ExecContext(ctx, q); err != nil {
			t.Fatal(err)
		}
		_, err := d.Writer.ExecContext(ctx, q)
		if err == nil || !d.IsUniqueViolation(err) {
			t.Fatalf("second insert: err=%v, want a unique violation", err)
		}
		if d.IsUniqueViolation(errors.New("other")) {
			t.Fatal("a plain error is not a unique violation")
		}
	})
}
