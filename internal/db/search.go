package db

import (
	"fmt"
	"strings"
	"unicode/utf8"
)

// MaxSearchLen bounds a search term, in characters. Searches become LIKE
// patterns, and SQLite refuses patterns of 50,000 bytes as too complex; no
// name or email a person types is longer than this.
const MaxSearchLen = 100

// CheckSearch records in fields, under name, that q is too long to search
// with, when it is longer than MaxSearchLen characters.
func CheckSearch(fields map[string]string, name, q string) {
	if utf8.RuneCountInString(q) > MaxSearchLen {
		fields[name] = fmt.Sprintf("Search with at most %d characters.", MaxSearchLen)
	}
}

// ContainsPattern is the LIKE pattern matching lower-cased text that
// contains q: q is trimmed and lower-cased, and LIKE's wildcards in it are
// dropped so a search for "%" matches like an empty one.
func ContainsPattern(q string) string {
	return "%" + strings.NewReplacer("%", "", "_", "").Replace(strings.ToLower(strings.TrimSpace(q))) + "%"
}
