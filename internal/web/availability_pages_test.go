package web_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/soulseer/soulseer/internal/apptest"
	"github.com/soulseer/soulseer/internal/clock"
)

// SCH-1, SCH-2: the availability page saves the weekly grid, lengths with
// flat prices, buffer, notice and window, adds an open time and time off
// on the reader's clock and lists them; every refused form shows its error
// beside the field, keeps what was typed and changes nothing.
func TestAvailabilityPage_SCH1_SCH2(t *testing.T) {
	clk := clock.NewFake(time.Date(2027, 3, 8, 12, 0, 0, 0, time.UTC))
	eachApp(t, func(t *testing.T, s *apptest.Server) {
		w := newWorld(t, s)
		luna := w.as["reader"]
		page := luna.Do("GET", "/reader/availability", nil)
		for _, want := range []string{`name="start_monday"`, `name="end_sunday"`, `name="durations" value="45"`, `<option value="Europe/Lisbon"`, "Add an open time", "Take time off"} {
			if page.Status != http.StatusOK || !strings.Contains(string(page.Body), want) {
				t.Fatalf("the availability page (%d) lacks %q", page.Status, want)
			}
		}
		good := url.Values{"time_zone": {"Asia/Tokyo"}, "start_monday": {"09:00", "14:00", ""}, "end_monday": {"12:00", "00:00", ""},
			"start_friday": {"10:00"}, "end_friday": {"11:00"}, "durations": {"30", "60"}, "price_30": {"40"}, "price_45": {"99"},
			"buffer_minutes": {"15"}, "min_notice_minutes": {"60"}, "max_days_ahead": {"30"}}
		refused := []struct {
			path   string
			form   url.Values
			fields int
			says   string
		}{
			{"/reader/availability", with(good, "start_monday", "09:00", "11:00", ""), 1, "This range overlaps another on monday."},
			{"/reader/availability", with(good, "end_friday", "09:00"), 1, `value="09:00" aria-invalid="true"`},
			{"/reader/availability", with(good, "time_zone", "Mars/Base"), 1, "Choose a time zone from the list"},
			{"/reader/availability", with(good, "buffer_minutes", "ten"), 1, `name="buffer_minutes" value="ten"`},
			{"/reader/availability", with(good, "price_60", "lots"), 1, `name="price_60" value="lots"`},
			{"/reader/availability", with(good, "durations", "20"), 1, "Choose lengths from 15, 30, 45 and 60 minutes"},
			{"/reader/availability/openings", url.Values{"date": {"2027-03-01"}, "time": {"10:00"}, "duration_minutes": {"30"}}, 1, "Choose a time in the future."},
			{"/reader/availability/openings", url.Values{"date": {"tomorrow"}, "time": {"10:00"}, "duration_minutes": {"25"}}, 2, `value="tomorrow"`},
			{"/reader/availability/time-off", url.Values{"from_date": {"2027-03-12"}, "from_time": {"10:00"}, "to_date": {"2027-03-11"}, "to_time": {"10:00"}}, 1, "End after the start."},
		}
		for _, f := range refused {
			before := fingerprint(t, s)
			res := luna.Form(f.path, f.form)
			body := string(res.Body)
			if res.Status != http.StatusBadRequest || !strings.Contains(body, f.says) || strings.Count(body, `class="field-error"`) < f.fields {
				t.Errorf("%s %v: %d, want 400 with %d field errors saying %q: %.600s", f.path, f.form, res.Status, f.fields, f.says, body)
			}
			if fingerprint(t, s) != before {
				t.Errorf("%s %v changed the database", f.path, f.form)
			}
		}

		if res := luna.Form("/reader/availability", good); res.Status != http.StatusSeeOther {
			t.Fatalf("save availability: %d %s", res.Status, res.Body)
		}
		a, err := s.App.Schedule.Get(context.Background(), w.reader)
		if err != nil {
			t.Fatal(err)
		}
		if a.TimeZone != "Asia/Tokyo" || len(a.Weekly) != 3 || a.Weekly[1].End != "24:00" || len(a.Durations) != 2 || a.Prices["30"] != 4000 || len(a.Prices) != 1 ||
			a.BufferMinutes != 15 || a.MinNoticeMinutes != 60 || a.MaxDaysAhead != 30 {
			t.Fatalf("saved %+v", a)
		}
		if res := luna.Form("/reader/availability/openings", url.Values{"date": {"2027-03-13"}, "time": {"07:15"}, "duration_minutes": {"45"}}); res.Status != http.StatusSeeOther {
			t.Fatalf("add an open time: %d %s", res.Status, res.Body)
		}
		if res := luna.Form("/reader/availability/time-off", url.Values{"from_date": {"2027-03-15"}, "from_time": {"00:00"}, "to_date": {"2027-03-16"}, "to_time": {"00:00"}}); res.Status != http.StatusSeeOther {
			t.Fatalf("take time off: %d %s", res.Status, res.Body)
		}
		body := string(luna.Do("GET", "/reader/availability", nil).Body)
		for _, want := range []string{`value="14:00"`, `name="end_monday" value="00:00"`, `value="40.00"`, "13 Mar 2027 07:15 JST · 45 min", "15 Mar 2027 00:00 JST – 16 Mar 2027 00:00 JST"} {
			if !strings.Contains(body, want) {
				t.Errorf("after saving, the page lacks %q", want)
			}
		}
	}, apptest.WithClock(clk))
}

// with is form with name set to values.
func with(form url.Values, name string, values ...string) url.Values {
	out := url.Values{}
	for k, v := range form {
		out[k] = v
	}
	out[name] = values
	return out
}
