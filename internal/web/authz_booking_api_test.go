package web_test

import (
	"testing"
	"time"

	"github.com/soulseer/soulseer/internal/schedule"
)

// openReaderA lifts reader A's notice and charges a flat $1 for half an
// hour, bookable 90 days ahead, keeping the rest of her availability.
func openReaderA(t *testing.T, m *authzWorld) {
	t.Helper()
	a, err := m.s.App.Schedule.Get(ctx, m.reader)
	if err != nil {
		t.Fatal(err)
	}
	a.MinNoticeMinutes, a.MaxDaysAhead, a.Durations, a.Prices = 0, 90, []int{30}, map[string]int64{"30": 100}
	if _, err := m.s.App.Schedule.Set(ctx, m.reader, a); err != nil {
		t.Fatal(err)
	}
}

// openAt adds start as an open half hour of reader A's.
func openAt(t *testing.T, m *authzWorld, start time.Time) {
	t.Helper()
	if _, err := m.s.App.Schedule.AddOpening(ctx, m.reader, schedule.OpeningInput{StartsAt: start.Format(time.RFC3339), DurationMinutes: 30}); err != nil {
		t.Fatal(err)
	}
}

// freeTimeOfA opens reader A (openReaderA) at the first hour a month or
// more ahead that no booking takes, and returns it.
func freeTimeOfA(t *testing.T, m *authzWorld) time.Time {
	t.Helper()
	openReaderA(t, m)
	for start := m.clk.Now().AddDate(0, 0, 30).Truncate(time.Hour); ; start = start.Add(time.Hour) {
		openAt(t, m, start)
		list, err := m.s.App.Schedule.Slots(ctx, m.reader.ID, schedule.Window{From: start, To: start.Add(time.Minute), Duration: 30})
		if err != nil {
			t.Fatal(err)
		}
		if len(list) > 0 {
			return start
		}
	}
}

// bookOfA books client A's half hour of chat with reader A at start, an
// open time, and returns the booking's id.
func bookOfA(t *testing.T, m *authzWorld, start time.Time) string {
	t.Helper()
	b, _, err := m.s.App.Schedule.Book(ctx, m.client, schedule.BookInput{ReaderID: m.reader.ID, StartsAt: start, DurationMinutes: 30,
		Modality: "text", RequestKey: m.fill("matrix-{n}-") + start.Format(time.RFC3339)})
	if err != nil {
		t.Fatal(err)
	}
	return id(b.ID)
}

// freeTimeA is {freetime}: a time reader A is open for anyone to book.
func freeTimeA(t *testing.T, m *authzWorld) {
	m.vals["freetime"] = freeTimeOfA(t, m).Format(time.RFC3339)
}

// apiBookingOfA is {apibooking}: client A's booking with reader A a month
// ahead.
func apiBookingOfA(t *testing.T, m *authzWorld) {
	m.vals["apibooking"] = bookOfA(t, m, freeTimeOfA(t, m))
}

// roomOpenOfA is {soon}: client A's booking with reader A an hour ahead
// (clear of the last one's end and buffer), with the app's clock moved to
// five minutes before its start, so its room is open.
func roomOpenOfA(t *testing.T, m *authzWorld) {
	openReaderA(t, m)
	start := m.clk.Now().Add(time.Hour).Truncate(schedule.Grid * time.Minute)
	openAt(t, m, start)
	m.vals["soon"] = bookOfA(t, m, start)
	m.clk.Set(start.Add(-5 * time.Minute))
}
