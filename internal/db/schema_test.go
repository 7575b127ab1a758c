package db_test

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"strings"
	"testing"

	"github.com/soulseer/soulseer/internal/db"
	"github.com/soulseer/soulseer/internal/db/dbtest"
)

// The SQLite and PostgreSQL migrations build the same schema: the same
// tables with the same columns (name, type family, nullability), the same
// unique keys (column sets, and the condition of a partial one) and the same
// CHECK constraints, read back from each engine's catalog after migrating a
// fresh database. River's tables, schema_migrations and the forum's search
// index are left out. Every
// primary key is NOT NULL on both: SQLite lets NULL into a PRIMARY KEY column
// that is neither INTEGER PRIMARY KEY nor declared NOT NULL
// (https://sqlite.org/lang_createtable.html), so such a key must say NOT NULL
// on SQLite, as migration 0007 made the earlier ones do.
func TestSchemasMatch(t *testing.T) {
	lite := readSchema(t, dbtest.Open(t, db.SQLite))
	pg := readSchema(t, dbtest.Open(t, db.Postgres))
	checkNotEmpty(t, "sqlite", lite)
	checkNotEmpty(t, "postgres", pg)
	for _, d := range diffSchemas(lite, pg) {
		t.Error(d)
	}
}

// The comparison reports every kind of difference it looks for, so a test
// that passes means the schemas agree, not that nothing was compared.
func TestSchemaDiffFindsDifferences(t *testing.T) {
	d := dbtest.Open(t, db.SQLite)
	base := readSchema(t, d)
	checkNotEmpty(t, "sqlite", base)
	for what, ddl := range map[string]string{
		"a table":          "CREATE TABLE extra_table (id INTEGER PRIMARY KEY)",
		"a column":         "ALTER TABLE users ADD COLUMN nickname TEXT",
		"a unique index":   "CREATE UNIQUE INDEX users_name_unique ON users (display_name)",
		"a partial unique": "CREATE UNIQUE INDEX users_admin_name ON users (display_name) WHERE role = 'admin'",
		"a CHECK":          "ALTER TABLE users ADD COLUMN shoe_size INTEGER CHECK (shoe_size > 0)",
	} {
		changed := dbtest.Open(t, db.SQLite)
		if _, err := changed.Writer.Exec(ddl); err != nil {
			t.Fatal(err)
		}
		if diffs := diffSchemas(base, readSchema(t, changed)); len(diffs) == 0 {
			t.Errorf("adding %s went unreported: %s", what, ddl)
		}
	}
	for what, change := range map[string]func(s schema){
		"nullability": func(s schema) {
			c := s["users"].columns["email"]
			c.notNull = !c.notNull
			s["users"].columns["email"] = c
		},
		"type family": func(s schema) {
			c := s["users"].columns["email"]
			c.family = "integer"
			s["users"].columns["email"] = c
		},
		"a CHECK's text":     func(s schema) { s["users"].checks[0] += " x" },
		"a unique key":       func(s schema) { s["users"].uniques = s["users"].uniques[1:] },
		"a unique condition": func(s schema) { s["readings"].uniques[0] += " x" },
	} {
		changed := readSchema(t, d)
		change(changed)
		if diffs := diffSchemas(base, changed); len(diffs) == 0 {
			t.Errorf("a change of %s went unreported", what)
		}
	}
}

// schema is what the test compares, by table name.
type schema map[string]*table

type table struct {
	columns map[string]column
	uniques []string // sorted column lists, each with its condition when partial
	checks  []string // normalised CHECK expressions
}

type column struct {
	family  string // integer, text, boolean, real, numeric, blob, or the engine's own name
	notNull bool
}

func (c column) String() string {
	if c.notNull {
		return c.family + " NOT NULL"
	}
	return c.family
}

