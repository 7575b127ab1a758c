package db_test

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/soulseer/soulseer/internal/db"
	"github.com/soulseer/soulseer/internal/db/dbtest"
)

// textKeyTables are the SQLite tables whose PRIMARY KEY took NULL until
// migration 0007 rebuilt them with NOT NULL, each with an insert whose only
// argument is the key and which is otherwise valid once keyParents exist.
var textKeyTables = []struct {
	table, key, insert string
	keys               []any // three distinct keys with parents in keyParents
}{
	{"sessions", "token_hash", "INSERT INTO sessions (token_hash, user_id, created_at, expires_at, ip) VALUES ($1, 1, 10, 20, '127.0.0.1')",
		[]any{"s1", "s2", "s3"}},
	{"password_resets", "token_hash", "INSERT INTO password_resets (token_hash, user_id, created_at, expires_at) VALUES ($1, 1, 10, 20)",
		[]any{"r1", "r2", "r3"}},
	{"rate_limit_buckets", "key", "INSERT INTO rate_limit_buckets (key, updated_at) VALUES ($1, 10)",
		[]any{"k1", "k2", "k3"}},
	{"reader_profiles", "user_id", "INSERT INTO reader_profiles (user_id, tagline, status_changed_at, created_at, updated_at, last_seen_at) VALUES ($1, 'tag', 10, 10, 10, 30)",
		[]any{2, 3, 4}},
	{"reading_notes", "reading_id", "INSERT INTO reading_notes (reading_id, client_id, body, updated_at) VALUES ($1, 1, 'note', 10)",
		[]any{1, 2, 3}},
	{"reviews", "reading_id", "INSERT INTO reviews (reading_id, client_id, reader_id, rating, body, created_at) VALUES ($1, 1, 2, 5, 'kind', 10)",
		[]any{1, 2, 3}},
	{"disputes", "id", "INSERT INTO disputes (id, topup_id, user_id, amount_cents, held_cents, status, created_at, updated_at) VALUES ($1, 1, 1, 500, 500, 'needs_response', 10, 10)",
		[]any{"dp_1", "dp_2", "dp_3"}},
	{"test_charges", "id", "INSERT INTO test_charges (id, payment_intent_id, amount_cents, created_at) VALUES ($1, 'pi_' || $1, 500, 10)",
		[]any{"ch_1", "ch_2", "ch_3"}},
}

// keyParents are the rows textKeyTables' foreign keys point at: a client
// (1), three readers (2-4), a top-up and three finished readings.
var keyParents = []string{
	"INSERT INTO users (id, email, display_name, role, created_at, updated_at) VALUES (1, 'c@example.com', 'C', 'client', 1, 1)",
	"INSERT INTO users (id, email, display_name, role, created_at, updated_at) VALUES (2, 'r2@example.com', 'R2', 'reader', 1, 1)",
	"INSERT INTO users (id, email, display_name, role, created_at, updated_at) VALUES (3, 'r3@example.com', 'R3', 'reader', 1, 1)",
	"INSERT INTO users (id, email, display_name, role, created_at, updated_at) VALUES (4, 'r4@example.com', 'R4', 'reader', 1, 1)",
	"INSERT INTO topups (id, user_id, amount_cents, currency, mode, created_at) VALUES (1, 1, 500, 'usd', 'test', 1)",
	`INSERT INTO readings (id, client_id, reader_id, modality, rate_cents, platform_share_pct, period_ms, state, created_at, updated_at)
		VALUES (1, 1, 2, 'text', 100, 30, 60000, 'finalized', 1, 1), (2, 1, 3, 'voice', 100, 30, 60000, 'finalized', 1, 1),
		(3, 1, 4, 'video', 100, 30, 60000, 'finalized', 1, 1)`,
}

func execAll(t *testing.T, d *db.DB, stmts ...string) {
	t.Helper()
	for _, s := range stmts {
		if _, err := d.Writer.Exec(s); err != nil {
			t.Fatalf("%s: %v", s, err)
		}
	}
}

