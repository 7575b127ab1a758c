// Package reading holds the browser story of a pay-per-minute reading (see
// package e2e).
package reading

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp/kb"

	"github.com/soulseer/soulseer/internal/account"
	"github.com/soulseer/soulseer/internal/browsertest"
	"github.com/soulseer/soulseer/internal/config"
	"github.com/soulseer/soulseer/internal/db"
	"github.com/soulseer/soulseer/internal/demo"
	"github.com/soulseer/soulseer/internal/e2e"
	"github.com/soulseer/soulseer/internal/reader"
	"github.com/soulseer/soulseer/internal/reading"
)

// billingPeriod is the length of a billed minute in the reading test: short,
// so the five paid minutes a review needs (RDR-5) pass in about ten seconds.
const billingPeriod = 2 * time.Second

// topUpCents is what the client adds to their wallet before the reading:
// enough for over a minute of billed periods at the demo's dearest chat
// rate, so a slow machine does not run the reading out of money before the
// story pauses it on purpose.
const topUpCents = 100_00

// TestReading follows a pay-per-minute text reading through two browsers,
// a client's and a reader's, on every engine: the reader goes online
// (RDR-3), the client — sent to top up first (OD-2, WAL-4) — starts a chat
// reading from the reader's profile (OD-1, OD-13), the reader answers the
// alert and accepts (OD-3, OD-4), they chat both ways (OD-9) while the
// meter runs over several billed minutes (OD-5, OD-13), the client ends it,
// both see the summary (OD-11), both keep private notes (OD-12), the
// client leaves a review (RDR-5) and both find the reading in their
// history. The room is used from the keyboard alone (SEC-7): the reader
// answers and accepts, the client writes and sends the first message and
// ends the reading with Tab, Enter and Space, every control focused on the
// way showing its focus.
func TestReading(t *testing.T) {
	e2e.EachEngine(t, testReading)
}

// readingStory is one run of the reading test.
type readingStory struct {
	*e2e.Story
	client, reader account.User
	profile        reader.Profile
	id             int64 // the reading
}

func testReading(t *testing.T, e db.Engine) {
	rs := startReadingStory(t, e)
	readerTab := rs.B.NewTab("reader")
	rs.readerGoesOnline(readerTab)
	client := rs.B.NewTab("client")
	rs.clientNeedsFunds(client)
	rs.presenceFollowsLive(client, readerTab)
	second := rs.B.NewTab("reader, second device")
	rs.LogIn(second, rs.reader.Email, demo.Password, "/reader/dashboard")
	browsertest.Eval[bool](second, `(window.e2ePageMark = "dashboard") !== ""`)
	rs.clientStartsReading(client)
	rs.readerAccepts(readerTab, second)
	rs.roomsBecomeActive(client, readerTab)
	rs.chatBothWays(client, readerTab)
	rs.draftSurvivesPause(client, readerTab)
	rs.composerInViewOnPhone(client)
	rs.meterRuns(client, readerTab)
	rs.clientEnds(client, readerTab)
	rs.readerKeepsNote(readerTab)
	rs.clientNotesAndReviews(client)
	rs.bothFindTheReading(client, readerTab)
}

// startReadingStory boots the app on engine e with the demo data and a
// browser, and finds the demo client and Sage, a verified demo reader who
// offers chat and is offline until they say so, with real presence (no
// demo simulation).
func startReadingStory(t *testing.T, e db.Engine) *readingStory {
	ctx := context.Background()
	rs := &readingStory{Story: e2e.Demo(t, e, func(c *config.Config) { c.BillingPeriod = billingPeriod })}
	s := rs.S
	var err error
	if rs.client, err = s.App.Accounts.GetByEmail(ctx, demo.ClientEmail); err != nil {
		t.Fatal(err)
	}
	if rs.reader, err = s.App.Accounts.GetByEmail(ctx, "sage@soulseer.demo"); err != nil {
		t.Fatal(err)
	}
	if rs.profile, err = s.App.Readers.Get(ctx, account.User{}, rs.reader.ID); err != nil {
		t.Fatal(err)
	}
	if rs.profile.Rates.Text == 0 || rs.profile.Status != reader.Offline {
		t.Fatalf("demo reader %s should offer chat and be offline: %+v", rs.profile.DisplayName, rs.profile)
	}
	return rs
}

