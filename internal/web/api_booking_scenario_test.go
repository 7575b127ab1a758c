package web_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/soulseer/soulseer/internal/account"
	"github.com/soulseer/soulseer/internal/apptest"
	"github.com/soulseer/soulseer/internal/audit"
	"github.com/soulseer/soulseer/internal/clock"
	"github.com/soulseer/soulseer/internal/db/dbtest"
	"github.com/soulseer/soulseer/internal/ledger"
	"github.com/soulseer/soulseer/internal/schedule"
)

// bookingAPI is every /api/v1 route of scheduled readings' bookings; like
// foundationAPI, each needs a success scenario, and each that takes a JSON
// body is also sent the generic bad bodies (jsonBodyRoutes).
var bookingAPI = map[string]bool{ // route → takes a JSON body
	"POST /api/v1/bookings":                  true,
	"GET /api/v1/bookings":                   false,
	"GET /api/v1/bookings/{id}":              false,
	"POST /api/v1/bookings/{id}/cancel":      false,
	"POST /api/v1/bookings/{id}/join":        false,
	"GET /api/v1/bookings/{id}/calendar.ics": false,
}

// bookingT0 is when the booking scenarios start: midnight UTC of a Monday,
// before either of the year's clock changes.
var bookingT0 = time.Date(2027, 3, 1, 0, 0, 0, 0, time.UTC)

// apiBooking is a booking as the API answers it.
type apiBooking struct {
	ID                int64   `json:"id"`
	ClientID          int64   `json:"client_id"`
	ReaderID          int64   `json:"reader_id"`
	State             string  `json:"state"`
	PriceCents        int64   `json:"price_cents"`
	RefundCents       int64   `json:"refund_cents"`
	StartsAt          string  `json:"starts_at"`
	EndsAt            string  `json:"ends_at"`
	CancelledBy       int64   `json:"cancelled_by"`
	ClientJoinedAt    *string `json:"client_joined_at"`
	ReaderJoinedAt    *string `json:"reader_joined_at"`
	CancelRefundCents *int64  `json:"cancel_refund_cents"`
}

// apiBookingList is GET /api/v1/bookings.
type apiBookingList struct {
	TimeZone string       `json:"time_zone"`
	Bookings []apiBooking `json:"bookings"`
}

// SCH-4 SCH-5 SCH-6 SCH-7 through the API, on a clock the scenarios set:
// booking charges the wallet the price exactly (one booking_charge), a
// replayed Idempotency-Key books once, a taken time is a 409, a short
// wallet a 402 naming what is needed, a time outside availability, notice
// or window a 422, bad input a 400 naming the fields; lists and a booking
// say what cancelling now refunds, cancellation refunds in full 25 h
// before the start, half 23 h before, nothing once started, and in full
// when the reader cancels an hour before; the room records presence only
// in its hours; the calendar file keeps its UID.
func TestBookingAPIScenarios_SCH4_SCH5(t *testing.T) {
	t.Parallel()
	for _, e := range dbtest.Engines() {
		t.Run(string(e), func(t *testing.T) {
			t.Parallel()
			clk := clock.NewFake(bookingT0)
			s := apptest.Start(t, e, roomyLimits(), apptest.WithClock(clk), apptest.WithManualSweeps())
			// Emails wait longer than the scenarios run, so no email sweep
			// changes tables while a refusal is checked.
			s.App.Notify.EmailDelay = 365 * 24 * time.Hour
			w := newWorld(t, s)
			w.extra = s.CreateUser("pat@example.com", account.RoleClient)
			w.as["extra"] = bearer(t, s, w.extra)
			bookingWorld(t, w)
			for _, sc := range bookingScenarios(clk) {
				t.Run(sc.route+" "+sc.name, func(t *testing.T) { sc.run(t, w) })
			}
			if rep, err := ledger.Verify(ctx, s.App.DB); err != nil || len(rep.Problems) > 0 {
				t.Fatalf("ledger verify: %v %v", err, rep.Problems)
			}
		})
	}
}

