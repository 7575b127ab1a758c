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
