package web_test

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/soulseer/soulseer/internal/account"
	"github.com/soulseer/soulseer/internal/apptest"
	"github.com/soulseer/soulseer/internal/clock"
	"github.com/soulseer/soulseer/internal/db/dbtest"
	"github.com/soulseer/soulseer/internal/payment"
	"github.com/soulseer/soulseer/internal/schedule"
)

// SCH-6: a booked reading's room, on a clock the test sets. Before it
// opens it tells the client (in New York) when, on their clock with the
// zone named, and records nobody. From 10 minutes before the start each
// party opening it is recorded as present, and the room has the chat
// (sent through the API, shown to the other party), the time to the start
// and the time left, no meter, and says voice is not configured here.
// Once the end has come it says the reading has ended, keeps the
// transcript and takes no message. Anyone but the two parties — an admin
// too — gets a 404, a visitor the login page.
func TestBookingRoomPage_SCH6(t *testing.T) {
	t.Parallel()
	for _, e := range dbtest.Engines() {
		t.Run(string(e), func(t *testing.T) {
			t.Parallel()
			clk := clock.NewFake(time.Date(2027, 3, 8, 14, 0, 0, 0, time.UTC)) // a Monday; New York is on EST (UTC−5) until 14 March
			bookingRoomPage(t, apptest.Start(t, e, roomyLimits(), apptest.WithClock(clk), apptest.WithManualSweeps()), clk)
		})
	}
}

func bookingRoomPage(t *testing.T, s *apptest.Server, clk *clock.Fake) {
	w := newWorld(t, s)
	b := roomBooking(t, w, time.Date(2027, 3, 8, 15, 0, 0, 0, time.UTC))
	room := "/bookings/" + id(b.ID) + "/room"
	client, luna := w.as["client"], w.as["reader"]
	page := func(c *apptest.Client, status int, wants ...string) string {
		t.Helper()
		res := c.Do("GET", room, nil)
		body := string(res.Body)
		if res.Status != status {
			t.Fatalf("GET %s: %d, want %d: %.600s", room, res.Status, status, body)
		}
		for _, want := range wants {
			if !strings.Contains(body, want) {
				t.Errorf("the room (%d) lacks %q", res.Status, want)
			}
		}
		return body
	}
	joined := func() (client, reader bool) {
		t.Helper()
		got, err := s.App.Schedule.GetBooking(ctx, w.admin, b.ID)
		if err != nil {
			t.Fatal(err)
		}
		return got.ClientJoinedAt != nil, got.ReaderJoinedAt != nil
	}

	page(client, http.StatusOK, "The room opens at 09:50 on Monday 8 March (America/New_York)", "Monday 8 March 2027, 10:00–10:30", `data-opens-in="3000"`)
	if c, r := joined(); c || r {
		t.Fatal("opening the room before it opens recorded presence")
	}
	stranger := bearer(t, s, s.CreateUser("stranger@example.com", account.RoleClient))
	for _, c := range []*apptest.Client{stranger, w.as["admin"]} {
		page(c, http.StatusNotFound)
	}
	if res := w.as["anon"].Do("GET", room, nil); res.Status != http.StatusSeeOther || !strings.HasPrefix(res.Header.Get("Location"), "/login") {
		t.Fatalf("a visitor: %d %s", res.Status, res.Header.Get("Location"))
	}

	clk.Set(time.Date(2027, 3, 8, 14, 52, 0, 0, time.UTC))
	body := page(client, http.StatusOK, "Booked reading with Luna Vale", "Starts in", ">8:00<", "Time left", ">38:00<", "times in America/New_York",
		"nothing is charged by the minute", "Voice and video are not configured", `action="/api/v1/bookings/`+id(b.ID)+`/messages"`, "js/booking_room.", "js/chat.")
	if strings.Contains(body, "Cost so far") {
		t.Error("the booked room shows a meter")
	}
	if c, r := joined(); !c || r {
		t.Fatalf("after the client opened the room: client present %v, reader present %v", c, r)
	}
	res := client.Do("POST", "/api/v1/bookings/"+id(b.ID)+"/messages", map[string]string{"body": "Hello Luna"})
	if res.Status != http.StatusCreated {
		t.Fatalf("send a message: %d %s", res.Status, res.Body)
	}
	page(luna, http.StatusOK, "Booked reading for "+w.client.DisplayName, "Hello Luna")
	if c, r := joined(); !c || !r {
		t.Fatal("opening the room did not record the reader as present")
	}

	clk.Set(b.EndsAt)
	page(client, http.StatusOK, "This reading has ended.", "Transcript", "Hello Luna")
	res = client.Do("POST", "/api/v1/bookings/"+id(b.ID)+"/messages", map[string]string{"body": "Still there?"})
	var p problem
	res.JSON(t, &p)
	if res.Status != http.StatusConflict || p.Detail != "This reading has ended." {
		t.Fatalf("a message after the end: %d %+v", res.Status, p)
	}
}

// roomBooking books the world's client a voice half hour with Luna from
// start, opened for it by hand without notice, the client paid up for it;
// the client's clock is New York's.
func roomBooking(t *testing.T, w *world, start time.Time) schedule.Booking {
	t.Helper()
	sch := w.s.App.Schedule
	if _, err := sch.Set(ctx, w.reader, schedule.Availability{TimeZone: "UTC", Durations: []int{30}, MaxDaysAhead: 28}); err != nil {
		t.Fatal(err)
	}
	if _, err := sch.AddOpening(ctx, w.reader, schedule.OpeningInput{StartsAt: start.Format(time.RFC3339), DurationMinutes: 30}); err != nil {
		t.Fatal(err)
	}
	if _, err := w.s.App.Payments.Adjust(ctx, w.admin, payment.AdjustInput{UserID: w.client.ID, AmountCents: 30 * 399, Reason: "a booked reading"}); err != nil {
		t.Fatal(err)
	}
	zone := "America/New_York"
	if _, err := w.s.App.Accounts.UpdateSettings(ctx, w.client.ID, account.SettingsInput{TimeZone: &zone}); err != nil {
		t.Fatal(err)
	}
	b, _, err := sch.Book(ctx, w.client, schedule.BookInput{ReaderID: w.reader.ID, StartsAt: start, DurationMinutes: 30, Modality: "voice", RequestKey: "room"})
	if err != nil {
		t.Fatal(err)
	}
	return b
}