// After migrating, SQLite refuses a NULL key in every table that took one
// before 0007, exactly as PostgreSQL does, while the same insert with a key
// succeeds.
func TestSQLitePrimaryKeysRefuseNull(t *testing.T) {
	d := dbtest.Open(t, db.SQLite)
	execAll(t, d, keyParents...)
	for _, tc := range textKeyTables {
		_, err := d.Writer.Exec(tc.insert, nil)
		if want := "NOT NULL constraint failed: " + tc.table + "." + tc.key; err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%s with a NULL %s: got %v, want %q", tc.table, tc.key, err, want)
		}
		if _, err := d.Writer.Exec(tc.insert, tc.keys[0]); err != nil {
			t.Errorf("%s with a key: %v", tc.table, err)
		}
	}
}

// Migration 0007 keeps every row of a database migrated up to 0006, with
// its rowid, in every table (reader_specialties included, whose rows the
// rebuild of reader_profiles would otherwise cascade away); it leaves each
// rebuilt table's columns, defaults, foreign keys, CHECKs, indexes and
// triggers as they were except NOT NULL on the key, and foreign keys and the
// file's integrity hold afterwards.
func TestSQLiteKeyMigrationKeepsRows(t *testing.T) {
	d := openSQLiteAt(t, 6)
	execAll(t, d, keyParents...)
	for _, tc := range textKeyTables {
		for _, k := range tc.keys {
			if _, err := d.Writer.Exec(tc.insert, k); err != nil {
				t.Fatalf("%s: %v", tc.table, err)
			}
		}
		// a gap in the rowids, which the rebuild must keep
		if _, err := d.Writer.Exec(fmt.Sprintf("DELETE FROM %s WHERE %s = $1", tc.table, tc.key), tc.keys[1]); err != nil {
			t.Fatal(err)
		}
	}
	execAll(t, d,
		"INSERT INTO reader_specialties (reader_id, specialty) VALUES (2, 'tarot'), (2, 'astrology'), (4, 'runes')",
		"UPDATE reader_profiles SET simulated_presence = TRUE, rate_text_cents = 150 WHERE user_id = 4",
		"UPDATE password_resets SET used_at = 15 WHERE token_hash = 'r3'",
		"UPDATE test_charges SET refunded_cents = 200 WHERE id = 'ch_3'")

	tables := ourTables(t, d)
	rowsBefore := map[string][]string{}
	for _, name := range tables {
		rowsBefore[name] = dumpRows(t, d, "SELECT rowid, * FROM "+name+" ORDER BY rowid")
	}
	if n := len(rowsBefore["reader_specialties"]); n != 3 {
		t.Fatalf("reader_specialties has %d rows before migrating, want 3", n)
	}
	shapeBefore := map[string][]string{}
	for _, tc := range textKeyTables {
		shapeBefore[tc.table] = tableShape(t, d, tc.table)
	}

	migrateThrough(t, d, 7)

	// 0007 may add tables of its own; none of these may go.
	after := slices.DeleteFunc(ourTables(t, d), func(name string) bool { return !slices.Contains(tables, name) })
	if !slices.Equal(after, tables) {
		t.Errorf("tables after 0007: %q, before: %q", after, tables)
	}
	for _, name := range tables {
		if after := dumpRows(t, d, "SELECT rowid, * FROM "+name+" ORDER BY rowid"); !slices.Equal(after, rowsBefore[name]) {
			t.Errorf("%s rows changed:\n\tbefore: %q\n\tafter:  %q", name, rowsBefore[name], after)
		}
	}
	for _, tc := range textKeyTables {
		want := slices.Clone(shapeBefore[tc.table])
		old := keyColumnLine(t, want, tc.key)
		want[slices.Index(want, old)] = strings.Replace(old, " notnull=0 ", " notnull=1 ", 1)
		if got := tableShape(t, d, tc.table); !slices.Equal(got, want) {
			t.Errorf("%s changed other than NOT NULL on %s:\n\twant: %q\n\tgot:  %q", tc.table, tc.key, want, got)
		}
	}
	if bad := dumpRows(t, d, "SELECT * FROM pragma_foreign_key_check"); len(bad) > 0 {
		t.Errorf("foreign key violations after 0007: %q", bad)
	}
	if ok := dumpRows(t, d, "SELECT * FROM pragma_integrity_check"); !slices.Equal(ok, []string{"ok"}) {
		t.Errorf("integrity check after 0007: %q", ok)
	}
	// The rebuilt reader_profiles is still the parent reader_specialties
	// cascades from.
	execAll(t, d, "DELETE FROM reader_profiles WHERE user_id = 2")
	if got := dumpRows(t, d, "SELECT reader_id, specialty FROM reader_specialties ORDER BY rowid"); !slices.Equal(got, []string{"int64:4|runes"}) {
		t.Errorf("reader_specialties after deleting reader 2's profile: %q", got)
	}
}

