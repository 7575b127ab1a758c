package db

import (
	"context"
	"database/sql"
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"modernc.org/sqlite"
)

// openCachingSQLite opens one SQLite connection through the placeholder-
// rewriting, statement-caching connector, and returns it with its driver
// connection so tests can look into the cache.
func openCachingSQLite(t *testing.T) (*sql.DB, *sqliteConn) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "cache.db")
	var conn *sqliteConn
	d := sql.OpenDB(sqliteConnector{dsn: "file:" + path + "?_pragma=journal_mode(WAL)", drv: &sqlite.Driver{}})
	d.SetMaxOpenConns(1)
	t.Cleanup(func() { d.Close() })
	c, err := d.Conn(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if err := c.Raw(func(dc any) error { conn = dc.(*sqliteConn); return nil }); err != nil {
		t.Fatal(err)
	}
	c.Close()
	if _, err := d.Exec(`CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT NOT NULL)`); err != nil {
		t.Fatal(err)
	}
	for i := 1; i <= 5; i++ {
		if _, err := d.Exec(`INSERT INTO t (id, v) VALUES ($1, $2)`, i, fmt.Sprint("v", i)); err != nil {
			t.Fatal(err)
		}
	}
	return d, conn
}

// ids returns the ids of t above min, by a query the cache keeps.
func ids(t *testing.T, q interface {
	Query(string, ...any) (*sql.Rows, error)
}, min int) []int {
	t.Helper()
	rs, err := q.Query(`SELECT id FROM t WHERE id > $1 ORDER BY id`, min)
	if err != nil {
		t.Fatal(err)
	}
	defer rs.Close()
	var out []int
	for rs.Next() {
		var id int
		if err := rs.Scan(&id); err != nil {
			t.Fatal(err)
		}
		out = append(out, id)
	}
	if err := rs.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

// A statement run again while rows read from it are still open runs on its
// own: the open rows carry on where they were.
func TestStmtCacheNestedRuns(t *testing.T) {
	d, conn := openCachingSQLite(t)
	tx, err := d.Begin()
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback()
	rs, err := tx.Query(`SELECT id FROM t WHERE id > $1 ORDER BY id`, 0)
	if err != nil {
		t.Fatal(err)
	}
	var outer []int
	for rs.Next() {
		var id int
		if err := rs.Scan(&id); err != nil {
			t.Fatal(err)
		}
		outer = append(outer, id)
		if got := ids(t, tx, id); len(got) != 5-id {
			t.Fatalf("inner run after %d read %v", id, got)
		}
		// An Exec of the same text must not reset the open rows either.
		if _, err := tx.Exec(`SELECT id FROM t WHERE id > $1 ORDER BY id`, id); err != nil {
			t.Fatal(err)
		}
	}
	if err := rs.Close(); err != nil {
		t.Fatal(err)
	}
	if fmt.Sprint(outer) != "[1 2 3 4 5]" {
		t.Fatalf("outer rows read %v, want [1 2 3 4 5]", outer)
	}
	if err := tx.Commit(); err != nil {
		t.Fatal(err)
	}
	// Once the rows are closed the cached statement serves again.
	if got := ids(t, d, 3); fmt.Sprint(got) != "[4 5]" {
		t.Fatalf("after the nested runs: %v", got)
	}
	e, ok := conn.stmts.byQuery[`SELECT id FROM t WHERE id > $1 ORDER BY id`]
	if !ok || e.Value.(*cachedStmt).busy {
		t.Fatalf("the statement is not cached and free: cached %v", ok)
	}
}

// The cache stays within its size, statements evicted from it still run,
// and long batch texts are not kept.
func TestStmtCacheBounded(t *testing.T) {
	d, conn := openCachingSQLite(t)
	for i := range stmtCacheSize + 50 {
		var n int
		if err := d.QueryRow(fmt.Sprintf(`SELECT count(*) + %d FROM t WHERE id > $1`, i), 2).Scan(&n); err != nil {
			t.Fatal(err)
		}
		if n != 3+i {
			t.Fatalf("statement %d read %d, want %d", i, n, 3+i)
		}
	}
	if got := conn.stmts.recent.Len(); got != stmtCacheSize || len(conn.stmts.byQuery) != stmtCacheSize {
		t.Fatalf("cache holds %d (%d by text), want %d", got, len(conn.stmts.byQuery), stmtCacheSize)
	}
	var n int
	if err := d.QueryRow(`SELECT count(*) + 0 FROM t WHERE id > $1`, 4).Scan(&n); err != nil || n != 1 {
		t.Fatalf("an evicted statement, run again: %d, %v", n, err)
	}
	long := `SELECT count(*) FROM t WHERE id > $1` + strings.Repeat(" ", maxCachedText)
	if err := d.QueryRow(long, 0).Scan(&n); err != nil || n != 5 {
		t.Fatalf("long statement: %d, %v", n, err)
	}
	if _, kept := conn.stmts.byQuery[long]; kept {
		t.Fatal("a statement longer than maxCachedText was cached")
	}
}

// A cached statement follows changes to the schema, and a statement that
// does not compile is reported and not cached.
func TestStmtCacheSchemaChangesAndErrors(t *testing.T) {
	d, conn := openCachingSQLite(t)
	const q = `SELECT * FROM t WHERE id = $1`
	var id int
	var v string
	if err := d.QueryRow(q, 1).Scan(&id, &v); err != nil {
		t.Fatal(err)
	}
	if _, err := d.Exec(`ALTER TABLE t ADD COLUMN w TEXT NOT NULL DEFAULT 'w'`); err != nil {
		t.Fatal(err)
	}
	var w string
	if err := d.QueryRow(q, 1).Scan(&id, &v, &w); err != nil || w != "w" {
		t.Fatalf("cached statement after ALTER TABLE: %q, %v", w, err)
	}
	if _, err := d.Exec(`UPDATE nope SET x = $1`, 1); err == nil || !strings.Contains(err.Error(), "no such table") {
		t.Fatalf("statement on a missing table: %v", err)
	}
	if _, kept := conn.stmts.byQuery[`UPDATE nope SET x = $1`]; kept {
		t.Fatal("a statement that failed to compile was cached")
	}
	if _, err := d.Exec(`INSERT INTO t (id, v) VALUES ($1, $2)`, 1, "dup"); err == nil {
		t.Fatal("duplicate key accepted")
	}
	// The statement that failed runs again with other arguments.
	if _, err := d.Exec(`INSERT INTO t (id, v) VALUES ($1, $2)`, 6, "v6"); err != nil {
		t.Fatalf("cached insert after its failure: %v", err)
	}
}
