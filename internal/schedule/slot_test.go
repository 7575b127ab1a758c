package schedule_test

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/soulseer/soulseer/internal/apperr"
	"github.com/soulseer/soulseer/internal/schedule"
)

// SCH-2: a weekly 09:00 opening is 09:00 on the reader's wall clock on both
// sides of each of 2027's clock changes, in New York and in London.
func TestWeeklySlotsKeepWallClockAcrossDST_SCH2(t *testing.T) {
	eachWorld(t, func(t *testing.T, w *world) {
		for _, c := range []struct {
			zone string
			day  time.Time // a clock change, at 00:00 UTC
		}{
			{"America/New_York", time.Date(2027, 3, 14, 0, 0, 0, 0, time.UTC)},
			{"America/New_York", time.Date(2027, 11, 7, 0, 0, 0, 0, time.UTC)},
			{"Europe/London", time.Date(2027, 3, 28, 0, 0, 0, 0, time.UTC)},
			{"Europe/London", time.Date(2027, 10, 31, 0, 0, 0, 0, time.UTC)},
		} {
			w.clk.Set(c.day.AddDate(0, 0, -30))
			w.set(t, every(c.zone, [2]string{"09:00", "10:00"}))
			loc := zone(t, c.zone)
			list := w.slots(t, c.day.AddDate(0, 0, -3), c.day.AddDate(0, 0, 4), 60)
			if len(list) != 7 {
				t.Fatalf("%s %s: %d slots, want one a day for 7 days", c.zone, c.day.Format(time.DateOnly), len(list))
			}
			offsets := map[int]bool{}
			for _, s := range list {
				local := s.StartsAt.In(loc)
				if local.Format("15:04") != "09:00" || s.EndsAt.Sub(s.StartsAt) != time.Hour {
					t.Errorf("%s: slot at %s local, want 09:00 for an hour", c.zone, local)
				}
				_, off := local.Zone()
				offsets[off] = true
			}
			if len(offsets) != 2 {
				t.Errorf("%s %s: the week's slots have %d offsets, want both sides of the change", c.zone, c.day.Format(time.DateOnly), len(offsets))
			}
		}
	})
}

// SCH-2: on the day the clock skips an hour no slot starts inside it, and
// on the day it repeats one each wall time is one slot, never two.
func TestSkippedAndRepeatedHours_SCH2(t *testing.T) {
	eachWorld(t, func(t *testing.T, w *world) {
		for _, c := range []struct {
			zone      string
			date      [3]int
			end       string
			want      int
			notPrefix string
		}{
			{"America/New_York", [3]int{2027, 3, 14}, "04:00", 12, "02:"}, // 02:00-03:00 does not exist
			{"America/New_York", [3]int{2027, 11, 7}, "04:00", 16, ""},    // 01:00-02:00 happens twice
			{"Europe/London", [3]int{2027, 3, 28}, "03:00", 8, "01:"},     // 01:00-02:00 does not exist
			{"Europe/London", [3]int{2027, 10, 31}, "03:00", 12, ""},      // 01:00-02:00 happens twice
		} {
			loc := zone(t, c.zone)
			day := time.Date(c.date[0], time.Month(c.date[1]), c.date[2], 0, 0, 0, 0, loc)
			w.clk.Set(day.AddDate(0, 0, -10))
			w.set(t, every(c.zone, [2]string{"00:00", c.end}))
			list := w.slots(t, day, day.AddDate(0, 0, 1).Add(-time.Hour), 15)
			got := starts(list, loc)
			if len(got) != c.want {
				t.Errorf("%s %v: %d starts %v, want %d", c.zone, c.date, len(got), got, c.want)
			}
			seen := map[string]bool{}
			instants := map[int64]bool{}
			for i, s := range got {
				if seen[s] || instants[list[i].StartsAt.Unix()] {
					t.Errorf("%s %v: %s offered twice", c.zone, c.date, s)
				}
				seen[s], instants[list[i].StartsAt.Unix()] = true, true
				if c.notPrefix != "" && strings.HasPrefix(s, c.notPrefix) {
					t.Errorf("%s %v: a slot at %s, in the skipped hour", c.zone, c.date, s)
				}
			}
		}
	})
}