// A NULL key written before 0007 stops the migration and leaves the
// database as it was, 0007 still pending, rather than losing the row.
func TestSQLiteKeyMigrationRefusesNullKey(t *testing.T) {
	ctx := context.Background()
	d := openSQLiteAt(t, 6)
	execAll(t, d, keyParents...)
	execAll(t, d, "INSERT INTO reader_profiles (user_id, status_changed_at, created_at, updated_at) VALUES (2, 1, 1, 1)",
		"INSERT INTO reader_specialties (reader_id, specialty) VALUES (2, 'tarot')",
		"INSERT INTO sessions (token_hash, user_id, created_at, expires_at) VALUES (NULL, 1, 10, 20)")
	before := dumpRows(t, d, "SELECT type, name, sql FROM sqlite_master ORDER BY name")
	err := d.Migrate(ctx, discard(), nil)
	if err == nil || !strings.Contains(err.Error(), "NOT NULL constraint failed: sessions_new.token_hash") {
		t.Fatalf("migrate with a NULL session key: %v", err)
	}
	if p, err := d.Pending(ctx); err != nil || len(p) == 0 || p[0].Version != 7 {
		t.Fatalf("pending after the failed migration: %v %v", p, err)
	}
	if after := dumpRows(t, d, "SELECT type, name, sql FROM sqlite_master ORDER BY name"); !slices.Equal(after, before) {
		t.Errorf("schema changed by the failed migration:\n\tbefore: %q\n\tafter:  %q", before, after)
	}
	for q, want := range map[string]string{
		"SELECT count(*) FROM sessions WHERE token_hash IS NULL": "int64:1",
		"SELECT count(*) FROM reader_specialties":                "int64:1",
	} {
		if got := dumpRows(t, d, q); !slices.Equal(got, []string{want}) {
			t.Errorf("%s: %q, want %s", q, got, want)
		}
	}
}

// openSQLiteAt returns a fresh SQLite database with migrations up to and
// including version applied and recorded, as a SoulSeer of that release
// left it, so that Migrate applies only the later ones.
func openSQLiteAt(t *testing.T, version int) *db.DB {
	t.Helper()
	return openAt(t, db.SQLite, version)
}

// openAt is openSQLiteAt for engine e.
func openAt(t *testing.T, e db.Engine, version int) *db.DB {
	t.Helper()
	url, dir := dbtest.URL(t, e)
	d, err := db.Open(context.Background(), url, dir, 1)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { d.Close() })
	execAll(t, d, `CREATE TABLE schema_migrations (
		version BIGINT PRIMARY KEY, name TEXT NOT NULL, applied_at BIGINT NOT NULL)`)
	if applied := migrateThrough(t, d, version); applied != version {
		t.Fatalf("applied %d migrations, want %d", applied, version)
	}
	return d
}

// migrateThrough applies the migrations d has not applied yet, up to
// and including version, as Migrate would, and says how many it applied;
// a test of one migration stops there, so later ones cannot change what it
// checks.
func migrateThrough(t *testing.T, d *db.DB, version int) int {
	t.Helper()
	ctx := context.Background()
	pending, err := d.Pending(ctx)
	if err != nil {
		t.Fatal(err)
	}
	applied := 0
	for _, m := range pending {
		if m.Version > version {
			break
		}
		tx, err := d.Writer.BeginTx(ctx, nil)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := tx.Exec(m.SQL); err != nil {
			t.Fatalf("%s: %v", m.Name, err)
		}
		if _, err := tx.Exec("INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, 0)", m.Version, m.Name); err != nil {
			t.Fatal(err)
		}
		if err := tx.Commit(); err != nil {
			t.Fatal(err)
		}
		applied++
	}
	return applied
}