// readerGoesOnline: RDR-3. The reader logs in and goes online on the
// dashboard; with this page's live connection open, clients see them online.
func (rs *readingStory) readerGoesOnline(tab *browsertest.Tab) {
	rs.LogIn(tab, rs.reader.Email, demo.Password, "/reader/dashboard")
	tab.WaitText(".big-status", "Offline")
	tab.ClickNav(`.presence-card button[type="submit"]`)
	tab.WaitText(".flash", "You are online.")
	tab.WaitText(".big-status", "Online")
	rs.WaitLive(tab)
	rs.waitFor("the reader to be online to clients", func() (bool, string) {
		p, err := rs.S.App.Readers.Get(context.Background(), account.User{}, rs.reader.ID)
		if err != nil {
			rs.T.Fatal(err)
		}
		return p.Status == reader.Online, string(p.Status)
	})
}

// clientNeedsFunds: OD-2, OD-13, WAL-4. The profile shows the chat rate and
// an estimate; with an empty wallet "Start" sends the client to the wallet,
// where they top up in test mode.
func (rs *readingStory) clientNeedsFunds(tab *browsertest.Tab) {
	rate := rs.profile.Rates.Text
	unit := reading.UnitOf(rs.S.App.Config.BillingPeriod)
	rs.LogIn(tab, demo.ClientEmail, demo.Password, "/dashboard")
	tab.Visit(rs.profilePath())
	tab.WaitText(".profile-head h1", rs.profile.DisplayName)
	tab.WaitText(".ok-note", "Available now")
	tab.WaitText(`.offer [data-rate="text"]`, e2e.Money(rate)+unit.Per)
	tab.WaitText(`.offer li:has([data-start="text"]) .estimate`, unit.Count(10)+" ≈ "+e2e.Money(10*rate))
	tab.WaitText(".start-card", "Your balance $0.00 is not enough for a reading yet.") // not "covers about 0 minutes"

	tab.ClickNav(`[data-start="text"]`)
	if p := tab.Path(); p != "/wallet" {
		rs.T.Fatalf("starting a reading with an empty wallet led to %s, want /wallet", p)
	}
	// Not a success message: a warning, and paying leads back to the reader.
	tab.WaitText("[data-need-funds]", "Your balance does not cover that reading yet.")
	if n := tab.Count(".flash"); n != 0 {
		rs.T.Errorf("the wallet greets a client who lacks funds with %d success messages", n)
	}
	if list := rs.readings(); len(list) != 0 {
		rs.T.Fatalf("a reading was created without funds: %+v", list)
	}
	rs.PayTestCheckout(tab, `.topup-form button.preset[value="$100.00"]`, topUpCents, rs.profilePath(), false)
	tab.WaitText(".start-card .flash", "Payment received — $100.00 was added to your wallet.")
	tab.WaitText(".start-card", "Your balance $100.00 covers about")
}

// presenceFollowsLive: RDR-3. With the reader's profile open, the client
// sees every part that depends on presence follow it without a reload: when
// the reader goes offline the "Available now" note and the Start buttons go
// and the profile says so; when they come back, so do the buttons.
func (rs *readingStory) presenceFollowsLive(client, rdr *browsertest.Tab) {
	available := `(function () {
  var b = document.querySelector('[data-start="text"]'), ok = document.querySelector(".ok-note");
  return !b.disabled && !ok.hidden && document.querySelector('[data-presence-show="offline"]').hidden;
})()`
	client.WaitJS("the reader to show available", available)
	browsertest.Eval[bool](client, `(window.e2ePresenceMark = "kept") !== ""`)
	toggle := func(want string) {
		rdr.ClickNav(`.presence-card button[type="submit"]`)
		rdr.WaitText(".big-status", want)
	}
	toggle("Offline")
	client.WaitJS("the profile to show the reader offline", `(function () {
  var b = document.querySelector('[data-start="text"]'), ok = document.querySelector(".ok-note");
  return b.disabled && ok.hidden && !document.querySelector('[data-presence-show="offline"]').hidden;
})()`)
	toggle("Online")
	rs.WaitLive(rdr)
	client.WaitJS("the reader to show available again", available)
	if got := browsertest.Eval[string](client, `window.e2ePresenceMark || ""`); got != "kept" {
		rs.T.Fatal("the profile reloaded to follow the reader's presence; it must update in place")
	}
}

