package web

import "testing"

// Counts on pages agree with their number: "1 review", never "1 reviews".
func TestCountOf(t *testing.T) {
	for _, c := range []struct {
		n    any
		want string
	}{
		{int64(1), "1 review"}, {int64(0), "0 reviews"}, {int64(298), "298 reviews"}, {1, "1 review"}, {11, "11 reviews"},
	} {
		if got := countOf(c.n, "review", "reviews"); got != c.want {
			t.Errorf("countOf(%v) = %q, want %q", c.n, got, c.want)
		}
	}
}