// ourTables lists SoulSeer's own tables by name.
func ourTables(t *testing.T, d *db.DB) []string {
	t.Helper()
	var out []string
	for _, name := range dumpRows(t, d, "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name") {
		if ours(name) {
			out = append(out, name)
		}
	}
	return out
}

// tableShape describes everything about a SQLite table but its rows and the
// text of its CREATE statement: columns with type, NOT NULL, default and
// key position; foreign keys with their actions; CHECK expressions; indexes
// with their columns, uniqueness, origin and CREATE text (so a partial
// index's condition); and triggers.
func tableShape(t *testing.T, d *db.DB, name string) []string {
	t.Helper()
	var out []string
	for _, r := range dumpRows(t, d, `SELECT CAST(cid AS TEXT), name, type, CAST("notnull" AS TEXT), coalesce(dflt_value, 'NULL'), CAST(pk AS TEXT), CAST(hidden AS TEXT)
		FROM pragma_table_xinfo($1) ORDER BY cid`, name) {
		f := strings.Split(r, "|")
		out = append(out, fmt.Sprintf("column %s %s type=%s notnull=%s default=%s pk=%s hidden=%s", f[0], f[1], f[2], f[3], f[4], f[5], f[6]))
	}
	for _, r := range dumpRows(t, d, `SELECT id, seq, "table", "from", "to", on_update, on_delete, match FROM pragma_foreign_key_list($1) ORDER BY id, seq`, name) {
		out = append(out, "foreign key "+r)
	}
	sqlText := dumpRows(t, d, "SELECT sql FROM sqlite_master WHERE type = 'table' AND name = $1", name)
	if len(sqlText) != 1 {
		t.Fatalf("table %s: %q", name, sqlText)
	}
	for _, c := range sqliteChecks(sqlText[0]) {
		out = append(out, "check "+c)
	}
	for _, ix := range dumpRows(t, d, `SELECT name, "unique", origin, partial FROM pragma_index_list($1) ORDER BY name`, name) {
		ixName, _, _ := strings.Cut(ix, "|")
		cols := dumpRows(t, d, "SELECT coalesce(name, '(expression)') || ' ' || desc || ' ' || coll FROM pragma_index_xinfo($1) WHERE key ORDER BY seqno", ixName)
		def := dumpRows(t, d, "SELECT coalesce(sql, '') FROM sqlite_master WHERE type = 'index' AND name = $1", ixName)
		out = append(out, fmt.Sprintf("index %s cols=%q sql=%q", ix, cols, def))
	}
	for _, tr := range dumpRows(t, d, "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = $1 ORDER BY name", name) {
		out = append(out, "trigger "+tr)
	}
	return out
}

// keyColumnLine finds the description tableShape gives of column col.
func keyColumnLine(t *testing.T, shape []string, col string) string {
	t.Helper()
	for _, l := range shape {
		if f := strings.Fields(l); len(f) > 2 && f[0] == "column" && f[2] == col {
			if !strings.Contains(l, " notnull=0 ") || strings.Contains(l, " pk=0 ") {
				t.Fatalf("before 0007 the key should be a nullable primary key: %s", l)
			}
			return l
		}
	}
	t.Fatalf("no column %s in %q", col, shape)
	return ""
}

// dumpRows runs a query and gives each row as its values joined by "|",
// with NULL written as NULL and every value's Go type kept apart.
func dumpRows(t *testing.T, d *db.DB, query string, args ...any) []string {
	t.Helper()
	rows, err := d.Read().QueryContext(context.Background(), query, args...)
	if err != nil {
		t.Fatalf("%s: %v", query, err)
	}
	defer rows.Close()
	cols, err := rows.Columns()
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for rows.Next() {
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			t.Fatal(err)
		}
		parts := make([]string, len(vals))
		for i, v := range vals {
			switch v := v.(type) {
			case nil:
				parts[i] = "NULL"
			case []byte:
				parts[i] = fmt.Sprintf("blob:%x", v)
			case string:
				parts[i] = v
			default:
				parts[i] = fmt.Sprintf("%T:%v", v, v)
			}
		}
		out = append(out, strings.Join(parts, "|"))
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}
