package schedule_test

import (
	"reflect"
	"testing"

	"github.com/soulseer/soulseer/internal/account"
	"github.com/soulseer/soulseer/internal/apperr"
	"github.com/soulseer/soulseer/internal/schedule"
)

// SCH-1: a reader's availability is saved and read back as written; before
// they save any it is the defaults in their account's time zone.
func TestAvailabilityRoundTrip_SCH1(t *testing.T) {
	eachWorld(t, func(t *testing.T, w *world) {
		lisbon := "Europe/Lisbon"
		u, err := w.s.App.Accounts.UpdateSettings(ctx, w.reader.ID, account.SettingsInput{TimeZone: &lisbon})
		if err != nil {
			t.Fatal(err)
		}
		a, err := w.sch.Get(ctx, u)
		if err != nil {
			t.Fatal(err)
		}
		if a.TimeZone != lisbon || len(a.Weekly) != 0 || len(a.Durations) == 0 {
			t.Errorf("defaults: %+v", a)
		}
		want := schedule.Availability{TimeZone: "Asia/Kolkata", Durations: []int{30, 60}, BufferMinutes: 10, MinNoticeMinutes: 60, MaxDaysAhead: 14,
			Weekly: []schedule.Range{{Weekday: "monday", Start: "09:00", End: "12:30"}, {Weekday: "monday", Start: "13:00", End: "24:00"}},
			Prices: map[string]int64{"60": 0}}
		w.set(t, want)
		got, err := w.sch.Get(ctx, u)
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("read back %+v, want %+v", got, want)
		}
	})
}

// SCH-1: every refused change names its field and changes nothing.
func TestAvailabilityRefusals_SCH1(t *testing.T) {
	eachWorld(t, func(t *testing.T, w *world) {
		good := every("America/New_York", [2]string{"09:00", "12:30"}, [2]string{"14:00", "17:00"})
		good.Prices = map[string]int64{"30": 4500}
		w.set(t, good)
		rows := func() int {
			return w.count(t, `SELECT (SELECT count(*) FROM availability_weekly) + (SELECT count(*) FROM availability_durations)`)
		}
		before := rows()
		if before != 14+4 {
			t.Fatalf("saved %d rows, want 18", before)
		}
		cases := map[string]struct {
			field  string
			change func(a *schedule.Availability)
		}{
			"unknown zone":      {"time_zone", func(a *schedule.Availability) { a.TimeZone = "Mars/Olympus" }},
			"server zone":       {"time_zone", func(a *schedule.Availability) { a.TimeZone = "Local" }},
			"weekday":           {"weekly[0].weekday", func(a *schedule.Availability) { a.Weekly[0].Weekday = "someday" }},
			"off the grid":      {"weekly[0].start", func(a *schedule.Availability) { a.Weekly[0].Start = "09:10" }},
			"past the day":      {"weekly[0].end", func(a *schedule.Availability) { a.Weekly[0].End = "24:15" }},
			"not a time":        {"weekly[0].start", func(a *schedule.Availability) { a.Weekly[0].Start = "+9:00" }},
			"backwards":         {"weekly[0].end", func(a *schedule.Availability) { a.Weekly[0].End = "08:00" }},
			"overlap":           {"weekly[1].start", func(a *schedule.Availability) { a.Weekly[1].Start = "12:00" }},
			"no durations":      {"durations", func(a *schedule.Availability) { a.Durations = nil }},
			"odd duration":      {"durations", func(a *schedule.Availability) { a.Durations = []int{20} }},
			"twice":             {"durations", func(a *schedule.Availability) { a.Durations = []int{30, 30} }},
			"negative buffer":   {"buffer_minutes", func(a *schedule.Availability) { a.BufferMinutes = -1 }},
			"long buffer":       {"buffer_minutes", func(a *schedule.Availability) { a.BufferMinutes = 121 }},
			"long notice":       {"min_notice_minutes", func(a *schedule.Availability) { a.MinNoticeMinutes = 7*24*60 + 1 }},
			"no window":         {"max_days_ahead", func(a *schedule.Availability) { a.MaxDaysAhead = 0 }},
			"far window":        {"max_days_ahead", func(a *schedule.Availability) { a.MaxDaysAhead = 91 }},
			"negative price":    {"prices.30", func(a *schedule.Availability) { a.Prices = map[string]int64{"30": -1} }},
			"price not offered": {"prices.20", func(a *schedule.Availability) { a.Prices = map[string]int64{"20": 100} }},
		}
		for name, c := range cases {
			a := every("America/New_York", [2]string{"09:00", "12:30"}, [2]string{"14:00", "17:00"})
			c.change(&a)
			_, err := w.sch.Set(ctx, w.reader, a)
			wantField(t, name, err, c.field)
		}
		if _, err := w.sch.Set(ctx, w.client, good); apperr.CodeOf(err) != apperr.Forbidden {
			t.Errorf("a client set availability: %v", err)
		}
		if after := rows(); after != before {
			t.Errorf("refusals changed rows: %d, want %d", after, before)
		}
		got, err := w.sch.Get(ctx, w.reader)
		if err != nil {
			t.Fatal(err)
		}
		if got.TimeZone != "America/New_York" || len(got.Weekly) != 14 || got.Prices["30"] != 4500 || !reflect.DeepEqual(got.Durations, []int{15, 30, 45, 60}) {
			t.Errorf("availability after refusals: %+v", got)
		}
	})
}
