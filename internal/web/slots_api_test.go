package web_test

import (
	"net/http"
	"slices"
	"testing"
	"time"

	"github.com/soulseer/soulseer/internal/apptest"
	"github.com/soulseer/soulseer/internal/clock"
)

// slotListJSON is the answer of the slot listings.
type slotListJSON struct {
	TimeZone string `json:"time_zone"`
	Slots    []struct {
		ReaderID        int64            `json:"reader_id"`
		StartsAt        string           `json:"starts_at"`
		EndsAt          string           `json:"ends_at"`
		DurationMinutes int              `json:"duration_minutes"`
		Prices          map[string]int64 `json:"prices"`
	} `json:"slots"`
}

// SCH-1, SCH-2, SCH-3 through the API: a reader saves weekly availability
// in New York (a refused change names its fields and changes nothing),
// adds an opening and time off, and anyone lists the open times on their
// own clock — here Kolkata's, across the US clock change — per reader or
// across readers by specialty and modality.
func TestSlotsAPI_SCH1_SCH2_SCH3(t *testing.T) {
	clk := clock.NewFake(time.Date(2027, 3, 8, 0, 0, 0, 0, time.UTC))
	eachApp(t, func(t *testing.T, s *apptest.Server) {
		w := newWorld(t, s)
		luna, anon := w.as["reader"], w.as["anon"]
		good := `{"time_zone": "America/New_York", "durations": [60], "buffer_minutes": 0, "min_notice_minutes": 0, "max_days_ahead": 30,
			"prices": {"60": 5000}, "weekly": [` + weekly("09:00", "10:00") + `]}`
		if res := luna.Do("PUT", "/api/v1/me/availability", good); res.Status != http.StatusOK {
			t.Fatalf("set availability: %d %s", res.Status, res.Body)
		}
		p := problemOf(t, luna.Do("PUT", "/api/v1/me/availability", `{"time_zone": "Nowhere/Else", "durations": [20], "buffer_minutes": 0,
			"min_notice_minutes": 0, "max_days_ahead": 30, "prices": {}, "weekly": [{"weekday": "monday", "start": "9am", "end": "10:00"}]}`), http.StatusBadRequest)
		for _, f := range []string{"time_zone", "durations", "weekly[0].start"} {
			if p.Errors[f] == "" {
				t.Errorf("refusal names no %s: %+v", f, p.Errors)
			}
		}
		var a struct {
			TimeZone string `json:"time_zone"`
			Weekly   []any  `json:"weekly"`
		}
		luna.Do("GET", "/api/v1/me/availability", nil).JSON(t, &a)
		if a.TimeZone != "America/New_York" || len(a.Weekly) != 7 {
			t.Errorf("after the refusal: %+v", a)
		}
		problemOf(t, w.as["client"].Do("GET", "/api/v1/me/availability", nil), http.StatusForbidden)

		list := func(path string) slotListJSON {
			t.Helper()
			res := anon.Do("GET", path, nil)
			var out slotListJSON
			res.JSON(t, &out)
			if res.Status != http.StatusOK {
				t.Fatalf("%s: %d %s", path, res.Status, res.Body)
			}
			return out
		}
		starts := func(l slotListJSON) []string {
			var out []string
			for _, sl := range l.Slots {
				if sl.ReaderID != w.reader.ID || sl.Prices["text"] != 5000 || sl.Prices["voice"] != 5000 || sl.DurationMinutes != 60 {
					t.Errorf("slot %+v", sl)
				}
				out = append(out, sl.StartsAt)
			}
			return out
		}
		week := "/api/v1/readers/" + id(w.reader.ID) + "/slots?from=2027-03-12&to=2027-03-16&duration=60&tz=Asia/Kolkata"
		got := list(week)
		want := []string{"2027-03-12T19:30:00+05:30", "2027-03-13T19:30:00+05:30", "2027-03-14T18:30:00+05:30", "2027-03-15T18:30:00+05:30"}
		if got.TimeZone != "Asia/Kolkata" || !slices.Equal(starts(got), want) {
			t.Errorf("Kolkata sees %s %v, want %v", got.TimeZone, starts(got), want)
		}

		if res := luna.Do("POST", "/api/v1/me/slots", `{"starts_at": "2027-03-12T20:00:00Z", "duration_minutes": 60}`); res.Status != http.StatusCreated {
			t.Fatalf("add opening: %d %s", res.Status, res.Body)
		}
		if res := luna.Do("POST", "/api/v1/me/time-off", `{"from": "2027-03-13T00:00:00Z", "to": "2027-03-14T00:00:00Z"}`); res.Status != http.StatusCreated {
			t.Fatalf("take time off: %d %s", res.Status, res.Body)
		}
		want = []string{"2027-03-12T19:30:00+05:30", "2027-03-13T01:30:00+05:30", "2027-03-14T18:30:00+05:30", "2027-03-15T18:30:00+05:30"}
		if got := starts(list(week)); !slices.Equal(got, want) {
			t.Errorf("with the opening and the time off: %v, want %v", got, want)
		}

		across := "/api/v1/slots?from=2027-03-12T00:00:00Z&to=2027-03-13T00:00:00Z&duration=60"
		if got := list(across + "&specialty=tarot&modality=voice"); got.TimeZone != "UTC" || len(got.Slots) != 2 || got.Slots[0].StartsAt != "2027-03-12T14:00:00Z" {
			t.Errorf("browse by specialty: %+v", got)
		}
		for _, q := range []string{"&modality=video", "&specialty=astrology"} {
			if got := list(across + q); len(got.Slots) != 0 {
				t.Errorf("browse %s: %d slots from a reader who does not match", q, len(got.Slots))
			}
		}
		for q, field := range map[string]string{
			"?from=2027-03-01&to=2027-04-02": "to", "?tz=Mars/Base": "tz", "?duration=20": "duration", "?from=soon": "from", "?modality=smoke": "modality",
		} {
			if p := problemOf(t, anon.Do("GET", "/api/v1/slots"+q, nil), http.StatusBadRequest); p.Errors[field] == "" {
				t.Errorf("%s: no message for %s: %+v", q, field, p.Errors)
			}
		}
		var n int
		if err := s.App.DB.Read().QueryRowContext(ctx, `SELECT count(*) FROM availability_weekly`).Scan(&n); err != nil || n != 7 {
			t.Errorf("%d weekly ranges (%v), want 7", n, err)
		}
	}, apptest.WithClock(clk))
}

// weekly is the JSON of one range on every day of the week.
func weekly(start, end string) string {
	out := ""
	for i, d := range []string{"sunday", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday"} {
		if i > 0 {
			out += ", "
		}
		out += `{"weekday": "` + d + `", "start": "` + start + `", "end": "` + end + `"}`
	}
	return out
}
