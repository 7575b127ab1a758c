package ledger

import (
	"slices"
	"strconv"
	"strings"
)

// Statements take at most this many parameters; bigger batches go in
// chunks. Both engines allow far more (SQLite 32766, PostgreSQL 65535), but
// very long statements cost more to parse and plan than they save: 2000
// keeps a 100,000-transfer billing sweep to a few hundred statements.
const maxParams = 2000

// rows returns a VALUES list of n rows of cols placeholders starting at $1,
// e.g. rows(2, 2, true) = "(CAST($1 AS BIGINT), CAST($2 AS BIGINT)), (…)".
// With cast, every placeholder is typed BIGINT so PostgreSQL knows the types
// of a VALUES list in a FROM clause.
func rows(n, cols int, cast bool) string {
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

// list returns "$1, $2, …, $n".
func list(n int) string {
	ps := make([]string, n)
	for i := range ps {
		ps[i] = "$" + strconv.Itoa(i+1)
	}
	return strings.Join(ps, ", ")
}

// chunks splits s so that each piece, at cols parameters per element, fits
// in one statement.
func chunks[T any](s []T, cols int) [][]T {
	return slices.Collect(slices.Chunk(s, maxParams/cols))
}
