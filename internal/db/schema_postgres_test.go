package db_test

import (
	"context"
	"strings"

	"github.com/soulseer/soulseer/internal/db"
)

// readPostgresSchema reads the tables of the current schema from pg_catalog.
func readPostgresSchema(ctx context.Context, q db.Querier) (schema, error) {
	tables, err := queryStrings(ctx, q, `SELECT c.oid::text, c.relname FROM pg_class c
		JOIN pg_namespace n ON n.oid = c.relnamespace
		WHERE n.nspname = current_schema() AND c.relkind IN ('r', 'p')`)
	if err != nil {
		return nil, err
	}
	s := schema{}
	for _, row := range tables {
		oid, name := row[0], row[1]
		if !ours(name) {
			continue
		}
		tb := &table{columns: map[string]column{}}
		s[name] = tb
		cols, err := queryStrings(ctx, q, `SELECT attname, format_type(atttypid, atttypmod), attnotnull::text, attidentity::text
			FROM pg_attribute WHERE attrelid = $1::oid AND attnum > 0 AND NOT attisdropped`, oid)
		if err != nil {
			return nil, err
		}
		for _, c := range cols {
			tb.columns[c[0]] = column{family: postgresFamily(c[1]), notNull: c[2] == "true"}
			if c[3] == "a" {
				// GENERATED ALWAYS AS IDENTITY: only the sequence assigns it, so it
				// is unique like SQLite's rowid, without an index to say so.
				tb.uniques = append(tb.uniques, uniqueKey([]string{c[0]}, ""))
			}
		}
		uniques, err := queryStrings(ctx, q, `SELECT
			array_to_string(ARRAY(SELECT pg_get_indexdef(i.indexrelid, k, true) FROM generate_series(1, i.indnkeyatts) k ORDER BY k), ','),
			coalesce(pg_get_expr(i.indpred, i.indrelid, true), '')
			FROM pg_index i WHERE i.indrelid = $1::oid AND i.indisunique`, oid)
		if err != nil {
			return nil, err
		}
		for _, u := range uniques {
			var where string
			if u[1] != "" {
				where = signature(tokenize(u[1]))
			}
			tb.uniques = append(tb.uniques, uniqueKey(strings.Split(u[0], ","), where))
		}
		checks, err := queryStrings(ctx, q, "SELECT pg_get_constraintdef(oid, true) FROM pg_constraint WHERE conrelid = $1::oid AND contype = 'c'", oid)
		if err != nil {
			return nil, err
		}
		for _, c := range checks {
			tb.checks = append(tb.checks, signature(tokenize(strings.TrimPrefix(c[0], "CHECK "))))
		}
	}
	return s, nil
}

// postgresFamily maps a PostgreSQL type to the family the test compares.
func postgresFamily(typ string) string {
	base, _, _ := strings.Cut(typ, "(")
	switch base {
	case "smallint", "integer", "bigint":
		return "integer"
	case "text", "character varying", "character", "json", "jsonb":
		return "text"
	case "boolean":
		return "boolean"
	case "real", "double precision":
		return "real"
	case "numeric":
		return "numeric"
	case "bytea":
		return "blob"
	}
	return typ
}