// clientStartsReading: OD-1, OD-13. Back on the profile the client sees
// what the balance buys and starts a chat reading; the room waits for the
// reader.
func (rs *readingStory) clientStartsReading(tab *browsertest.Tab) {
	rate := rs.profile.Rates.Text
	tab.Visit(rs.profilePath())
	unit := reading.UnitOf(rs.S.App.Config.BillingPeriod)
	tab.WaitText(".start-card", fmt.Sprintf("Your balance $100.00 covers about %s at %s%s", unit.Count(topUpCents/rs.profile.Rates.Min()), e2e.Money(rs.profile.Rates.Min()), unit.Per))
	tab.ClickNav(`[data-start="text"]`)
	id, err := strconv.ParseInt(strings.TrimPrefix(tab.Path(), "/readings/"), 10, 64)
	if err != nil {
		rs.T.Fatalf("starting a reading led to %s, want its room", tab.Path())
	}
	rs.id = id
	tab.WaitVisible(`#room[data-state="waiting"] .banner-wait`)
	tab.WaitText(".banner-wait", "Waiting for "+rs.profile.DisplayName+" to accept")
	tab.WaitText(".banner-wait", "Your balance covers about "+unit.Count(topUpCents/rate))
	r := rs.reading()
	if r.State != reading.Waiting || r.Modality != reader.Text || r.RateCents != rate || r.ReaderID != rs.reader.ID {
		rs.T.Fatalf("the new reading is %+v, want a waiting text reading with %s at %d", r, rs.profile.DisplayName, rate)
	}
}

// readerAccepts: OD-4. The request alerts the reader on the page they have
// open, is listed on the dashboard (seen here on a second device) with
// Accept and Decline, and the alert's link opens the room, where the reader
// accepts. SEC-7: the reader tabs to the alert's link and follows it with
// Enter, then tabs to Accept and presses Space.
func (rs *readingStory) readerAccepts(tab, second *browsertest.Tab) {
	per := reading.UnitOf(rs.S.App.Config.BillingPeriod).Per
	toast := ".toast.toast-request"
	tab.WaitVisible(toast)
	tab.WaitText(toast, fmt.Sprintf("%s asks for a text reading (%s%s).", rs.client.DisplayName, e2e.Money(rs.profile.Rates.Text), per))

	// The dashboard open on the second device lists the request live.
	row := fmt.Sprintf(`[data-requests] li[data-request="%d"]`, rs.id)
	second.WaitText(row, rs.client.DisplayName)
	if got := browsertest.Eval[string](second, `window.e2ePageMark || ""`); got != "dashboard" {
		rs.T.Error("the reader's dashboard reloaded to list the request; its requests card must update live")
	}
	second.WaitText(row, "Text · "+e2e.Money(rs.profile.Rates.Text)+per+" · Waiting")
	second.WaitVisible(row + ` form[action$="/accept"] button`)
	second.WaitVisible(row + ` form[action$="/decline"] button`)

	tab.TabTo(toast + " a")
	tab.PressNav(kb.Enter)
	if p, want := tab.Path(), rs.roomPath(); p != want {
		rs.T.Fatalf("the alert's Answer link led to %s, want %s", p, want)
	}
	tab.WaitText(".banner-request", fmt.Sprintf("%s would like a text reading at %s%s.", rs.client.DisplayName, e2e.Money(rs.profile.Rates.Text), per))
	browsertest.Eval[bool](tab, `(window.e2eAcceptMark = "kept") !== ""`)
	tab.TabTo("[data-accept]")
	tab.Press(" ")
	tab.WaitVisible(`#room[data-state="active"]`)
	if p, want := tab.Path(), rs.roomPath(); p != want {
		rs.T.Fatalf("accepting led to %s, want %s", p, want)
	}
	if got := browsertest.Eval[string](tab, `window.e2eAcceptMark || ""`); got != "kept" {
		rs.T.Fatal("accepting reloaded the reader's room; it must turn active in place (OD-6)")
	}
}

