package db_test

import (
	"maps"
	"slices"
	"strconv"
	"strings"
)

// Each engine prints a CHECK or index condition its own way: SQLite keeps
// the text as written, PostgreSQL prints its parsed form (x IN (…) becomes
// x = ANY (ARRAY[…]), BETWEEN becomes >= AND <=, literals gain casts and
// quotes). A signature is what survives both: the set of columns, literals,
// comparisons and logical operators an expression uses.

type tokenKind int

const (
	word   tokenKind = iota // keyword, column or function name (lower case)
	quoted                  // "quoted identifier"
	str                     // 'string literal', unquoted
	number                  // numeric literal
	symbol                  // operator or punctuation
)

type token struct {
	kind tokenKind
	text string
}

// tokenize splits SQL into tokens, dropping white space and comments.
func tokenize(sql string) []token {
	var out []token
	for i := 0; i < len(sql); {
		c := sql[i]
		switch {
		case c == ' ' || c == '\t' || c == '\n' || c == '\r':
			i++
		case strings.HasPrefix(sql[i:], "--"):
			end := strings.IndexByte(sql[i:], '\n')
			if end < 0 {
				end = len(sql) - i
			}
			i += end
		case strings.HasPrefix(sql[i:], "/*"):
			end := strings.Index(sql[i+2:], "*/")
			if end < 0 {
				end = len(sql) - i - 4
			}
			i += end + 4
		case c == '\'' || c == '"':
			var b strings.Builder
			j := i + 1
			for ; j < len(sql); j++ {
				if sql[j] == c {
					if j+1 < len(sql) && sql[j+1] == c {
						b.WriteByte(c)
						j++
						continue
					}
					break
				}
				b.WriteByte(sql[j])
			}
			kind := str
			if c == '"' {
				kind = quoted
			}
			out = append(out, token{kind, b.String()})
			i = j + 1
		case c >= '0' && c <= '9' || c == '.' && i+1 < len(sql) && sql[i+1] >= '0' && sql[i+1] <= '9':
			j := i
			for j < len(sql) && (sql[j] >= '0' && sql[j] <= '9' || sql[j] == '.' || sql[j] == 'e' || sql[j] == 'E') {
				j++
			}
			out = append(out, token{number, sql[i:j]})
			i = j
		case c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z':
			j := i
			for j < len(sql) && (sql[j] == '_' || sql[j] == '$' || sql[j] >= 'a' && sql[j] <= 'z' || sql[j] >= 'A' && sql[j] <= 'Z' || sql[j] >= '0' && sql[j] <= '9') {
				j++
			}
			out = append(out, token{word, strings.ToLower(sql[i:j])})
			i = j
		default:
			n := 1
			for _, op := range []string{"::", "<>", "!=", "<=", ">=", "==", "||"} {
				if strings.HasPrefix(sql[i:], op) {
					n = 2
				}
			}
			out = append(out, token{symbol, sql[i : i+n]})
			i += n
		}
	}
	return out
}

// signature reduces an expression to the sorted set of what it uses.
func signature(toks []token) string {
	set := map[string]bool{}
	add := func(s ...string) {
		for _, x := range s {
			set[x] = true
		}
	}
	for i := 0; i < len(toks); i++ {
		tk := toks[i]
		next := ""
		if i+1 < len(toks) {
			next = toks[i+1].text
		}
		switch tk.kind {
		case quoted:
			add(tk.text)
		case str, number:
			add(literal(tk.text))
		case word:
			switch tk.text {
			case "check", "any", "all", "some", "array":
				// x = ANY (ARRAY[…]) and x <> ALL (…) are PostgreSQL's IN and NOT IN
			case "in":
				add("=")
			case "between":
				add(">=", "<=")
			case "not":
				switch next {
				case "in":
					add("<>")
					i++
				case "between":
					add("<", ">", "or")
					i++
				default:
					add("not")
				}
			default: // a column, function, TRUE, FALSE, NULL, AND, OR, IS …
				add(tk.text)
			}
		case symbol:
			switch tk.text {
			case "::":
				i = castType(toks, i+1)
			case "(", ")", ",", "[", "]":
			case "==":
				add("=")
			case "!=":
				add("<>")
			case "-":
				if i+1 < len(toks) && toks[i+1].kind == number && negatable(toks, i) {
					add(literal("-" + next))
					i++
				} else {
					add("-")
				}
			default:
				add(tk.text)
			}
		}
	}
	return strings.Join(slices.Sorted(maps.Keys(set)), " ")
}

// castType returns where the type name of a cast that starts at i ends
// ("text", "character varying", "text[]"), so the signature leaves it out.
func castType(toks []token, i int) int {
	if i+1 < len(toks) && (toks[i].text == "character" || toks[i].text == "double") {
		i++ // character varying, double precision
	}
	for i+2 < len(toks) && toks[i+1].text == "[" && toks[i+2].text == "]" {
		i += 2
	}
	return i
}

// negatable reports whether the "-" at i is a sign, not a subtraction.
func negatable(toks []token, i int) bool {
	if i == 0 {
		return true
	}
	prev := toks[i-1]
	return prev.kind == word || prev.kind == symbol && prev.text != ")"
}

// literal writes a literal the same way whether it was a number or a
// quoted number with a cast ('-9000000000000000000'::bigint).
func literal(s string) string {
	if n, err := strconv.ParseInt(s, 10, 64); err == nil {
		return strconv.FormatInt(n, 10)
	}
	if f, err := strconv.ParseFloat(s, 64); err == nil {
		return strconv.FormatFloat(f, 'g', -1, 64)
	}
	return "'" + s + "'"
}
