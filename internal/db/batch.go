package db

import (
	"slices"
	"strconv"
	"strings"
)

// MaxParams bounds the parameters of one batched statement, below both
// engines' limits (SQLite 32766, PostgreSQL 65535). SQLite statements bind
// plain "?" placeholders (see sqlite_params.go), so long statements cost no
// more per parameter than short ones.
const MaxParams = 30000

// Values returns a VALUES list of n rows of cols placeholders starting at $1,
// e.g. Values(2, 2, true) = "(CAST($1 AS BIGINT), CAST($2 AS BIGINT)), (…)".
// With cast, every placeholder is typed BIGINT, so PostgreSQL knows the types
// of a VALUES list used in a FROM clause; both engines accept the CAST.
func Values(n, cols int, cast bool) string {
	var b strings.Builder
	p := 1
	for r := range n {
		if r > 0 {
			b.WriteString(", ")
		}
		b.WriteByte('(')
		for c := range cols {
			if c > 0 {
				b.WriteString(", ")
			}
			if cast {
				b.WriteString("CAST(")
			}
			b.WriteString("$" + strconv.Itoa(p))
			if cast {
				b.WriteString(" AS BIGINT)")
			}
			p++
		}
		b.WriteByte(')')
	}
	return b.String()
}

// Params returns "$1, $2, …, $n", for IN lists.
func Params(n int) string {
	ps := make([]string, n)
	for i := range ps {
		ps[i] = "$" + strconv.Itoa(i+1)
	}
	return strings.Join(ps, ", ")
}

// Chunks splits s so that each piece, at cols parameters per element, fits
// in one statement of at most MaxParams parameters.
func Chunks[T any](s []T, cols int) [][]T {
	return slices.Collect(slices.Chunk(s, MaxParams/cols))
}

// ForUpdateOf is ForUpdate for a SELECT that joins other tables: it locks
// only the rows of the table with this alias (" FOR UPDATE OF r").
func (db *DB) ForUpdateOf(alias string) string {
	if f := db.engine.forUpdate(); f != "" {
		return f + " OF " + alias
	}
	return ""
}

// SkipLockedOf locks the selected rows of the aliased table and skips rows
// another transaction holds (" FOR UPDATE OF r SKIP LOCKED" on PostgreSQL),
// so concurrent workers share a queue of rows; SQLite's single writer
// already serialises them.
func (db *DB) SkipLockedOf(alias string) string {
	if f := db.ForUpdateOf(alias); f != "" {
		return f + " SKIP LOCKED"
	}
	return ""
}