// roomsBecomeActive: OD-3. Both rooms show the active reading — the
// client's by itself, without a click — with the chat, the timer, the cost
// meter and the end button, each with its live connection open.
func (rs *readingStory) roomsBecomeActive(client, rdr *browsertest.Tab) {
	for _, tab := range []*browsertest.Tab{client, rdr} {
		// The client's waiting room reloads itself when the reader accepts.
		tab.WaitVisible(`#room.is-live[data-state="active"] [data-chat-form]`)
		tab.WaitVisible("[data-timer]")
		tab.WaitVisible("[data-cost]")
		tab.WaitText("[data-end]", "End reading")
		tab.WaitText("[data-room-state]", "Active")
	}
	client.WaitText(".room-title", rs.profile.DisplayName)
	rdr.WaitText(".room-title", "Reading for "+rs.client.DisplayName)
	if r := rs.reading(); r.State != reading.Active || r.BilledMinutes < 1 {
		rs.T.Fatalf("after accepting, the reading is %s with %d billed minutes, want active with the first minute paid", r.State, r.BilledMinutes)
	}
}

// chatBothWays: OD-9. Each side's message reaches the other live over the
// reading's WebSocket, with the typing indicator before it. SEC-7: the
// client writes from the keyboard (Tab to the chat box, type, Enter); the
// reader clicks Send.
func (rs *readingStory) chatBothWays(client, rdr *browsertest.Tab) {
	rs.say(client, rdr, "Hello Sage, I have a big decision about a new job offer. What do you see?", true)
	rs.say(rdr, client, "Welcome, Alex. I see a door opening in spring — let's look at what holds you back.", false)
	for _, tab := range []*browsertest.Tab{client, rdr} {
		if n := tab.Count("[data-messages] li[data-message-id]"); n != 2 {
			rs.T.Errorf("%s room shows %d messages, want 2", tab.Name, n)
		}
		if n := tab.Count("[data-messages] li.is-mine"); n != 1 {
			rs.T.Errorf("%s room marks %d messages as its own, want 1", tab.Name, n)
		}
	}
	msgs, err := rs.S.App.Readings.Transcript(context.Background(), rs.client, rs.id)
	if err != nil || len(msgs) != 2 {
		rs.T.Fatalf("the stored transcript has %d messages (%v), want 2", len(msgs), err)
	}
}

// draftSurvivesPause: OD-6, OD-9. The client has typed a message but not
// sent it when the reader's page goes away: the client's room shows the
// pause and then the resumed reading in place, without reloading, and the
// typed draft and the chat's scroll position are still there.
func (rs *readingStory) draftSurvivesPause(client, rdr *browsertest.Tab) {
	draft := "One more thing about the offer: the salary is lower but"
	client.Fill("[data-chat-input]", draft)
	browsertest.Eval[bool](client, `(window.e2eDraftMark = "kept") !== ""`)
	scrolled := browsertest.Eval[int](client, `document.querySelector("[data-messages]").scrollTop`)

	rdr.Visit("/reader/dashboard")
	client.WaitVisible(`#room[data-state="paused"][data-pause="disconnect"] [data-when="paused:disconnect"]`)
	client.WaitText(`[data-when="paused:disconnect"]`, "Connection lost — the reading is paused.")
	if !browsertest.Eval[bool](client, `document.querySelector("[data-chat-input]") !== null`) {
		rs.T.Fatal("the paused room has no chat box")
	}
	rdr.Visit(rs.roomPath())
	client.WaitVisible(`#room[data-state="active"]`)
	client.WaitJS("the pause banner to go", `document.querySelector('[data-when="paused:disconnect"]').hidden`)
	if got := browsertest.Eval[string](client, `window.e2eDraftMark || ""`); got != "kept" {
		rs.T.Fatal("the client's room reloaded on pause or resume; state changes must be shown in place")
	}
	if v := client.Value("[data-chat-input]"); v != draft {
		rs.T.Fatalf("after a pause and resume the chat box holds %q, want the draft %q", v, draft)
	}
	if got := browsertest.Eval[int](client, `document.querySelector("[data-messages]").scrollTop`); got != scrolled {
		rs.T.Errorf("the chat scrolled from %d to %d over the pause", scrolled, got)
	}
	client.Fill("[data-chat-input]", "")
}

