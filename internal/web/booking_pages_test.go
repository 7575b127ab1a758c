package web_test

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/soulseer/soulseer/internal/account"
	"github.com/soulseer/soulseer/internal/apptest"
	"github.com/soulseer/soulseer/internal/clock"
	"github.com/soulseer/soulseer/internal/ledger"
)

// SCH-3 SCH-4 SCH-5 SCH-7 through the pages, at midnight UTC of a Monday:
// Luna (UTC, 08:00–20:00 daily) shows a visitor her week in her zone and
// the client (New York) in theirs, with prices per modality and length;
// the confirmation names the time, zone, price, balance and refund
// policy; booking charges once even when the form is sent twice; a time
// taken meanwhile, a short wallet, a bad field and a time beyond the
// window are each said on the page and change nothing; "My bookings", the
// dashboards and the booking's page show it to both parties with what
// cancelling now refunds; the client cancels a reading 19 hours ahead and
// gets half back, Luna cancels another and the client gets it all back;
// anyone else gets a 404; the calendar file downloads; browsing by time
// filters and names bad values.
func TestBookingPages_SCH3_SCH4_SCH5_SCH7(t *testing.T) {
	eachApp(t, func(t *testing.T, s *apptest.Server) {
		w := newWorld(t, s)
		bookingWorld(t, w)
		bookingPages(t, w)
	}, apptest.WithClock(clock.NewFake(bookingT0)), apptest.WithManualSweeps())
}

