package schedule

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/soulseer/soulseer/internal/account"
	"github.com/soulseer/soulseer/internal/apptest"
	"github.com/soulseer/soulseer/internal/browsertest"
	"github.com/soulseer/soulseer/internal/clock"
	"github.com/soulseer/soulseer/internal/config"
	"github.com/soulseer/soulseer/internal/db"
	"github.com/soulseer/soulseer/internal/e2e"
	"github.com/soulseer/soulseer/internal/payment"
	"github.com/soulseer/soulseer/internal/reader"
	"github.com/soulseer/soulseer/internal/schedule"
)

func TestBookingRoom(t *testing.T) {
	e2e.EachEngine(t, testBookingRoom)
}

// testBookingRoom: SCH-6. A chat reading is booked to start in five
// minutes; its client (in New York) and its reader (in London) open the
// booked reading's room, which records each as present and shows, with no
// meter, the time to the start and the time left to the booked end; they
// exchange a message each, arriving live in the other's room. A later
// booking's room says when it opens, on the client's clock with the zone
// named. Every page is checked for accessibility at both widths. The app
// runs on a clock held five minutes before the start, so the story waits
// for nothing.
func testBookingRoom(t *testing.T, e db.Engine) {
	ctx := context.Background()
	start := time.Now().UTC().Truncate(schedule.Grid * time.Minute).Add(schedule.Grid * time.Minute)
	clk := clock.NewFake(start.Add(-5 * time.Minute))
	s := apptest.Start(t, e, apptest.WithClock(clk), apptest.WithManualSweeps(), apptest.WithConfig(func(c *config.Config) { c.AuthRateLimit = 1000 }))
	b := browsertest.New(t, s.URL)
	b.Screenshots = b.Screenshots && e == db.SQLite
	st := &e2e.Story{T: t, S: s, B: b}

	admin := e2e.CreateUser(t, s, "Ada Admin", "ada@example.com", account.RoleAdmin)
	client := e2e.CreateUser(t, s, "Cleo Marsh", "cleo@example.com", account.RoleClient)
	rdr := e2e.CreateUser(t, s, "Iris Vale", "iris@example.com", account.RoleReader)
	text := int64(199)
	if _, err := s.App.Readers.UpdateProfile(ctx, rdr.ID, reader.ProfileInput{DisplayName: rdr.DisplayName, Rates: reader.RatesInput{Text: &text}}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.App.Readers.SetVerified(ctx, admin, rdr.ID, true); err != nil {
		t.Fatal(err)
	}
	for who, zone := range map[int64]string{client.ID: "America/New_York", rdr.ID: "Europe/London"} {
		if _, err := s.App.Accounts.UpdateSettings(ctx, who, account.SettingsInput{TimeZone: &zone}); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := s.App.Schedule.Set(ctx, rdr, schedule.Availability{TimeZone: "Europe/London", Durations: []int{30}, MaxDaysAhead: 28}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.App.Payments.Adjust(ctx, admin, payment.AdjustInput{UserID: client.ID, AmountCents: 2 * 30 * text, Reason: "Two booked readings"}); err != nil {
		t.Fatal(err)
	}
	book := func(at time.Time) schedule.Booking {
		t.Helper()
		if _, err := s.App.Schedule.AddOpening(ctx, rdr, schedule.OpeningInput{StartsAt: at.Format(time.RFC3339), DurationMinutes: 30}); err != nil {
			t.Fatal(err)
		}
		bk, _, err := s.App.Schedule.Book(ctx, client, schedule.BookInput{ReaderID: rdr.ID, StartsAt: at, DurationMinutes: 30, Modality: "text",
			RequestKey: at.Format(time.RFC3339)})
		if err != nil {
			t.Fatal(err)
		}
		return bk
	}
	soon, later := book(start), book(start.Add(2*time.Hour))
	room := fmt.Sprintf("/bookings/%d/room", soon.ID)

	readerTab := b.NewTab("reader")
	st.LogIn(readerTab, rdr.Email, apptest.Password, "/reader/dashboard")
	readerTab.Visit(room)
	readerTab.WaitText(".room-title", "Booked reading for Cleo Marsh")
	clientTab := b.NewTab("client")
	st.LogIn(clientTab, client.Email, apptest.Password, "/dashboard")
	clientTab.Visit(room)
	clientTab.WaitText(".room-title", "Booked reading with Iris Vale")
	clientTab.WaitText(".room-head", "times in America/New_York")
	clientTab.WaitText(".room-head", start.In(zoneOf(t, "America/New_York")).Format("15:04")+"–")
	readerTab.WaitText(".room-head", start.In(zoneOf(t, "Europe/London")).Format("15:04")+"–")

	// The time to the start and the time left count down from 5 and 35
	// minutes; nothing is metered.
	for _, tab := range []*browsertest.Tab{clientTab, readerTab} {
		tab.WaitJS("the time left to count down", `/^3[45]:[0-5]\d$/.test(document.querySelector("[data-time-left]").textContent)`)
		tab.WaitJS("the time to the start to count down", `/^[45]:[0-5]\d$/.test(document.querySelector("[data-starts-left]").textContent)`)
		if n := tab.Count("[data-cost]"); n != 0 {
			t.Errorf("%s tab: the booked room shows a cost meter", tab.Name)
		}
		tab.WaitJS("the room's live connection to open", `document.getElementById("booking-room").classList.contains("is-live")`)
	}
	got, err := s.App.Schedule.GetBooking(ctx, admin, soon.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.ClientJoinedAt == nil || got.ReaderJoinedAt == nil {
		t.Fatalf("opening the room recorded client %v, reader %v; want both present", got.ClientJoinedAt, got.ReaderJoinedAt)
	}

	// Chat both ways, live.
	clientTab.Fill("[data-chat-input]", "Hello Iris, I am here.")
	clientTab.Click(`[data-chat-form] button[type="submit"]`)
	clientTab.WaitText("[data-messages] li.is-mine", "Hello Iris, I am here.")
	readerTab.WaitText("[data-messages] li:not(.is-mine)", "Hello Iris, I am here.")
	readerTab.Fill("[data-chat-input]", "Welcome, Cleo. Shall we begin?")
	readerTab.Click(`[data-chat-form] button[type="submit"]`)
	clientTab.WaitText("[data-messages] li:not(.is-mine)", "Welcome, Cleo. Shall we begin?")
	clientTab.Screenshot("booking-room")
	if list, err := s.App.Schedule.Transcript(ctx, client, soon.ID); err != nil || len(list) != 2 {
		t.Fatalf("the room's transcript: %+v %v", list, err)
	}

	// A booking two hours ahead: its room says when it opens.
	clientTab.Visit(fmt.Sprintf("/bookings/%d/room", later.ID))
	opens := later.RoomOpensAt().In(zoneOf(t, "America/New_York")).Format("15:04 on Monday 2 January")
	clientTab.WaitText("h2", "The room opens at "+opens+" (America/New_York)")
	clientTab.WaitJS("the opening to count down", `/in 1:[45]\d:[0-5]\d/.test(document.querySelector("[data-opens-left]").textContent)`)
	if n := clientTab.Count("[data-chat-form]"); n != 0 {
		t.Error("a room not open yet offers the chat")
	}
	if got, _ := s.App.Schedule.GetBooking(ctx, admin, later.ID); got.ClientJoinedAt != nil {
		t.Error("opening a room before it opens recorded the client as present")
	}
}

// zoneOf loads an IANA zone.
func zoneOf(t *testing.T, name string) *time.Location {
	t.Helper()
	loc, err := time.LoadLocation(name)
	if err != nil {
		t.Fatal(err)
	}
	return loc
}