// composerInViewOnPhone: OD-6. On a phone the chat box and its Send button
// are on screen without scrolling, as in any chat app, and no banner is
// wider than the screen.
func (rs *readingStory) composerInViewOnPhone(client *browsertest.Tab) {
	client.Phone()
	defer client.Desktop()
	client.WaitJS("the chat box to be on screen", `(function () {
  var r = document.querySelector("[data-chat-input]").getBoundingClientRect();
  return r.height > 0 && r.top >= 0 && r.bottom <= window.innerHeight;
})()`)
	if !browsertest.Eval[bool](client, `(function () {
  var r = document.querySelector('[data-chat-form] button[type="submit"]').getBoundingClientRect();
  return r.height > 0 && r.bottom <= window.innerHeight && r.right <= window.innerWidth;
})()`) {
		rs.T.Error("on a phone the Send button is off screen")
	}
	if w := browsertest.Eval[int](client, `Math.max.apply(null, Array.from(document.querySelectorAll("#room .banner")).map(function (b) { return b.getBoundingClientRect().right; }).concat([0]))`); w > browsertest.Eval[int](client, `window.innerWidth`) {
		rs.T.Errorf("a reading room banner reaches x=%d, past the phone's screen", w)
	}
}

// say writes text in from's chat and sends it — from the keyboard (Tab to
// the chat box, type, Enter) or by filling the box and clicking Send; to
// sees the typing indicator, then the message, without reloading.
func (rs *readingStory) say(from, to *browsertest.Tab, text string, keyboard bool) {
	rs.T.Helper()
	mark := fmt.Sprintf(`(window.e2ePageMark = "room-%d") !== ""`, rs.id)
	browsertest.Eval[bool](to, mark)
	name := rs.client.DisplayName
	if from.Name == "reader" {
		name = rs.profile.DisplayName
	}
	// The indicator shows for a few seconds only, so the page notes each
	// time it is shown and the test checks the notes.
	browsertest.Eval[bool](to, `(function () {
  var el = document.querySelector("[data-typing]");
  window.e2eTyping = [];
  new MutationObserver(function () { if (!el.hidden) window.e2eTyping.push(el.textContent); })
    .observe(el, {attributes: true, childList: true, characterData: true, subtree: true});
  return true;
})()`)
	if keyboard {
		from.TabTo("[data-chat-input]")
		from.Press(text)
		if v := from.Value("[data-chat-input]"); v != text {
			rs.T.Fatalf("%s: the chat box holds %q after typing, want %q", from.Name, v, text)
		}
	} else {
		from.Fill("[data-chat-input]", text)
	}
	to.WaitJS(name+" is typing", fmt.Sprintf(`window.e2eTyping.indexOf(%q) >= 0`, name+" is typing…"))
	if keyboard {
		from.Press(kb.Enter)
	} else {
		from.Click(`[data-chat-form] button[type="submit"]`)
	}
	last := `[data-messages] li[data-message-id]:last-child`
	to.WaitText(last, text)
	to.WaitText(last+" .msg-who", name)
	if browsertest.Eval[bool](to, `!document.querySelector("[data-typing]").hidden`) {
		rs.T.Errorf("%s room still says %s is typing after the message arrived", to.Name, name)
	}
	from.WaitText(last+".is-mine", text)
	if v := from.Value("[data-chat-input]"); v != "" {
		rs.T.Errorf("%s: the chat box still holds %q after sending", from.Name, v)
	}
	if got := browsertest.Eval[string](to, `window.e2ePageMark || ""`); got != fmt.Sprintf("room-%d", rs.id) {
		rs.T.Fatalf("%s room reloaded to show a message; messages must arrive live", to.Name)
	}
}