// SCH-3: a viewer in Asia/Kolkata sees a New York reader's 09:00 as 19:30
// before the US clock change and 18:30 after it.
func TestViewerZone_SCH3(t *testing.T) {
	eachWorld(t, func(t *testing.T, w *world) {
		w.clk.Set(time.Date(2027, 3, 1, 0, 0, 0, 0, time.UTC))
		w.set(t, every("America/New_York", [2]string{"09:00", "10:00"}))
		list := w.slots(t, time.Date(2027, 3, 12, 0, 0, 0, 0, time.UTC), time.Date(2027, 3, 16, 0, 0, 0, 0, time.UTC), 60)
		kolkata := zone(t, "Asia/Kolkata")
		var got []string
		for _, s := range list {
			got = append(got, s.In(kolkata).StartsAt.Format(time.RFC3339))
		}
		want := []string{"2027-03-12T19:30:00+05:30", "2027-03-13T19:30:00+05:30", "2027-03-14T18:30:00+05:30", "2027-03-15T18:30:00+05:30"}
		if !slices.Equal(got, want) {
			t.Errorf("Kolkata sees %v, want %v", got, want)
		}
	})
}

// SCH-2: nothing starts sooner than the minimum notice or beyond the
// booking window, and both move on with the clock.
func TestNoticeAndWindow_SCH2(t *testing.T) {
	eachWorld(t, func(t *testing.T, w *world) {
		a := every("UTC", [2]string{"00:00", "24:00"})
		a.MinNoticeMinutes, a.MaxDaysAhead = 120, 2
		w.set(t, a)
		for _, now := range []time.Time{t0, t0.Add(25 * time.Hour)} {
			w.clk.Set(now)
			list := w.slots(t, now.Add(-time.Hour), now.AddDate(0, 0, 30), 60)
			if len(list) < 100 {
				t.Fatalf("%d slots, want over 100", len(list))
			}
			if first := list[0].StartsAt; !first.Equal(now.Add(2 * time.Hour)) {
				t.Errorf("at %s the first slot is %s, want two hours' notice", now, first)
			}
			if last := list[len(list)-1].StartsAt; !last.Before(now.Add(48 * time.Hour)) {
				t.Errorf("at %s a slot at %s, beyond two days", now, last)
			}
		}
	})
}

// SCH-2: time off takes out every slot that would meet it; a hand-added
// opening adds one outside the weekly ranges, of its own length only.
func TestTimeOffAndOpenings_SCH2(t *testing.T) {
	eachWorld(t, func(t *testing.T, w *world) {
		w.set(t, every("UTC", [2]string{"09:00", "17:00"}))
		day := t0.AddDate(0, 0, 3)
		before := w.slots(t, day, day.AddDate(0, 0, 1), 60)
		if len(before) != 29 {
			t.Fatalf("%d hour slots in 09:00-17:00, want 29", len(before))
		}
		off, err := w.sch.AddTimeOff(ctx, w.reader, schedule.TimeOffInput{From: day.Add(10 * time.Hour).Format(time.RFC3339), To: day.Add(12 * time.Hour).Format(time.RFC3339)})
		if err != nil || off.ID == 0 {
			t.Fatal(off, err)
		}
		after := w.slots(t, day, day.AddDate(0, 0, 1), 60)
		if len(after) != len(before)-11 {
			t.Errorf("time off left %d slots, want %d", len(after), len(before)-11)
		}
		for _, s := range after {
			if s.StartsAt.Before(off.To) && off.From.Before(s.EndsAt) {
				t.Errorf("slot %s meets the time off", s.StartsAt)
			}
		}
		at := day.Add(20 * time.Hour)
		o, err := w.sch.AddOpening(ctx, w.reader, schedule.OpeningInput{StartsAt: at.In(zone(t, "Asia/Kolkata")).Format(time.RFC3339), DurationMinutes: 45})
		if err != nil || o.ID == 0 || !o.StartsAt.Equal(at) {
			t.Fatal(o, err)
		}
		if again, err := w.sch.AddOpening(ctx, w.reader, schedule.OpeningInput{StartsAt: at.Format(time.RFC3339), DurationMinutes: 45}); err != nil || again.ID != o.ID {
			t.Errorf("adding it again: %+v %v, want the same opening", again, err)
		}
		list := w.slots(t, day, day.AddDate(0, 0, 1), 45)
		if last := list[len(list)-1]; !last.StartsAt.Equal(at) || last.DurationMinutes != 45 {
			t.Errorf("the opening is not offered: last slot %+v", last)
		}
		for _, s := range w.slots(t, at, at.Add(time.Hour), 30) {
			t.Errorf("a 30-minute slot at %s from a 45-minute opening", s.StartsAt)
		}
		if n := w.count(t, `SELECT count(*) FROM availability_openings`); n != 1 {
			t.Errorf("%d openings, want 1", n)
		}
	})
}

