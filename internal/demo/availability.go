package demo

import (
	"context"

	"github.com/soulseer/soulseer/internal/account"
	"github.com/soulseer/soulseer/internal/app"
	"github.com/soulseer/soulseer/internal/schedule"
)

// demoZones are the demo readers' home time zones, taken in turn, so the
// demo shows open times converted from several zones (SCH-1, SCH-3).
var demoZones = []string{"America/New_York", "Europe/London", "America/Los_Angeles", "Australia/Sydney", "Asia/Kolkata", "Europe/Berlin"}

// seedAvailability gives the i-th demo reader weekday mornings and
// afternoons and a Saturday morning in their zone, every length, an
// hour's notice and four weeks ahead; every other reader sets a flat price
// for half an hour.
func seedAvailability(ctx context.Context, a *app.App, u account.User, i int) error {
	av := schedule.Availability{TimeZone: demoZones[i%len(demoZones)], Durations: schedule.Durations, BufferMinutes: 10,
		MinNoticeMinutes: 60, MaxDaysAhead: 28, Prices: map[string]int64{}}
	for _, day := range []string{"monday", "tuesday", "wednesday", "thursday", "friday"} {
		av.Weekly = append(av.Weekly, schedule.Range{Weekday: day, Start: "09:00", End: "12:00"}, schedule.Range{Weekday: day, Start: "14:00", End: "17:30"})
	}
	av.Weekly = append(av.Weekly, schedule.Range{Weekday: "saturday", Start: "10:00", End: "13:00"})
	if i%2 == 0 {
		av.Prices["30"] = 3900
	}
	_, err := a.Schedule.Set(ctx, u, av)
	return err
}