// meterRuns: OD-5, OD-13. The timer and cost meter run on both sides while
// minutes are billed: the meter grows past the first minute, and the
// reading (through the API) has at least two billed minutes. The reading
// then runs on until the five paid minutes a review needs (RDR-5).
func (rs *readingStory) meterRuns(client, rdr *browsertest.Tab) {
	rate := rs.profile.Rates.Text
	cost := `Number(document.querySelector("[data-cost]").innerText.replace(/[^0-9.]/g, "")) * 100`
	for _, tab := range []*browsertest.Tab{client, rdr} {
		tab.WaitJS("the timer to run", `document.querySelector("[data-timer]").innerText !== "0:00"`)
		tab.WaitJS("the cost meter to show more than the first minute", fmt.Sprintf(`Math.round(%s) >= %d`, cost, 2*rate))
	}
	rs.waitFor("two billed minutes", func() (bool, string) {
		r := rs.reading()
		return r.BilledMinutes >= 2, fmt.Sprintf("%d billed", r.BilledMinutes)
	})
	api := browsertest.Eval[apiReading](client, fmt.Sprintf(`fetch("/api/v1/readings/%d").then(function (r) { return r.json(); })`, rs.id))
	if api.State != "active" || api.BilledMinutes < 2 || api.TotalCents != api.BilledMinutes*rate {
		rs.T.Fatalf("GET /api/v1/readings/%d: %+v, want active with ≥ 2 billed minutes at %d", rs.id, api, rate)
	}
	client.Screenshot("reading-room-client")
	rdr.Screenshot("reading-room-reader")

	rs.waitFor(fmt.Sprintf("%d billed minutes", reading.MinReviewMinutes), func() (bool, string) {
		r := rs.reading()
		return r.BilledMinutes >= reading.MinReviewMinutes, fmt.Sprintf("%d billed", r.BilledMinutes)
	})
	client.WaitJS("the client's cost meter to keep up with the billing", fmt.Sprintf(`Math.round(%s) >= %d`, cost, reading.MinReviewMinutes*rate))
}

// apiReading is what the test reads of GET /api/v1/readings/{id}.
type apiReading struct {
	ID            int64  `json:"id"`
	State         string `json:"state"`
	BilledMinutes int64  `json:"billed_minutes"`
	TotalCents    int64  `json:"total_cents"`
}

