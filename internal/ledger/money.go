package ledger

import (
	"strconv"
	"strings"
)

// FormatCents formats an amount of cents as dollars for people to read:
// 123456 → "$1,234.56", -5 → "-$0.05". Money is never formatted through floats.
func FormatCents(cents int64) string {
	var b strings.Builder
	u := uint64(cents)
	if cents < 0 {
		b.WriteByte('-')
		u = -u
	}
	whole := strconv.FormatUint(u/100, 10)
	b.WriteByte('$')
	for i, c := range whole {
		if i > 0 && (len(whole)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	frac := u % 100
	b.WriteByte('.')
	b.WriteByte(byte('0' + frac/10))
	b.WriteByte(byte('0' + frac%10))
	return b.String()
}

// ParseCents reads an amount of money typed by a person — "25", "3.99",
// "$1,234.5" — exactly as cents, never through floats. It accepts an optional
// leading "$", digits (optionally grouped by commas in threes), and at most
// two decimals; anything else, a negative amount or one above MaxAmount is
// refused, so "4.999" or "NaN" never becomes a price. Every money form reads
// amounts through it.
func ParseCents(s string) (int64, bool) {
	s = strings.TrimPrefix(strings.TrimSpace(s), "$")
	whole, frac, _ := strings.Cut(s, ".")
	if strings.Contains(whole, ",") {
		groups := strings.Split(whole, ",")
		for i, g := range groups {
			if (i == 0 && (len(g) < 1 || len(g) > 3)) || (i > 0 && len(g) != 3) {
				return 0, false
			}
		}
		whole = strings.Join(groups, "")
	}
	if whole+frac == "" || len(frac) > 2 || len(whole) > 12 || !digits(whole) || !digits(frac) {
		return 0, false
	}
	var cents int64
	for _, c := range whole {
		cents = cents*10 + int64(c-'0')
	}
	cents *= 100
	switch len(frac) {
	case 1:
		cents += int64(frac[0]-'0') * 10
	case 2:
		cents += int64(frac[0]-'0')*10 + int64(frac[1]-'0')
	}
	if cents > MaxAmount {
		return 0, false
	}
	return cents, true
}

// digits reports whether s holds only ASCII digits (or nothing).
func digits(s string) bool {
	for _, c := range s {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}