// bookingWorld has Luna open 08:00–20:00 UTC every day for 30 and 60
// minutes at her per-minute rates (text $1.99, voice $3.99), with an
// hour's notice and four weeks ahead, and Cleo in New York with $500.
func bookingWorld(t *testing.T, w *world) {
	t.Helper()
	a := schedule.Availability{TimeZone: "UTC", Durations: []int{30, 60}, MinNoticeMinutes: 60, MaxDaysAhead: 28}
	for _, day := range []string{"sunday", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday"} {
		a.Weekly = append(a.Weekly, schedule.Range{Weekday: day, Start: "08:00", End: "20:00"})
	}
	if _, err := w.s.App.Schedule.Set(ctx, w.reader, a); err != nil {
		t.Fatal(err)
	}
	if _, err := w.s.App.DB.Writer.ExecContext(ctx, `UPDATE users SET time_zone = 'America/New_York' WHERE id = $1`, w.client.ID); err != nil {
		t.Fatal(err)
	}
	tu, err := w.s.App.Payments.CreateTopUp(ctx, w.client, 50000, "")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := w.s.App.Payments.PayTestCheckout(ctx, w.client, tu.CheckoutSessionID); err != nil {
		t.Fatal(err)
	}
}

// bookingBody is a request for Luna's time at start (UTC) of minutes in
// modality, sent once the clock reads now (unchanged when zero).
func bookingBody(clk *clock.Fake, now, start string, minutes int, modality string) func(t *testing.T, w *world) any {
	return func(t *testing.T, w *world) any {
		setClock(t, clk, now)
		return map[string]any{"reader_id": w.reader.ID, "starts_at": start, "duration_minutes": minutes, "modality": modality}
	}
}

// at sets the clock to now before a request without a body.
func at(clk *clock.Fake, now string) func(t *testing.T, w *world) any {
	return func(t *testing.T, w *world) any {
		setClock(t, clk, now)
		return nil
	}
}

func setClock(t *testing.T, clk *clock.Fake, now string) {
	t.Helper()
	if clk == nil || now == "" {
		return
	}
	v, err := time.Parse(time.RFC3339, now)
	if err != nil {
		t.Fatal(err)
	}
	clk.Set(v)
}

// booked checks the answer is the booking made of the price, on Cleo's New
// York clock, and keeps its id as name.
func booked(name, startsNY string, price int64) func(t *testing.T, w *world, res apptest.Response) {
	return func(t *testing.T, w *world, res apptest.Response) {
		b := decode[apiBooking](t, res)
		if b.ID == 0 || b.State != "booked" || b.PriceCents != price || b.StartsAt != startsNY || b.ClientID != w.client.ID ||
			b.CancelRefundCents == nil || *b.CancelRefundCents != price {
			t.Fatalf("booking = %+v, want booked at %s for %d, all of it refundable", b, startsNY, price)
		}
		w.ids[name] = b.ID
	}
}

// charges are Cleo's booking charges, newest first.
func charges(t *testing.T, w *world) []ledger.Entry {
	t.Helper()
	es, err := w.s.App.Ledger.Entries(ctx, ledger.Wallet(w.client.ID), ledger.EntryFilter{Types: []ledger.EntryType{ledger.TypeBookingCharge}})
	if err != nil {
		t.Fatal(err)
	}
	return es
}

// refunded checks a cancellation answer and Cleo's wallet after it.
func refunded(refund, wallet int64, by string) func(t *testing.T, w *world, res apptest.Response) {
	return func(t *testing.T, w *world, res apptest.Response) {
		b := decode[apiBooking](t, res)
		who := map[string]int64{"client": w.client.ID, "reader": w.reader.ID, "admin": w.admin.ID}[by]
		if b.State != "cancelled" || b.RefundCents != refund || b.CancelledBy != who || b.CancelRefundCents != nil {
			t.Fatalf("cancelled = %+v, want a refund of %d by %s", b, refund, by)
		}
		if got := walletOf(t, w); got != wallet {
			t.Fatalf("wallet after the refund = %d, want %d", got, wallet)
		}
	}
}