// clientEnds: OD-11. The client ends the reading; both rooms show the
// summary — billed minutes and total, and the reader's earnings — equal to
// what was charged, and the transcript stays visible (OD-9). SEC-7: from
// the chat box the client goes back to "End reading" with Shift+Tab and
// presses Space.
func (rs *readingStory) clientEnds(client, rdr *browsertest.Tab) {
	client.ShiftTabTo("[data-end]")
	client.PressNav(" ")
	client.WaitVisible("[data-summary]")
	r := rs.reading()
	if r.State != reading.Finalized || r.EndReason != reading.EndByClient {
		rs.T.Fatalf("after the client ended it the reading is %s (%s), want finalized, ended by the client", r.State, r.EndReason)
	}
	if r.BilledMinutes < reading.MinReviewMinutes || r.TotalCents != r.BilledMinutes*r.RateCents ||
		r.ReaderEarningsCents != r.BilledMinutes*r.ReaderShare() {
		rs.T.Fatalf("summary recorded: %d minutes, total %d, earnings %d at rate %d", r.BilledMinutes, r.TotalCents, r.ReaderEarningsCents, r.RateCents)
	}
	// The reader's room turns into the summary by itself.
	rdr.WaitVisible("[data-summary] [data-earnings]")
	for _, tab := range []*browsertest.Tab{client, rdr} {
		tab.WaitText("[data-billed-minutes]", strconv.FormatInt(r.BilledMinutes, 10))
		tab.WaitText("[data-total]", e2e.Money(r.TotalCents))
		tab.WaitText("[data-room-state]", "Ended")
		if n := tab.Count("[data-messages] li[data-message-id]"); n != 2 {
			rs.T.Errorf("%s summary shows %d messages of the transcript, want 2", tab.Name, n)
		}
		if n := tab.Count("[data-chat-form], [data-end]"); n != 0 {
			rs.T.Errorf("%s summary still offers the chat or the end button", tab.Name)
		}
	}
	rdr.WaitText("[data-earnings]", e2e.Money(r.ReaderEarningsCents))
	if n := client.Count("[data-earnings]"); n != 0 {
		rs.T.Error("the client's summary shows the reader's earnings")
	}
	for _, tab := range []*browsertest.Tab{client, rdr} {
		tab.WaitText("[data-summary]", "Ended by the client.")
	}
	rs.CheckBalances(client, topUpCents-r.TotalCents)
	rs.CheckWallet(rs.client.ID, topUpCents-r.TotalCents)
	client.WaitVisible("[data-claim]")
	client.WaitVisible(".review-form")
	client.Screenshot("reading-summary")
	// MSG-1: from the summary each party can write to the other.
	for tab, to := range map[*browsertest.Tab]int64{client: rs.reader.ID, rdr: rs.client.ID} {
		if got := tab.Attrs("[data-summary] [data-message-party]", "href"); len(got) != 1 || got[0] != fmt.Sprintf("/messages/new?to=%d", to) {
			rs.T.Errorf("%s summary's message link: %v, want one to /messages/new?to=%d", tab.Name, got, to)
		}
	}
}

// readerKeepsNote: OD-12. From the room the reader keeps a private note
// on the client (one per client, not per reading).
func (rs *readingStory) readerKeepsNote(tab *browsertest.Tab) {
	note := "Alex: job offer, spring. Ask how the talk with the manager went."
	form := fmt.Sprintf(`.room-side form[action="/reader/clients/%d/note"]`, rs.client.ID)
	tab.Fill(form+` textarea[name="body"]`, note)
	tab.ClickNav(form + ` button[type="submit"]`)
	if p, want := tab.Path(), rs.roomPath(); p != want {
		rs.T.Fatalf("saving the note on the client led to %s, want back to %s", p, want)
	}
	tab.WaitText(".flash", "Note saved.")
	if got := tab.Value(form + ` textarea[name="body"]`); got != note {
		rs.T.Errorf("after saving, the reader's note reads %q", got)
	}
	if got, err := rs.S.App.Readings.ReaderNote(context.Background(), rs.reader.ID, rs.client.ID); err != nil || got != note {
		rs.T.Errorf("stored reader note %q (%v), want %q", got, err, note)
	}
}