func bookingPages(t *testing.T, w *world) {
	s, client, luna, anon := w.s, w.as["client"], w.as["reader"], w.as["anon"]
	profile := "/readers/" + id(w.reader.ID)
	has := func(res apptest.Response, status int, wants ...string) {
		t.Helper()
		if res.Status != status {
			t.Fatalf("%d, want %d: %.800s", res.Status, status, res.Body)
		}
		for _, want := range wants {
			if !strings.Contains(string(res.Body), want) {
				t.Errorf("the page (%d) lacks %q", res.Status, want)
			}
		}
	}
	lacks := func(res apptest.Response, unwanted ...string) {
		t.Helper()
		for _, u := range unwanted {
			if strings.Contains(string(res.Body), u) {
				t.Errorf("the page (%d) holds %q", res.Status, u)
			}
		}
	}

	// The week view: a visitor sees Luna's zone, the client their own.
	has(anon.Do("GET", profile, nil), http.StatusOK, "Book a time", `data-zone>UTC<`, "Luna Vale's time zone", "Mon 1 Mar", "Sun 7 Mar",
		`href="/readers/`+id(w.reader.ID)+`/book?duration=30&amp;modality=text&amp;starts_at=2027-03-01T08%3A00%3A00Z">08:00<`, "Chat · $59.70", "Phone call · $119.70", "Next week")
	week := client.Do("GET", profile+"?week=2027-03-08&duration=60&modality=voice", nil)
	has(week, http.StatusOK, `data-zone>America/New_York<`, "your time zone", "8 Mar – 14 Mar 2027", "Previous week", "Phone call · $239.40",
		`starts_at=2027-03-08T03%3A00%3A00-05%3A00">03:00<`)
	lacks(luna.Do("GET", profile, nil), `/book?`)

	// The confirmation, on the client's clock.
	start := "2027-03-02T10:00:00-05:00"
	confirm := fmt.Sprintf("%s/book?starts_at=%s&duration=30&modality=voice", profile, url.QueryEscape(start))
	page := client.Do("GET", confirm, nil)
	has(page, http.StatusOK, "Tuesday 2 March 2027, 10:00–10:30", `data-zone>America/New_York`, "Phone call", `data-price>$119.70<`,
		`data-wallet-balance>$500.00<`, "Cancel up to 24 hours before the start for a full refund.", "50% of the price comes back",
		"does not join within the first 10 minutes", `name="request_key"`)
	has(client.Do("GET", profile+"/book?starts_at=soon&duration=30&modality=voice", nil), http.StatusBadRequest, "does not name an open time")
	closed := client.Do("GET", fmt.Sprintf("%s/book?starts_at=%s&duration=30&modality=text", profile, url.QueryEscape("2027-03-02T22:00:00-05:00")), nil)
	has(closed, http.StatusOK, "This time is no longer open", "Choose another time")
	lacks(closed, `name="request_key"`)
	has(luna.Do("GET", confirm, nil), http.StatusBadRequest, "You cannot book a reading with yourself.")

	// Booking, twice with one key: one booking, one charge.
	form := url.Values{"starts_at": {start}, "duration": {"30"}, "modality": {"voice"}, "request_key": {"page-key-1"}}
	first := client.Form(profile+"/book", form)
	again := client.Form(profile+"/book", form)
	where := first.Header.Get("Location")
	if first.Status != http.StatusSeeOther || !strings.HasPrefix(where, "/bookings/") || again.Header.Get("Location") != where {
		t.Fatalf("booking twice: %d %q then %d %q", first.Status, where, again.Status, again.Header.Get("Location"))
	}
	booking := where
	wallet := func(userID int64) int64 {
		t.Helper()
		v, err := s.App.Ledger.Balance(ctx, s.App.DB.Read(), ledger.Wallet(userID))
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	if got := wallet(w.client.ID); got != 50000-11970 {
		t.Fatalf("after booking twice with one key the wallet holds %d, want %d", got, 50000-11970)
	}

	// Refusals, each said on the page, none changing anything.
	pat := w.s.CreateUser("pat@example.com", account.RoleClient)
	patC := bearer(t, s, pat)
	before := fingerprint(t, s)
	has(patC.Form(profile+"/book", with(form, "request_key", "pat-1")), http.StatusConflict, "Someone else has just booked that time.",
		`data-back-to-week`, "week=2027-03-02")
	has(patC.Form(profile+"/book", with(with(form, "request_key", "pat-2"), "starts_at", "2027-03-02T11:00:00-05:00")), http.StatusPaymentRequired,
		"You need $119.70 more.", `/wallet?next=/readers/`+id(w.reader.ID))
	has(patC.Form(profile+"/book", with(with(form, "request_key", ""), "starts_at", "2027-03-02T11:00:00-05:00")), http.StatusBadRequest,
		"Send a key of 1 to 100 characters naming this request.")
	has(client.Form(profile+"/book", with(with(form, "request_key", "late"), "starts_at", "2027-05-02T11:00:00-04:00")), http.StatusUnprocessableEntity,
		"at most 28 days ahead")
	if fingerprint(t, s) != before {
		t.Fatal("a refused booking changed the database")
	}
	has(patC.Do("GET", booking, nil), http.StatusNotFound)
	has(patC.Form(booking+"/cancel", nil), http.StatusNotFound)
	has(patC.Do("GET", booking+"/calendar.ics", nil), http.StatusNotFound)
	if fingerprint(t, s) != before {
		t.Fatal("an outsider's request changed the database")
	}

	// Both parties see it: lists, dashboards (the booking part of DASH-C and
	// DASH-R: upcoming bookings), its page with the refund now.
	has(client.Do("GET", "/bookings", nil), http.StatusOK, "My bookings", "Tue 2 Mar 2027 · 10:00–10:30", "Luna Vale", "30 min · Phone call", "$119.70", "Booked", `href="`+booking+`#cancel"`)
	lacks(client.Do("GET", "/bookings?when=past", nil), "Tue 2 Mar 2027")
	has(client.Do("GET", "/dashboard", nil), http.StatusOK, "Upcoming bookings", "Tue 2 Mar 2027 · 10:00–10:30")
	has(luna.Do("GET", "/bookings", nil), http.StatusOK, "Tue 2 Mar 2027 · 15:00–15:30", "with cleo")
	has(luna.Do("GET", "/reader/dashboard", nil), http.StatusOK, "Upcoming bookings", "with cleo")
	has(client.Do("GET", booking, nil), http.StatusOK, "Cancelling now refunds <strong>$119.70</strong> of $119.70 to your wallet", `href="`+booking+`/calendar.ics"`)
	has(luna.Do("GET", booking, nil), http.StatusOK, "Cancelling now refunds <strong>$119.70</strong> of $119.70 to cleo's wallet")

	ics := client.Do("GET", booking+"/calendar.ics", nil)
	bookingID := strings.TrimPrefix(booking, "/bookings/")
	if ics.Status != http.StatusOK || !strings.HasPrefix(ics.Header.Get("Content-Type"), "text/calendar") ||
		ics.Header.Get("Content-Disposition") != `attachment; filename="booking-`+bookingID+`.ics"` || !strings.Contains(string(ics.Body), "UID:booking-"+bookingID+"@127.0.0.1") {
		t.Errorf("the calendar file: %d %v %.300s", ics.Status, ics.Header, ics.Body)
	}

	// 19 hours before its start, cancelling gives half back, and says so first.
	late := client.Form(profile+"/book", with(with(form, "request_key", "page-key-2"), "starts_at", "2027-03-01T14:00:00-05:00"))
	soon := late.Header.Get("Location")
	has(client.Do("GET", soon, nil), http.StatusOK, "Cancelling now refunds <strong>$59.85</strong> of $119.70")
	if res := client.Form(soon+"/cancel", nil); res.Status != http.StatusSeeOther || res.Header.Get("Location") != soon {
		t.Fatalf("cancel: %d %q", res.Status, res.Header.Get("Location"))
	}
	has(client.Do("GET", soon, nil), http.StatusOK, "The booking is cancelled. $59.85 is back in your wallet.", "Cancelled", `data-refunded>$59.85<`)
	if res := client.Form(soon+"/cancel", nil); res.Status != http.StatusSeeOther {
		t.Fatalf("cancelling again: %d", res.Status)
	}
	has(client.Do("GET", soon, nil), http.StatusOK, "This booking is already cancelled.")
	// The reader's cancellation refunds in full.
	if res := luna.Form(booking+"/cancel", nil); res.Status != http.StatusSeeOther {
		t.Fatalf("Luna cancels: %d", res.Status)
	}
	has(luna.Do("GET", booking, nil), http.StatusOK, "The booking is cancelled. $119.70 is back in cleo&#39;s wallet.")
	if got := wallet(w.client.ID); got != 50000-5985 {
		t.Fatalf("after two cancellations the wallet holds %d, want %d", got, 50000-5985)
	}
	has(client.Do("GET", "/bookings?when=past", nil), http.StatusOK, "Mon 1 Mar 2027 · 14:00–14:30", "$59.85 refunded", "Tue 2 Mar 2027 · 10:00–10:30", "$119.70 refunded")

	// Browsing by time across readers, in any zone.
	has(anon.Do("GET", "/slots?from=2027-03-02&to=2027-03-02&duration=30&modality=voice&tz=Asia/Kolkata", nil), http.StatusOK,
		"Tuesday 2 March", "Luna Vale", "Phone call $119.70", `data-zone>Asia/Kolkata<`, `>13:30<`, "modality=voice&amp;starts_at=2027-03-02T13%3A30%3A00%2B05%3A30")
	has(client.Do("GET", "/slots", nil), http.StatusOK, `data-zone>America/New_York<`, "Monday 1 March", "Luna Vale")
	has(anon.Do("GET", "/slots?specialty=astrology", nil), http.StatusOK, "No open times match")
	for q, says := range map[string]string{"from=soon": "Use a date such as 2027-03-14.", "from=2027-03-05&to=2027-03-04": "End on or after the first day.",
		"duration=20": "Choose 15, 30, 45 or 60 minutes.", "specialty=nonsense": "Unknown specialty.", "tz=Mars/Base": "Choose a time zone from the list",
		"from=2027-03-01&to=2027-04-30": "Ask for at most 31 days at a time."} {
		has(anon.Do("GET", "/slots?"+q, nil), http.StatusBadRequest, says, `class="field-error"`)
	}

	// ACC-6: a client who blocked the reader is offered no times to book.
	if _, err := s.App.Blocks.Block(ctx, w.client, w.reader.ID); err != nil {
		t.Fatal(err)
	}
	has(client.Do("GET", profile, nil), http.StatusOK, "unblock them to book a time")
	lacks(client.Do("GET", profile, nil), "/book?duration=")
}