// refundNow checks what a booking says cancelling it now would refund;
// -1 for "may not cancel".
func refundNow(want int64) func(t *testing.T, w *world, res apptest.Response) {
	return func(t *testing.T, w *world, res apptest.Response) {
		b := decode[apiBooking](t, res)
		switch {
		case want < 0 && b.CancelRefundCents != nil:
			t.Fatalf("cancel_refund_cents = %d, want none: %s", *b.CancelRefundCents, res.Body)
		case want >= 0 && (b.CancelRefundCents == nil || *b.CancelRefundCents != want):
			t.Fatalf("cancel_refund_cents of %s, want %d", res.Body, want)
		}
	}
}

// calendar checks an .ics answer: its headers, CRLF lines and the UID
// naming the booking on the site's host.
func calendar(name string, want ...string) func(t *testing.T, w *world, res apptest.Response) {
	return func(t *testing.T, w *world, res apptest.Response) {
		bid := w.ids[name]
		if ct := res.Header.Get("Content-Type"); ct != "text/calendar; charset=utf-8" {
			t.Errorf("Content-Type %q", ct)
		}
		if cd := res.Header.Get("Content-Disposition"); cd != fmt.Sprintf(`attachment; filename="booking-%d.ics"`, bid) {
			t.Errorf("Content-Disposition %q", cd)
		}
		body := string(res.Body)
		if !strings.HasSuffix(body, "END:VCALENDAR\r\n") || strings.Contains(strings.ReplaceAll(body, "\r\n", ""), "\n") {
			t.Errorf("not CRLF lines: %q", body)
		}
		for _, s := range append(want, fmt.Sprintf("UID:booking-%d@127.0.0.1\r\n", bid)) {
			if !strings.Contains(strings.ReplaceAll(body, "\r\n ", ""), s) {
				t.Errorf("calendar lacks %q: %s", s, body)
			}
		}
	}
}