// clientNotesAndReviews: OD-12 and RDR-5. The client keeps a private note
// on the reading and rates it; the review shows on the summary and the
// reader's profile.
func (rs *readingStory) clientNotesAndReviews(tab *browsertest.Tab) {
	ctx := context.Background()
	note := "Spring: revisit the offer. Ask about remote days."
	tab.Fill(".note-form textarea", note)
	tab.ClickNav(`.note-form button[type="submit"]`)
	tab.WaitText(".flash", "Your note is saved.")
	if got := tab.Value(".note-form textarea"); got != note {
		rs.T.Errorf("after saving, the note reads %q", got)
	}
	if got, err := rs.S.App.Readings.ClientNote(ctx, rs.client.ID, rs.id); err != nil || got != note {
		rs.T.Errorf("stored note %q (%v), want %q", got, err, note)
	}

	body := "Warm, clear and practical. Exactly what I needed."
	tab.Click(`.review-form label[for="star5"]`)
	if !tab.Checked("#star5") {
		rs.T.Fatal("clicking the fifth star did not choose 5")
	}
	tab.Fill(`.review-form textarea[name="body"]`, body)
	tab.ClickNav(`.review-form button[type="submit"]`)
	tab.WaitText(".flash", "Thank you for your review.")
	tab.WaitText("[data-summary]", "Your review: 5 out of 5 stars "+body)
	if n := tab.Count(".review-form"); n != 0 {
		rs.T.Error("the review form is still offered after reviewing")
	}
	rv, ok, err := rs.S.App.Readings.ReviewOf(ctx, rs.id)
	if err != nil || !ok || rv.Rating != 5 || rv.Body != body {
		rs.T.Fatalf("stored review %+v (found %v, %v), want 5 stars: %q", rv, ok, err, body)
	}

	tab.Visit(rs.profilePath())
	tab.WaitText(".reviews", body)
	first, _, _ := strings.Cut(rs.client.DisplayName, " ")
	tab.WaitText(fmt.Sprintf(`.reviews [data-review="%d"]`, rs.id), first) // reviewers go by their first name in public
	if strings.Contains(tab.Text(".reviews"), rs.client.DisplayName) {
		rs.T.Errorf("the public review names the client in full (%q)", rs.client.DisplayName)
	}
	p, err := rs.S.App.Readers.Get(ctx, account.User{}, rs.reader.ID)
	if err != nil {
		rs.T.Fatal(err)
	}
	if p.RatingCount != rs.profile.RatingCount+1 {
		rs.T.Errorf("the reader has %d ratings, want %d", p.RatingCount, rs.profile.RatingCount+1)
	}
	tab.WaitText(".profile-head .meta", fmt.Sprintf("%.1f · %d reviews", p.Rating(), p.RatingCount))
}

// bothFindTheReading: OD-11. The summary's "All readings" leads each side
// to their reading history, which lists the reading.
func (rs *readingStory) bothFindTheReading(client, rdr *browsertest.Tab) {
	for _, tab := range []*browsertest.Tab{client, rdr} {
		tab.Visit(rs.roomPath())
		tab.ClickNav(`.summary-links a[href="/readings"], .summary-links a[href="/reader/readings"]`)
		tab.WaitVisible(fmt.Sprintf(`a[href="%s"]`, rs.roomPath()))
	}
	if p := client.Path(); p != "/readings" {
		rs.T.Errorf("the client's All readings led to %s, want /readings", p)
	}
	if p := rdr.Path(); p != "/reader/readings" {
		rs.T.Errorf("the reader's All readings led to %s, want /reader/readings", p)
	}
}

// waitFor polls cond (which says what it saw) until it holds, failing the
// test after the browser's timeout.
func (rs *readingStory) waitFor(what string, cond func() (bool, string)) {
	rs.T.Helper()
	deadline := time.Now().Add(rs.B.Timeout)
	for {
		ok, saw := cond()
		if ok {
			return
		}
		if time.Now().After(deadline) {
			rs.T.Fatalf("waited %v for %s; saw %s", rs.B.Timeout, what, saw)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// reading returns the reading as the service has it now.
func (rs *readingStory) reading() reading.Reading {
	rs.T.Helper()
	r, err := rs.S.App.Readings.Get(context.Background(), rs.client, rs.id)
	if err != nil {
		rs.T.Fatal(err)
	}
	return r
}

// readings lists the client's readings.
func (rs *readingStory) readings() []reading.Reading {
	rs.T.Helper()
	list, err := rs.S.App.Readings.List(context.Background(), rs.client.ID, reading.Client, 10)
	if err != nil {
		rs.T.Fatal(err)
	}
	return list
}

func (rs *readingStory) profilePath() string { return fmt.Sprintf("/readers/%d", rs.reader.ID) }
func (rs *readingStory) roomPath() string    { return fmt.Sprintf("/readings/%d", rs.id) }
