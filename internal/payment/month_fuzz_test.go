package payment_test

import (
	"testing"
	"time"

	"github.com/soulseer/soulseer/internal/apperr"
	"github.com/soulseer/soulseer/internal/payment"
)

// FuzzParseMonth: ParseMonth accepts exactly "YYYY-MM" and returns the
// first instant of that month in UTC, which formats back to the input; it
// refuses anything else with a field error on month, never a panic.
func FuzzParseMonth(f *testing.F) {
	for _, s := range []string{"2026-11", "2026-1", "2026-13", "0000-01", "9999-12", "", "2026-11-01", "26-11", "2026/11", " 2026-11", "2026-11\n", "２０２６-11"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		m, err := payment.ParseMonth(s)
		if err != nil {
			if e := apperr.As(err); e == nil || e.Code != apperr.Invalid || e.Fields["month"] == "" {
				t.Fatalf("ParseMonth(%q) refused it with %v, not a month field error", s, err)
			}
			return
		}
		if m.Location() != time.UTC || m.Day() != 1 || m.Hour() != 0 || m.Minute() != 0 || m.Second() != 0 || m.Nanosecond() != 0 {
			t.Fatalf("ParseMonth(%q) = %v, not the start of a month in UTC", s, m)
		}
		if back := m.Format("2006-01"); back != s {
			t.Fatalf("ParseMonth(%q) = %v, which formats as %q", s, m, back)
		}
	})
}