func bookingScenarios(clk *clock.Fake) []scenario {
	const (
		bookings  = "POST /api/v1/bookings"
		list      = "GET /api/v1/bookings"
		show      = "GET /api/v1/bookings/{id}"
		cancel    = "POST /api/v1/bookings/{id}/cancel"
		join      = "POST /api/v1/bookings/{id}/join"
		ics       = "GET /api/v1/bookings/{id}/calendar.ics"
		adminList = "GET /api/v1/admin/bookings"
		t0        = "2027-03-01T00:00:00Z"
		text30    = 30 * 199 // cents: 30 minutes of Luna's text rate
	)
	key := func(k string) []string { return []string{"Idempotency-Key", k} }
	return []scenario{
		// Booking (SCH-4).
		{name: "book", route: bookings, as: "client", headers: key("book-a"), status: 201,
			bodyFn: bookingBody(clk, t0, "2027-03-03T10:00:00Z", 30, "text"),
			check: func(t *testing.T, w *world, res apptest.Response) {
				booked("bookA", "2027-03-03T05:00:00-05:00", text30)(t, w, res)
				if b := decode[apiBooking](t, res); b.EndsAt != "2027-03-03T05:30:00-05:00" || b.ReaderID != w.reader.ID {
					t.Fatalf("booking = %+v", b)
				}
				// SCH-4: the wallet is charged exactly the price, once, as a booking charge.
				if cs := charges(t, w); len(cs) != 1 || cs[0].Amount != -text30 || cs[0].CauseID != id(w.ids["bookA"]) {
					t.Fatalf("booking charges = %+v, want one of %d", cs, -text30)
				}
				if got := walletOf(t, w); got != 50000-text30 {
					t.Fatalf("wallet = %d, want %d", got, 50000-text30)
				}
			}},
		{name: "book replayed", route: bookings, as: "client", headers: key("book-a"), status: 200, unchanged: true,
			bodyFn: bookingBody(clk, "", "2027-03-03T10:00:00Z", 30, "text"),
			check: func(t *testing.T, w *world, res apptest.Response) {
				if b := decode[apiBooking](t, res); b.ID != w.ids["bookA"] || b.State != "booked" {
					t.Fatalf("replay answered %+v, want booking %d", b, w.ids["bookA"])
				}
				if cs := charges(t, w); len(cs) != 1 {
					t.Fatalf("%d booking charges after a replay, want 1", len(cs))
				}
			}},
		{name: "book key reused for another time", route: bookings, as: "client", headers: key("book-a"), status: 409, detail: "request key",
			bodyFn: bookingBody(clk, "", "2027-03-03T11:00:00Z", 30, "text")},
		{name: "book a taken time", route: bookings, as: "extra", status: 409, detail: "Someone else",
			bodyFn: bookingBody(clk, "", "2027-03-03T10:00:00Z", 30, "text")},
		{name: "book an overlapping time", route: bookings, as: "extra", status: 409,
			bodyFn: bookingBody(clk, "", "2027-03-03T09:30:00Z", 60, "voice")},
		{name: "book without a key", route: bookings, as: "client", status: 201, bodyFn: bookingBody(clk, "", "2027-03-02T10:00:00Z", 30, "text"),
			check: booked("bookB", "2027-03-02T05:00:00-05:00", text30)},
		{name: "book in Kolkata's zone", route: bookings, as: "client", path: "/api/v1/bookings?tz=Asia/Kolkata", headers: key("book-c"), status: 201,
			bodyFn: bookingBody(clk, "", "2027-03-02T17:30:00+05:30", 30, "text"),
			check:  booked("bookC", "2027-03-02T17:30:00+05:30", text30)},
		{name: "book the next", route: bookings, as: "client", headers: key("book-d"), status: 201, bodyFn: bookingBody(clk, "", "2027-03-02T14:00:00Z", 30, "text"),
			check: booked("bookD", "2027-03-02T09:00:00-05:00", text30)},
		{name: "book one more", route: bookings, as: "client", headers: key("book-e"), status: 201, bodyFn: bookingBody(clk, "", "2027-03-04T10:00:00Z", 30, "text"),
			check: func(t *testing.T, w *world, res apptest.Response) {
				booked("bookE", "2027-03-04T05:00:00-05:00", text30)(t, w, res)
				if cs := charges(t, w); len(cs) != 5 || walletOf(t, w) != 50000-5*text30 {
					t.Fatalf("%d booking charges, wallet %d; want 5 and %d", len(cs), walletOf(t, w), 50000-5*text30)
				}
			}},
		{name: "book short of money", route: bookings, as: "client", status: 402, detail: "this reading costs $239.40: add $37.90 to book it",
			bodyFn: bookingBody(clk, "", "2027-03-05T10:00:00Z", 60, "voice")},
		{name: "book outside availability", route: bookings, as: "client", status: 422, detail: "outside this reader's availability",
			bodyFn: bookingBody(clk, "", "2027-03-03T22:00:00Z", 30, "text")},
		{name: "book within the notice", route: bookings, as: "client", status: 422, detail: "at least 1 hour ahead",
			bodyFn: bookingBody(clk, "", "2027-03-01T00:30:00Z", 30, "text")},
		{name: "book beyond the window", route: bookings, as: "client", status: 422, detail: "at most 28 days ahead",
			bodyFn: bookingBody(clk, "", "2027-03-30T10:00:00Z", 30, "text")},
		{name: "book a modality not offered", route: bookings, as: "client", status: 422, detail: "does not offer video",
			bodyFn: bookingBody(clk, "", "2027-03-05T10:00:00Z", 30, "video")},
		{name: "book with bad fields", route: bookings, as: "client", status: 400, fields: []string{"reader_id", "starts_at", "duration_minutes", "modality"},
			body: map[string]any{"reader_id": 0, "starts_at": "tomorrow", "duration_minutes": 20, "modality": "smoke"}},
		{name: "book with a time without offset", route: bookings, as: "client", status: 400, fields: []string{"starts_at"},
			bodyFn: bookingBody(clk, "", "2027-03-05T10:00:00", 30, "text")},
		{name: "book with a number for a time", route: bookings, as: "client", status: 400, fields: []string{"starts_at"},
			body: `{"reader_id": 1, "starts_at": 1700000000, "duration_minutes": 30, "modality": "text"}`},
		{name: "book with too long a key", route: bookings, as: "client", headers: key(strings.Repeat("k", schedule.MaxRequestKeyLen+1)), status: 400,
			fields: []string{"Idempotency-Key"}, bodyFn: bookingBody(clk, "", "2027-03-05T10:00:00Z", 30, "text")},
		{name: "book in an unknown zone", route: bookings, as: "client", path: "/api/v1/bookings?tz=Mars/Base", status: 400, fields: []string{"tz"},
			bodyFn: bookingBody(clk, "", "2027-03-05T10:00:00Z", 30, "text")},
		{name: "book oneself", route: bookings, as: "reader", status: 400, fields: []string{"reader_id"},
			bodyFn: bookingBody(clk, "", "2027-03-05T10:00:00Z", 30, "text")},
		{name: "book an unknown reader", route: bookings, as: "client", status: 404,
			body: map[string]any{"reader_id": 999999, "starts_at": "2027-03-05T10:00:00Z", "duration_minutes": 30, "modality": "text"}},
		{name: "book an unverified reader", route: bookings, as: "client", status: 404,
			bodyFn: func(t *testing.T, w *world) any {
				return map[string]any{"reader_id": w.pending.ID, "starts_at": "2027-03-05T10:00:00Z", "duration_minutes": 30, "modality": "text"}
			}},
		{name: "book a reader one blocked", route: bookings, as: "extra", status: 403, // ACC-6
			bodyFn: func(t *testing.T, w *world) any {
				if _, err := w.s.App.Blocks.Block(ctx, w.extra, w.reader.ID); err != nil {
					t.Fatal(err)
				}
				return bookingBody(clk, "", "2027-03-05T10:00:00Z", 30, "text")(t, w)
			}},
		{name: "book anonymously", route: bookings, as: "anon", status: 401, bodyFn: bookingBody(clk, "", "2027-03-05T10:00:00Z", 30, "text")},

		// Lists and one booking, with what cancelling now refunds (SCH-5, SCH-7).
		{name: "bookings", route: list, as: "client", status: 200,
			check: func(t *testing.T, w *world, res apptest.Response) {
				l := decode[apiBookingList](t, res)
				var ids []int64
				for _, b := range l.Bookings {
					ids = append(ids, b.ID)
					if b.CancelRefundCents == nil || *b.CancelRefundCents != text30 {
						t.Errorf("booking %d: cancel_refund_cents %v, want %d (more than a day ahead)", b.ID, b.CancelRefundCents, text30)
					}
				}
				want := []int64{w.ids["bookB"], w.ids["bookC"], w.ids["bookD"], w.ids["bookA"], w.ids["bookE"]}
				if l.TimeZone != "America/New_York" || fmt.Sprint(ids) != fmt.Sprint(want) || l.Bookings[0].StartsAt != "2027-03-02T05:00:00-05:00" {
					t.Fatalf("bookings = %+v, want %v soonest first on New York's clock", l, want)
				}
			}},
		{name: "bookings of the reader", route: list, as: "reader", path: "/api/v1/bookings?when=upcoming&tz=Asia/Kolkata", status: 200,
			contains: []string{`"time_zone":"Asia/Kolkata"`, `"starts_at":"2027-03-02T15:30:00+05:30"`, fmt.Sprintf(`"cancel_refund_cents":%d`, text30)}},
		{name: "bookings past", route: list, as: "client", path: "/api/v1/bookings?when=past", status: 200, contains: []string{`"bookings":[]`}},
		{name: "bookings of someone else", route: list, as: "pending", status: 200, contains: []string{`"bookings":[]`, `"time_zone":"UTC"`}},
		{name: "bookings bad when", route: list, as: "client", path: "/api/v1/bookings?when=soon", status: 400, fields: []string{"when"}},
		{name: "bookings bad zone", route: list, as: "client", path: "/api/v1/bookings?tz=Mars/Base", status: 400, fields: []string{"tz"}},
		{name: "bookings anonymously", route: list, as: "anon", status: 401},
		{name: "booking", route: show, as: "client", path: "/api/v1/bookings/{bookA}", status: 200,
			contains: []string{`"state":"booked"`, `"reader_name":"Luna Vale"`, `"starts_at":"2027-03-03T05:00:00-05:00"`}, check: refundNow(text30)},
		{name: "booking for its reader", route: show, as: "reader", path: "/api/v1/bookings/{bookA}", status: 200, check: refundNow(text30)},
		{name: "booking for an admin", route: show, as: "admin", path: "/api/v1/bookings/{bookA}?tz=Europe/London", status: 200,
			contains: []string{`"starts_at":"2027-03-03T10:00:00Z"`}, check: refundNow(text30)},
		{name: "booking of someone else", route: show, as: "pending", path: "/api/v1/bookings/{bookA}", status: 404},
		{name: "booking unknown", route: show, as: "client", path: "/api/v1/bookings/999999", status: 404},
		{name: "booking bad id", route: show, as: "client", path: "/api/v1/bookings/abc", status: 404},
		{name: "booking bad zone", route: show, as: "client", path: "/api/v1/bookings/{bookA}?tz=Nowhere", status: 400, fields: []string{"tz"}},

		// The calendar file (SCH-7).
		{name: "calendar", route: ics, as: "client", path: "/api/v1/bookings/{bookA}/calendar.ics", status: 200, media: "text/calendar",
			check: calendar("bookA", "DTSTART:20270303T100000Z", "STATUS:CONFIRMED", "SUMMARY:30-minute text reading with Luna Vale")},
		{name: "calendar for its reader", route: ics, as: "reader", path: "/api/v1/bookings/{bookA}/calendar.ics", status: 200, media: "text/calendar",
			check: calendar("bookA", "SUMMARY:30-minute text reading with cleo")},
		{name: "calendar of someone else", route: ics, as: "pending", path: "/api/v1/bookings/{bookA}/calendar.ics", status: 404},
		{name: "calendar anonymously", route: ics, as: "anon", path: "/api/v1/bookings/{bookA}/calendar.ics", status: 401},

		// Cancellation refunds by the notice (SCH-5).
		{name: "refund shown 25 h before", route: show, as: "client", path: "/api/v1/bookings/{bookB}", status: 200,
			bodyFn: at(clk, "2027-03-01T09:00:00Z"), check: refundNow(text30)},
		{name: "cancel 25 h before: all back", route: cancel, as: "client", path: "/api/v1/bookings/{bookB}/cancel", status: 200,
			check: refunded(text30, 50000-4*text30, "client")},
		{name: "refund shown 23 h before", route: show, as: "client", path: "/api/v1/bookings/{bookC}", status: 200,
			bodyFn: at(clk, "2027-03-01T13:00:00Z"), check: refundNow(text30 / 2)},
		{name: "refund shown to the reader 23 h before", route: show, as: "reader", path: "/api/v1/bookings/{bookC}", status: 200, check: refundNow(text30)},
		{name: "cancel 23 h before: half back", route: cancel, as: "client", path: "/api/v1/bookings/{bookC}/cancel", status: 200,
			check: refunded(text30/2, 50000-4*text30+text30/2, "client")},
		{name: "cancel twice", route: cancel, as: "client", path: "/api/v1/bookings/{bookC}/cancel", status: 409, detail: "already cancelled"},
		{name: "cancel someone else's", route: cancel, as: "pending", path: "/api/v1/bookings/{bookA}/cancel", status: 404},
		{name: "cancel unknown", route: cancel, as: "client", path: "/api/v1/bookings/999999/cancel", status: 404},
		{name: "cancel anonymously", route: cancel, as: "anon", path: "/api/v1/bookings/{bookA}/cancel", status: 401},

		// The room's hours (SCH-6).
		{name: "join before the room opens", route: join, as: "client", path: "/api/v1/bookings/{bookD}/join", status: 409, detail: "10 minutes before"},
		{name: "join", route: join, as: "client", path: "/api/v1/bookings/{bookD}/join", status: 200, bodyFn: at(clk, "2027-03-02T13:55:00Z"),
			check: func(t *testing.T, w *world, res apptest.Response) {
				if b := decode[apiBooking](t, res); b.ClientJoinedAt == nil || *b.ClientJoinedAt != "2027-03-02T08:55:00-05:00" || b.ReaderJoinedAt != nil {
					t.Fatalf("joined = %+v, want the client's presence only", b)
				}
			}},
		{name: "join as its reader", route: join, as: "reader", path: "/api/v1/bookings/{bookD}/join", status: 200,
			check: func(t *testing.T, w *world, res apptest.Response) {
				if b := decode[apiBooking](t, res); b.ReaderJoinedAt == nil || b.ClientJoinedAt == nil {
					t.Fatalf("joined = %+v, want both present", b)
				}
			}},
		{name: "join as an admin", route: join, as: "admin", path: "/api/v1/bookings/{bookD}/join", status: 404},
		{name: "join someone else's", route: join, as: "pending", path: "/api/v1/bookings/{bookD}/join", status: 404},
		{name: "join anonymously", route: join, as: "anon", path: "/api/v1/bookings/{bookD}/join", status: 401},
		{name: "no refund shown after the start", route: show, as: "client", path: "/api/v1/bookings/{bookD}", status: 200,
			bodyFn: at(clk, "2027-03-02T14:05:00Z"), check: refundNow(-1)},
		{name: "cancel after the start", route: cancel, as: "client", path: "/api/v1/bookings/{bookD}/cancel", status: 409, detail: "has started"},
		{name: "join after the end", route: join, as: "client", path: "/api/v1/bookings/{bookD}/join", status: 409, detail: "has ended",
			bodyFn: at(clk, "2027-03-02T14:30:00Z")},

		// A reader's or an admin's cancellation refunds in full (SCH-5).
		{name: "cancel by the reader an hour before: all back", route: cancel, as: "reader", path: "/api/v1/bookings/{bookA}/cancel", status: 200,
			bodyFn: at(clk, "2027-03-03T09:00:00Z"), check: refunded(text30, 50000-3*text30+text30/2, "reader")},
		{name: "cancel by an admin", route: cancel, as: "admin", path: "/api/v1/bookings/{bookE}/cancel", status: 200,
			check: func(t *testing.T, w *world, res apptest.Response) {
				refunded(text30, 50000-2*text30+text30/2, "admin")(t, w, res)
				es, _ := audit.List(ctx, w.s.App.DB.Read(), audit.Filter{Action: "booking.cancel", ObjectID: id(w.ids["bookE"])})
				if len(es) != 1 || es[0].ActorID != w.admin.ID {
					t.Fatalf("audit = %+v, want the admin's cancellation", es)
				}
			}},
		{name: "calendar once cancelled", route: ics, as: "client", path: "/api/v1/bookings/{bookA}/calendar.ics", status: 200, media: "text/calendar",
			check: calendar("bookA", "STATUS:CANCELLED", "SEQUENCE:1")},
		{name: "bookings past at the end", route: list, as: "client", path: "/api/v1/bookings?when=past", status: 200,
			check: func(t *testing.T, w *world, res apptest.Response) {
				l := decode[apiBookingList](t, res)
				states := map[string]int{}
				for _, b := range l.Bookings {
					states[b.State]++
				}
				// D has ended and waits for the sweep to settle it.
				if len(l.Bookings) != 5 || states["cancelled"] != 4 || states["booked"] != 1 {
					t.Fatalf("past bookings = %+v", l.Bookings)
				}
			}},
		{name: "bookings upcoming at the end", route: list, as: "client", status: 200, contains: []string{`"bookings":[]`}},
		// Admins see every booking, and escrow beside what open ones hold.
		{name: "admin bookings", route: adminList, as: "admin", status: 200,
			contains: []string{`"total":5`, fmt.Sprintf(`"escrow_cents":%d`, text30), `"open_count":1`, fmt.Sprintf(`"open_cents":%d`, text30)}},
		{name: "admin bookings cancelled of Cleo", route: adminList, as: "admin", path: "/api/v1/admin/bookings?state=cancelled&q=CLEO&tz=Asia/Kolkata", status: 200,
			contains: []string{`"total":4`, `"time_zone":"Asia/Kolkata"`, `+05:30"`}},
		{name: "admin bookings bad filter", route: adminList, as: "admin", path: "/api/v1/admin/bookings?state=lost&offset=first", status: 400, fields: []string{"state", "offset"}},
	}
}
