package ledger_test

import (
	"testing"

	"github.com/soulseer/soulseer/internal/ledger"
)

// ParseCents reads typed amounts exactly: no float rounding, no NaN, no
// third decimal silently rounded away.
func TestParseCents(t *testing.T) {
	ok := map[string]int64{
		"25": 2500, "25.00": 2500, "$4": 400, " 3.99 ": 399, "1.005x": -1, "1.5": 150, ".5": 50, "3.": 300,
		"25.01": 2501, "0.07": 7, "0": 0, "1,234.56": 123456, "$12,345": 1234500, "99999999.99": ledger.MaxAmount,
	}
	for in, want := range ok {
		got, valid := ledger.ParseCents(in)
		if want < 0 {
			if valid {
				t.Errorf("ParseCents(%q) = %d, want refused", in, got)
			}
			continue
		}
		if !valid || got != want {
			t.Errorf("ParseCents(%q) = %d, %v; want %d", in, got, valid, want)
		}
	}
	for _, in := range []string{"", "$", ".", "NaN", "Inf", "-1", "+1", "1e3", "4.999", "1.005", "25.005", "0x10", "1,23", "12,3456",
		",123", "1,,234", "100000000", "999999999999999999999", "1 000", "٣", "1.2.3", "$-5", "--1"} {
		if got, valid := ledger.ParseCents(in); valid {
			t.Errorf("ParseCents(%q) = %d, want refused", in, got)
		}
	}
}
