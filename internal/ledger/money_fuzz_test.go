package ledger_test

import (
	"strconv"
	"strings"
	"testing"

	"github.com/soulseer/soulseer/internal/ledger"
)

// FuzzParseCents: whatever a person types, ParseCents either refuses it or
// returns an amount from 0 to MaxAmount that is exactly what was typed —
// the digits read as dollars and at most two decimals, never through
// floats — and that FormatCents writes back as text ParseCents reads to the
// same amount.
func FuzzParseCents(f *testing.F) {
	for _, s := range []string{"25", "3.99", "$1,234.5", "0", "0.01", ".5", "5.", "$", "", "4.999", "NaN", "-1", "1e3", "١٢٣",
		"1,23", "12,345,678.90", "999999999999", "9999999999999", " 7 ", "$ 7", "0x10", "+5", "1_000", "10000000000.00"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		c, ok := ledger.ParseCents(s)
		if !ok {
			if c != 0 {
				t.Fatalf("ParseCents(%q) refused it but returned %d", s, c)
			}
			return
		}
		if c < 0 || c > ledger.MaxAmount {
			t.Fatalf("ParseCents(%q) = %d, outside 0..MaxAmount", s, c)
		}
		// The digits typed, with the decimals padded to two, are the cents.
		plain := strings.ReplaceAll(strings.TrimPrefix(strings.TrimSpace(s), "$"), ",", "")
		whole, frac, _ := strings.Cut(plain, ".")
		want, err := strconv.ParseInt(strings.TrimLeft(whole+(frac + "00")[:2], "0")+"0", 10, 64)
		if err != nil || want/10 != c {
			t.Fatalf("ParseCents(%q) = %d, but the digits say %d (%v)", s, c, want/10, err)
		}
		back, ok := ledger.ParseCents(ledger.FormatCents(c))
		if !ok || back != c {
			t.Fatalf("FormatCents(%d) = %q reads back as %d, %v", c, ledger.FormatCents(c), back, ok)
		}
	})
}
