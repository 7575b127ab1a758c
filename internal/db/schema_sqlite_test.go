package db_test

import (
	"context"
	"fmt"
	"strings"

	"github.com/soulseer/soulseer/internal/db"
)

// readSQLiteSchema reads tables from sqlite_master and the table_info and
// index_list pragmas; CHECK constraints come from each table's CREATE text.
func readSQLiteSchema(ctx context.Context, q db.Querier) (schema, error) {
	tables, err := queryStrings(ctx, q, "SELECT name, sql FROM sqlite_master WHERE type = 'table'")
	if err != nil {
		return nil, err
	}
	s := schema{}
	for _, row := range tables {
		name, createSQL := row[0], row[1]
		if !ours(name) {
			continue
		}
		tb := &table{columns: map[string]column{}, checks: sqliteChecks(createSQL)}
		s[name] = tb
		cols, err := queryStrings(ctx, q, `SELECT name, type, "notnull", pk FROM pragma_table_info($1)`, name)
		if err != nil {
			return nil, err
		}
		var pk []string
		for _, c := range cols {
			tb.columns[c[0]] = column{family: sqliteFamily(c[1]), notNull: c[2] == "1"}
			if c[3] != "0" {
				pk = append(pk, c[0])
			}
		}
		if len(pk) == 1 && rowidAlias(cols, pk[0]) {
			// An INTEGER PRIMARY KEY is the rowid, which is never NULL.
			c := tb.columns[pk[0]]
			c.notNull = true
			tb.columns[pk[0]] = c
		}
		if len(pk) > 0 {
			tb.uniques = append(tb.uniques, uniqueKey(pk, ""))
		}
		indexes, err := queryStrings(ctx, q, `SELECT name, "unique", partial FROM pragma_index_list($1)`, name)
		if err != nil {
			return nil, err
		}
		for _, ix := range indexes {
			if ix[1] != "1" {
				continue
			}
			keyCols, err := queryStrings(ctx, q, "SELECT coalesce(name, '(expression)') FROM pragma_index_info($1) ORDER BY seqno", ix[0])
			if err != nil {
				return nil, err
			}
			var where string
			if ix[2] == "1" {
				def, err := queryStrings(ctx, q, "SELECT sql FROM sqlite_master WHERE type = 'index' AND name = $1", ix[0])
				if err != nil {
					return nil, err
				}
				if len(def) != 1 {
					return nil, fmt.Errorf("partial index %s: no CREATE INDEX text", ix[0])
				}
				where = indexCondition(def[0][0])
			}
			var names []string
			for _, k := range keyCols {
				names = append(names, k[0])
			}
			tb.uniques = append(tb.uniques, uniqueKey(names, where))
		}
	}
	return s, nil
}

// rowidAlias reports whether col is declared exactly INTEGER, which with a
// one-column primary key makes it SQLite's rowid.
func rowidAlias(cols [][]string, col string) bool {
	for _, c := range cols {
		if c[0] == col {
			return strings.EqualFold(c[1], "INTEGER")
		}
	}
	return false
}

// sqliteFamily maps a declared type to its family by SQLite's affinity
// rules, except that BOOLEAN is its own family (as on PostgreSQL) and JSON
// is text.
func sqliteFamily(decl string) string {
	u := strings.ToUpper(decl)
	switch {
	case strings.Contains(u, "BOOL"):
		return "boolean"
	case strings.Contains(u, "INT"):
		return "integer"
	case strings.Contains(u, "CHAR"), strings.Contains(u, "CLOB"), strings.Contains(u, "TEXT"), strings.Contains(u, "JSON"):
		return "text"
	case u == "", strings.Contains(u, "BLOB"):
		return "blob"
	case strings.Contains(u, "REAL"), strings.Contains(u, "FLOA"), strings.Contains(u, "DOUB"):
		return "real"
	}
	return "numeric"
}

// sqliteChecks returns the normalised expression of every CHECK in a CREATE
// TABLE statement, column and table constraints alike.
func sqliteChecks(createSQL string) []string {
	toks := tokenize(createSQL)
	var out []string
	for i := 0; i < len(toks); i++ {
		if toks[i].kind != word || toks[i].text != "check" || i+1 >= len(toks) || toks[i+1].text != "(" {
			continue
		}
		depth, j := 0, i+1
		for ; j < len(toks); j++ {
			switch toks[j].text {
			case "(":
				depth++
			case ")":
				depth--
			}
			if depth == 0 {
				break
			}
		}
		out = append(out, signature(toks[i+1:j+1]))
		i = j
	}
	return out
}

// indexCondition returns the normalised WHERE clause of a CREATE INDEX
// statement.
func indexCondition(createSQL string) string {
	toks := tokenize(createSQL)
	for i, tk := range toks {
		if tk.kind == word && tk.text == "where" {
			return signature(toks[i+1:])
		}
	}
	return ""
}