// SCH-2: refused openings and time off name their field and store nothing.
func TestOpeningAndTimeOffRefusals_SCH2(t *testing.T) {
	eachWorld(t, func(t *testing.T, w *world) {
		a := every("UTC", [2]string{"09:00", "17:00"})
		a.MaxDaysAhead = 10
		w.set(t, a)
		at := func(d time.Duration) string { return t0.Add(d).Format(time.RFC3339) }
		for name, c := range map[string]struct {
			in    schedule.OpeningInput
			field string
		}{
			"not a time":    {schedule.OpeningInput{StartsAt: "tomorrow", DurationMinutes: 30}, "starts_at"},
			"off the grid":  {schedule.OpeningInput{StartsAt: at(time.Hour + 5*time.Minute), DurationMinutes: 30}, "starts_at"},
			"in the past":   {schedule.OpeningInput{StartsAt: at(-time.Hour), DurationMinutes: 30}, "starts_at"},
			"beyond window": {schedule.OpeningInput{StartsAt: at(11 * 24 * time.Hour), DurationMinutes: 30}, "starts_at"},
			"odd length":    {schedule.OpeningInput{StartsAt: at(time.Hour), DurationMinutes: 20}, "duration_minutes"},
		} {
			_, err := w.sch.AddOpening(ctx, w.reader, c.in)
			wantField(t, name, err, c.field)
		}
		for name, c := range map[string]struct {
			in    schedule.TimeOffInput
			field string
		}{
			"bad from":  {schedule.TimeOffInput{From: "now", To: at(time.Hour)}, "from"},
			"bad to":    {schedule.TimeOffInput{From: at(time.Hour), To: ""}, "to"},
			"backwards": {schedule.TimeOffInput{From: at(2 * time.Hour), To: at(time.Hour)}, "to"},
			"past":      {schedule.TimeOffInput{From: at(-2 * time.Hour), To: at(-time.Hour)}, "to"},
			"too long":  {schedule.TimeOffInput{From: at(time.Hour), To: at(400 * 24 * time.Hour)}, "to"},
		} {
			_, err := w.sch.AddTimeOff(ctx, w.reader, c.in)
			wantField(t, name, err, c.field)
		}
		if _, err := w.sch.AddOpening(ctx, w.client, schedule.OpeningInput{StartsAt: at(time.Hour), DurationMinutes: 30}); apperr.CodeOf(err) != apperr.Forbidden {
			t.Errorf("a client added an opening: %v", err)
		}
		if n := w.count(t, `SELECT (SELECT count(*) FROM availability_openings) + (SELECT count(*) FROM availability_time_off)`); n != 0 {
			t.Errorf("refusals stored %d rows", n)
		}
		_, err := w.sch.Slots(ctx, w.reader.ID, schedule.Window{From: t0, To: t0.AddDate(0, 0, 32), Duration: 30})
		wantField(t, "32 days", err, "to")
		_, err = w.sch.Slots(ctx, w.reader.ID, schedule.Window{From: t0, To: t0.AddDate(0, 0, 1), Duration: 20})
		wantField(t, "20 minutes", err, "duration")
	})
}

// SCH-4's price shown on each slot: length × the per-minute rate of each
// offered modality, unless the reader set a flat price for the length.
func TestSlotPrices_SCH2(t *testing.T) {
	eachWorld(t, func(t *testing.T, w *world) {
		a := every("UTC", [2]string{"09:00", "10:00"})
		a.Prices = map[string]int64{"30": 4500}
		w.set(t, a)
		day := t0.AddDate(0, 0, 1)
		for minutes, want := range map[int][2]int64{30: {4500, 4500}, 60: {6000, 12000}} {
			list := w.slots(t, day, day.AddDate(0, 0, 1), minutes)
			if len(list) == 0 {
				t.Fatalf("no %d-minute slots", minutes)
			}
			for _, s := range list {
				p := s.Prices
				if p.Text == nil || p.Video == nil || p.Voice != nil || *p.Text != want[0] || *p.Video != want[1] {
					t.Errorf("%d minutes: prices %+v, want text %d, video %d, no voice", minutes, p, want[0], want[1])
				}
			}
		}
	})
}

// One reader's next 30 days of open times on SQLite: the figure is kept in
// docs/benchmarks.md.
func BenchmarkSlots30Days(b *testing.B) {
	w := benchWorld(b)
	from := t0
	b.ResetTimer()
	n := 0
	for b.Loop() {
		list, err := w.sch.Slots(ctx, w.reader.ID, schedule.Window{From: from, To: from.AddDate(0, 0, 30)})
		if err != nil {
			b.Fatal(err)
		}
		n = len(list)
	}
	if n < 1000 {
		b.Fatalf("%d slots, want over 1000", n)
	}
}
