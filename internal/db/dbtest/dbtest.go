// Package dbtest gives tests a fresh database on every engine SoulSeer
// supports, so one store test suite runs against SQLite and PostgreSQL.
//
// SQLite always runs. PostgreSQL runs when SOULSEER_TEST_DATABASE_URL names a
// server (e.g. postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable);
// each test gets its own database there, named after the URL's database and
// dropped afterwards. Without the URL every PostgreSQL test is skipped with a
// message saying what to set; with CI=true it fails instead.
package dbtest

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"fmt"
	"io"
	"log/slog"
	"net/url"
	"os"
	"strings"
	"testing"

	_ "github.com/jackc/pgx/v5/stdlib"

	"github.com/soulseer/soulseer/internal/db"
)

// EnvPostgres names the variable holding the PostgreSQL server URL for tests.
const EnvPostgres = "SOULSEER_TEST_DATABASE_URL"

// Required reports whether tests must not skip for a missing dependency
// (PostgreSQL, Chromium, stripe-mock): true under CI.
func Required() bool { return os.Getenv("CI") == "true" }

// SkipOrFail skips the test with a message naming what to set, or fails it
// when dependencies are required.
func SkipOrFail(t testing.TB, format string, args ...any) {
	t.Helper()
	msg := fmt.Sprintf(format, args...)
	if Required() {
		t.Fatalf("required dependency missing (CI=true): %s", msg)
	}
	t.Skip(msg)
}

// Engines lists the engines to test: always both, so a test run without
// SOULSEER_TEST_DATABASE_URL shows each PostgreSQL subtest as skipped, with
// the reason, instead of leaving it out without a word (and fails it under
// CI=true).
func Engines() []db.Engine { return []db.Engine{db.SQLite, db.Postgres} }

// Each runs f as a subtest once per engine, each with a fresh migrated database.
func Each(t *testing.T, f func(t *testing.T, d *db.DB)) {
	t.Helper()
	for _, e := range Engines() {
		t.Run(string(e), func(t *testing.T) {
			f(t, Open(t, e))
		})
	}
}

// URL creates an empty database for the test and returns the DATABASE_URL
// that names it ("" for SQLite, which then lives in dataDir) and a data dir.
// The database is dropped when the test ends.
func URL(t testing.TB, e db.Engine) (databaseURL, dataDir string) {
	t.Helper()
	dataDir = t.TempDir()
	if e == db.SQLite {
		return "", dataDir
	}
	return NewPostgresDatabase(t), dataDir
}

// Open returns a fresh database of engine e with SoulSeer's schema applied.
func Open(t testing.TB, e db.Engine) *db.DB {
	t.Helper()
	u, dir := URL(t, e)
	d, err := db.Open(context.Background(), u, dir, 8)
	if err != nil {
		t.Fatalf("open %s: %v", e, err)
	}
	t.Cleanup(func() { d.Close() })
	if err := d.Migrate(context.Background(), slog.New(slog.NewTextHandler(io.Discard, nil)), nil); err != nil {
		t.Fatalf("migrate %s: %v", e, err)
	}
	return d
}

// NewPostgresDatabase creates an empty PostgreSQL database on the test server
// and returns its URL; it is dropped (connections forced closed) at cleanup.
func NewPostgresDatabase(t testing.TB) string {
	t.Helper()
	admin := os.Getenv(EnvPostgres)
	if admin == "" {
		SkipOrFail(t, "PostgreSQL tests need %s=postgres://user@host:port/postgres?sslmode=disable", EnvPostgres)
	}
	u, err := url.Parse(admin)
	if err != nil {
		t.Fatalf("%s: %v", EnvPostgres, err)
	}
	conn, err := sql.Open("pgx", admin)
	if err != nil {
		t.Fatalf("connect to %s: %v", EnvPostgres, err)
	}
	defer conn.Close()
	name := databaseName(u)
	if _, err := conn.Exec("CREATE DATABASE " + name); err != nil {
		SkipOrFail(t, "cannot create a PostgreSQL test database via %s: %v", EnvPostgres, err)
	}
	t.Cleanup(func() {
		c, err := sql.Open("pgx", admin)
		if err != nil {
			return
		}
		defer c.Close()
		_, _ = c.Exec("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)")
	})
	u.Path = "/" + name
	return u.String()
}

// maxIdentifier is the longest name PostgreSQL keeps without truncating it.
const maxIdentifier = 63

// databaseName names a new test database after the database the server URL
// names: "<that database>_test_<random hex>". A run that points the tests at
// its own database (as .ci/run does) can then drop exactly its own leftovers,
// never another run's.
func databaseName(server *url.URL) string {
	var b [6]byte
	_, _ = rand.Read(b[:])
	suffix := "_test_" + hex.EncodeToString(b[:])
	prefix := []byte(strings.ToLower(strings.TrimPrefix(server.Path, "/")))
	for i, c := range prefix {
		if (c < 'a' || c > 'z') && (c < '0' || c > '9') {
			prefix[i] = '_'
		}
	}
	if len(prefix) == 0 || prefix[0] >= '0' && prefix[0] <= '9' {
		prefix = append([]byte("soulseer"), prefix...) // a name must not start with a digit
	}
	return string(prefix[:min(len(prefix), maxIdentifier-len(suffix))]) + suffix
}

// Tables lists the tables of d's schema by name, SQLite's own left out.
func Tables(t testing.TB, d *db.DB) []string {
	t.Helper()
	query := `SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite\_%' ESCAPE '\' ORDER BY name`
	if d.Engine == db.Postgres {
		query = `SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() ORDER BY table_name`
	}
	rows, err := d.Read().QueryContext(context.Background(), query)
	if err != nil {
		t.Fatal(err)
	}
	names, err := db.Collect(rows, func(r db.Row) (string, error) {
		var s string
		err := r.Scan(&s)
		return s, err
	})
	if err != nil {
		t.Fatal(err)
	}
	return names
}