// checkNotEmpty fails when a catalog read found nothing to compare.
func checkNotEmpty(t *testing.T, engine string, s schema) {
	t.Helper()
	var uniques, checks int
	for name, tb := range s {
		if len(tb.columns) == 0 {
			t.Fatalf("%s: table %s has no columns", engine, name)
		}
		uniques += len(tb.uniques)
		checks += len(tb.checks)
	}
	if len(s) < 5 || uniques < len(s) || checks == 0 {
		t.Fatalf("%s: read %d tables, %d unique keys, %d checks: the catalog query is broken", engine, len(s), uniques, checks)
	}
}

// diffSchemas lists every difference between the two schemas in words.
func diffSchemas(lite, pg schema) []string {
	var out []string
	for _, name := range slices.Sorted(maps.Keys(lite)) {
		if pg[name] == nil {
			out = append(out, fmt.Sprintf("table %s is only on SQLite", name))
		}
	}
	for _, name := range slices.Sorted(maps.Keys(pg)) {
		l, p := lite[name], pg[name]
		if l == nil {
			out = append(out, fmt.Sprintf("table %s is only on PostgreSQL", name))
			continue
		}
		cols := slices.Sorted(maps.Keys(l.columns))
		for _, c := range slices.Sorted(maps.Keys(p.columns)) {
			if _, ok := l.columns[c]; !ok {
				cols = append(cols, c)
			}
		}
		for _, c := range cols {
			lc, lok := l.columns[c]
			pc, pok := p.columns[c]
			switch {
			case !pok:
				out = append(out, fmt.Sprintf("%s.%s is only on SQLite", name, c))
			case !lok:
				out = append(out, fmt.Sprintf("%s.%s is only on PostgreSQL", name, c))
			case lc != pc:
				out = append(out, fmt.Sprintf("%s.%s is %s on SQLite but %s on PostgreSQL", name, c, lc, pc))
			}
		}
		if !slices.Equal(l.uniques, p.uniques) {
			out = append(out, fmt.Sprintf("%s unique keys differ:\n\tSQLite:     %q\n\tPostgreSQL: %q", name, l.uniques, p.uniques))
		}
		if !slices.Equal(l.checks, p.checks) {
			out = append(out, fmt.Sprintf("%s CHECK constraints differ:\n\tSQLite:     %q\n\tPostgreSQL: %q", name, l.checks, p.checks))
		}
	}
	return out
}

// readSchema reads SoulSeer's tables from the database's catalog.
func readSchema(t *testing.T, d *db.DB) schema {
	t.Helper()
	var s schema
	var err error
	if d.Engine == db.SQLite {
		s, err = readSQLiteSchema(context.Background(), d.Read())
	} else {
		s, err = readPostgresSchema(context.Background(), d.Read())
	}
	if err != nil {
		t.Fatalf("read %s schema: %v", d.Engine, err)
	}
	for _, tb := range s {
		slices.Sort(tb.uniques)
		tb.uniques = slices.Compact(tb.uniques)
		slices.Sort(tb.checks)
	}
	return s
}

// ours reports whether a table belongs to SoulSeer's own schema, not to the
// job queue, the migration bookkeeping or a search index: the forum's
// search is an FTS5 table (and its shadow tables) on SQLite and expression
// indexes on PostgreSQL (migration 0030).
func ours(name string) bool {
	return !strings.HasPrefix(name, "river_") && name != "schema_migrations" && !strings.HasPrefix(name, "sqlite_") &&
		!strings.HasPrefix(name, "forum_search")
}

// uniqueKey is one unique key: its columns in a fixed order, and the
// normalised condition of a partial index.
func uniqueKey(cols []string, where string) string {
	slices.Sort(cols)
	k := strings.Join(cols, ",")
	if where != "" {
		k += " WHERE " + where
	}
	return k
}

// queryStrings runs a query returning rows of string columns.
func queryStrings(ctx context.Context, q db.Querier, query string, args ...any) ([][]string, error) {
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	cols, err := rows.Columns()
	if err != nil {
		return nil, err
	}
	var out [][]string
	for rows.Next() {
		row := make([]string, len(cols))
		ptrs := make([]any, len(cols))
		for i := range row {
			ptrs[i] = &row[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			return nil, err
		}
		out = append(out, row)
	}
	return out, rows.Err()
}
