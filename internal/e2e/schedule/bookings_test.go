// Package schedule holds the browser stories of scheduled readings:
// availability, booking and cancelling, and the booked reading's room (see
// package e2e).
package schedule

import (
	"context"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/soulseer/soulseer/internal/account"
	"github.com/soulseer/soulseer/internal/browsertest"
	"github.com/soulseer/soulseer/internal/db"
	"github.com/soulseer/soulseer/internal/demo"
	"github.com/soulseer/soulseer/internal/e2e"
	"github.com/soulseer/soulseer/internal/ledger"
	"github.com/soulseer/soulseer/internal/schedule"
)

// TestBookings follows a scheduled reading from a client's browser on
// every engine, each page checked for accessibility at both widths.
func TestBookings(t *testing.T) {
	e2e.EachEngine(t, testBookings)
}

// story is one run of a story in this package: the shared run (app, data,
// browser) with this package's own steps as methods.
type story struct{ *e2e.Story }

// testBookings: the demo reader Luna publishes weekday hours in New York
// (loaded with the demo, as the availability page's own story proves that
// page). A client in London with $100 in their wallet picks 30 minutes and
// next week on her profile, where her open times show on the client's
// clock (SCH-3), opens one, reads the confirmation with the price and the
// refund policy, and books it: the booking's page says what cancelling now
// would refund, "My bookings" and the dashboard list it, and the wallet
// shows the charge (SCH-4, SCH-7). The client cancels from "My bookings"
// more than a day ahead and gets everything back, in the ledger and on the
// page (SCH-5). Browsing open times across readers ends the story.
func testBookings(t *testing.T, e db.Engine) {
	ctx := context.Background()
	st := &story{e2e.Demo(t, e)}
	s, b := st.S, st.B
	client, err := s.App.Accounts.GetByEmail(ctx, demo.ClientEmail)
	if err != nil {
		t.Fatal(err)
	}
	london := "Europe/London"
	if _, err := s.App.Accounts.UpdateSettings(ctx, client.ID, account.SettingsInput{TimeZone: &london}); err != nil {
		t.Fatal(err)
	}
	tu, err := s.App.Payments.CreateTopUp(ctx, client, 100_00, "")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.App.Payments.PayTestCheckout(ctx, client, tu.CheckoutSessionID); err != nil {
		t.Fatal(err)
	}
	funds := st.walletOf(client.ID)
	luna := st.UserID("luna@soulseer.demo")
	// The first open half hour of Luna's next week, on the client's clock.
	loc, _ := time.LoadLocation(london)
	now := time.Now().In(loc)
	week := time.Date(now.Year(), now.Month(), now.Day()+7, 0, 0, 0, 0, loc)
	open, err := s.App.Schedule.Slots(ctx, luna, schedule.Window{From: week, To: week.AddDate(0, 0, 7), Duration: 30})
	if err != nil || len(open) == 0 {
		t.Fatalf("Luna has no open half hour next week: %v", err)
	}
	first := open[0].StartsAt.In(loc)

	tab := b.NewTab("client")
	st.LogIn(tab, demo.ClientEmail, demo.Password, "/dashboard")

	// SCH-3: a week of Luna's open times on the client's clock.
	tab.Visit("/readers/" + strconv.FormatInt(luna, 10))
	tab.WaitText("#book [data-zone]", london)
	tab.ClickNav(`#book a[data-length="30"]`)
	tab.ClickNav(`#book a[rel="next"]`)
	if got := tab.Text(`#book a[data-modality="text"]`); got != "Chat · $39.00" {
		t.Errorf("the chosen kind of reading reads %q, want Luna's flat $39.00 for half an hour", got)
	}
	if got := tab.Text(`#book .slot-day a.slot`); got != first.Format("15:04") {
		t.Errorf("Luna's first open time next week shows as %q, want %s on the client's clock", got, first.Format("15:04"))
	}
	browsertest.Eval[bool](tab, `window.scrollTo(0, 0), true`) // the picture starts at the top, not at #book
	tab.Screenshot("booking-week")

	// SCH-4: the confirmation, then the booking.
	tab.ClickNav(`#book .slot-day a.slot`)
	tab.WaitText("h1", "Confirm your booking")
	tab.WaitText("[data-price]", "$39.00")
	tab.WaitText("[data-zone]", london)
	tab.WaitText(".policy", "Cancel up to 24 hours before the start for a full refund.")
	tab.WaitText("[data-when]", first.Format("Monday 2 January 2006, 15:04"))
	tab.Screenshot("booking-confirm")
	tab.ClickNav(`button[data-book]`)
	if !strings.HasPrefix(tab.Path(), "/bookings/") {
		t.Fatalf("booking led to %s, want the booking's page", tab.Path())
	}
	row := `[data-booking="` + strings.TrimPrefix(tab.Path(), "/bookings/") + `"]`
	tab.WaitText(".flash", "Booked. $39.00 was taken from your wallet")
	tab.WaitText("[data-refund-preview]", "Cancelling now refunds $39.00 of $39.00")
	st.CheckWallet(client.ID, funds-39_00)
	st.CheckBalances(tab, funds-39_00)

	// SCH-7: the booking in "My bookings", on the dashboard and in the wallet.
	tab.Visit("/bookings")
	tab.WaitText(".booking-list "+row, "Luna Starweaver")
	tab.WaitText(".booking-list "+row, "30 min · Chat · $39.00")
	tab.WaitText(".booking-list "+row, first.Format("Mon 2 Jan 2006 · 15:04–")+first.Add(30*time.Minute).Format("15:04"))
	tab.Screenshot("my-bookings")
	tab.Visit("/dashboard")
	tab.WaitText("#bookings "+row, "Luna Starweaver")
	tab.Visit("/wallet")
	tab.WaitText("#wallet-entries .entry", "Scheduled reading") // the newest entry
	tab.WaitText("#wallet-entries .entry", "-$39.00")

	// SCH-7: the reader sees the booking too, with the client's name.
	lunaTab := b.NewTab("reader")
	st.LogIn(lunaTab, "luna@soulseer.demo", demo.Password, "/reader/dashboard")
	lunaTab.WaitText("#bookings "+row, client.DisplayName)
	lunaTab.Visit("/bookings")
	lunaTab.WaitText(".booking-list "+row, client.DisplayName)
	lunaTab.ClickNav(".booking-list " + row + " a[data-cancel]")
	lunaTab.WaitText("[data-refund-preview]", "$39.00")

	// SCH-5: cancelled more than a day ahead, everything comes back.
	tab.Visit("/bookings")
	tab.ClickNav(".booking-list " + row + " a[data-cancel]")
	tab.WaitText("[data-refund-preview]", "Cancelling now refunds $39.00 of $39.00 to your wallet")
	tab.ClickNav(`button[data-confirm-cancel]`)
	tab.WaitText(".flash", "The booking is cancelled. $39.00 is back in your wallet.")
	tab.WaitText("[data-state]", "Cancelled")
	tab.WaitText("[data-refunded]", "$39.00")
	st.CheckWallet(client.ID, funds)
	st.CheckBalances(tab, funds)
	tab.Visit("/bookings?when=past")
	tab.WaitText(".booking-list "+row, "$39.00 refunded")

	// An admin finds the cancelled booking among all of them.
	admin := b.NewTab("admin")
	st.LogIn(admin, demo.AdminEmail, demo.Password, "/admin")
	admin.ClickNav(`nav[aria-label="Admin"] a[href="/admin/bookings"]`)
	admin.Screenshot("admin-bookings")
	admin.Visit("/admin/bookings?state=cancelled&q=" + url.QueryEscape(client.Email))
	admin.WaitText("tr"+strings.Replace(row, "data-booking", "data-booking-id", 1), "Cancelled")

	// SCH-3: open times across readers.
	tab.ClickNav(`.nav a[href="/slots"]`)
	tab.WaitText("[data-zone]", london)
	tab.WaitVisible(".browse-day a.slot")
	tab.Screenshot("browse-slots")
	tab.VisitStatus("/slots?duration=20", 400)
	tab.WaitText(".field-error", "Choose 15, 30, 45 or 60 minutes.")
}

// walletOf is what a user's wallet holds now.
func (st *story) walletOf(userID int64) int64 {
	st.T.Helper()
	got, err := st.S.App.Ledger.Balance(context.Background(), st.S.App.DB.Read(), ledger.Wallet(userID))
	if err != nil {
		st.T.Fatal(err)
	}
	return got
}
