package reading

import (
	"strconv"
	"time"
)

// Unit names one billed period of a reading in pages: "minute" when the
// period is the usual 60 seconds, and its real length otherwise ("30-second
// period"), so a demo or test site with a short SOULSEER_BILLING_PERIOD
// never calls a period a minute. Every page that speaks of billed time
// takes its words from here.
type Unit struct {
	One  string // one period: "minute", "30-second period"
	Many string // several: "minutes", "30-second periods"
	Per  string // after a price: "/min", " per 30 s"
}

// UnitOf returns the words for a billing period.
func UnitOf(period time.Duration) Unit {
	if period == time.Minute {
		return Unit{One: "minute", Many: "minutes", Per: "/min"}
	}
	n, long, short := period.Seconds(), "second", "s"
	if period%time.Minute == 0 {
		n, long, short = period.Minutes(), "minute", "min"
	}
	num := strconv.FormatFloat(n, 'f', -1, 64)
	return Unit{One: num + "-" + long + " period", Many: num + "-" + long + " periods", Per: " per " + num + " " + short}
}

// Count says n periods: "1 minute", "5 minutes", "3 30-second periods".
func (u Unit) Count(n int64) string {
	if n == 1 {
		return "1 " + u.One
	}
	return strconv.FormatInt(n, 10) + " " + u.Many
}

// Unit is the words for r's billing period.
func (r Reading) Unit() Unit { return UnitOf(r.Period) }
