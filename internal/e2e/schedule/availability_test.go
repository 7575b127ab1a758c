package schedule

import (
	"context"
	"fmt"
	"testing"

	"github.com/soulseer/soulseer/internal/account"
	"github.com/soulseer/soulseer/internal/apptest"
	"github.com/soulseer/soulseer/internal/browsertest"
	"github.com/soulseer/soulseer/internal/db"
	"github.com/soulseer/soulseer/internal/e2e"
)

func TestAvailability(t *testing.T) {
	e2e.EachEngine(t, testAvailability)
}

// testAvailability: SCH-1. A reader opens "Availability" from the
// dashboard, sets Monday 09:00–12:30 and Thursday evening on their own
// clock, offers 30 and 60 minutes with a flat price for 60, and saves; the
// page (checked for accessibility at both widths) shows what was saved, and
// the schedule holds exactly that.
func testAvailability(t *testing.T, e db.Engine) {
	s := apptest.Start(t, e)
	b := browsertest.New(t, s.URL)
	b.Screenshots = b.Screenshots && e == db.SQLite
	st := &e2e.Story{T: t, S: s, B: b}
	rdr := e2e.CreateUser(t, s, "Iris Vale", "iris@example.com", account.RoleReader)

	tab := b.NewTab("reader")
	st.LogIn(tab, rdr.Email, apptest.Password, "/reader/dashboard")
	tab.ClickNav(`a[href="/reader/availability"]`)
	tab.WaitText("h1", "Your availability")
	tab.Select(`select[name="time_zone"]`, "Europe/Lisbon")
	setTime(t, tab, `[data-weekday="monday"] input[name="start_monday"]`, "09:00")
	setTime(t, tab, `[data-weekday="monday"] input[name="end_monday"]`, "12:30")
	setTime(t, tab, `[data-weekday="thursday"] input[name="start_thursday"]`, "18:00")
	setTime(t, tab, `[data-weekday="thursday"] input[name="end_thursday"]`, "21:00")
	for _, d := range []string{"15", "30", "45", "60"} {
		tab.SetChecked(`input[name="durations"][value="`+d+`"]`, d == "30" || d == "60")
	}
	tab.Fill(`input[name="price_60"]`, "80.00")
	tab.ClickNav(`#weekly button[type="submit"]`)
	tab.WaitText(".flash", "Your availability is saved.")
	if v := tab.Value(`[data-weekday="monday"] input[name="start_monday"]`); v != "09:00" {
		t.Errorf("after saving, Monday starts at %q, want 09:00", v)
	}
	tab.Screenshot("reader-availability")

	got, err := s.App.Schedule.Get(context.Background(), rdr)
	if err != nil {
		t.Fatal(err)
	}
	if got.TimeZone != "Europe/Lisbon" || len(got.Weekly) != 2 || len(got.Durations) != 2 || got.Prices["60"] != 80_00 {
		t.Fatalf("saved availability %+v, want Lisbon, Monday and Thursday ranges, 30 and 60 minutes, 60 at $80.00", got)
	}
}

// setTime sets a time field as its picker would: typing into one is
// locale-dependent in Chromium.
func setTime(t *testing.T, tab *browsertest.Tab, sel, hhmm string) {
	t.Helper()
	if got := browsertest.Eval[string](tab, fmt.Sprintf(`(function () {
  var el = document.querySelector(%q);
  el.value = %q;
  el.dispatchEvent(new Event("input", {bubbles: true}));
  el.dispatchEvent(new Event("change", {bubbles: true}));
  return el.value;
})()`, sel, hhmm)); got != hhmm {
		t.Fatalf("%s holds %q, want %q", sel, got, hhmm)
	}
}
