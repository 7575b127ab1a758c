package reading

import (
	"testing"
	"time"
)

// OD-13: a billing period is called a minute only when it is one.
func TestUnitOf(t *testing.T) {
	for _, c := range []struct {
		period          time.Duration
		one, per, three string
	}{
		{time.Minute, "minute", "/min", "3 minutes"},
		{30 * time.Second, "30-second period", " per 30 s", "3 30-second periods"},
		{2 * time.Second, "2-second period", " per 2 s", "3 2-second periods"},
		{1500 * time.Millisecond, "1.5-second period", " per 1.5 s", "3 1.5-second periods"},
		{2 * time.Minute, "2-minute period", " per 2 min", "3 2-minute periods"},
	} {
		u := UnitOf(c.period)
		if u.One != c.one || u.Per != c.per || u.Count(3) != c.three || u.Count(1) != "1 "+c.one {
			t.Errorf("UnitOf(%v) = %+v, Count(3) %q, Count(1) %q; want %q, %q, %q", c.period, u, u.Count(3), u.Count(1), c.one, c.per, c.three)
		}
	}
}
