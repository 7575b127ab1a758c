// Package premium holds the browser story of paying a reader monthly:
// the reader's subscription price, a client subscribing, watching a
// premium stream by it, cancelling and resuming (see package e2e).
package premium

import (
	"context"
	"fmt"
	"testing"

	"github.com/soulseer/soulseer/internal/db"
	"github.com/soulseer/soulseer/internal/demo"
	"github.com/soulseer/soulseer/internal/e2e"
	"github.com/soulseer/soulseer/internal/ledger"
	"github.com/soulseer/soulseer/internal/payment"
)

func TestSubscription(t *testing.T) {
	e2e.EachEngine(t, testSubscription)
}

// testSubscription: LIV-3 in the browser, with monthly subscriptions, on
// the demo's data. A reader sets their monthly price on their profile
// editor (a price above the bound is refused beside the field) and goes
// live with a premium stream. The demo client, without a ticket, is
// offered on the stream's page a ticket or the subscription with its
// renewal rule; they subscribe from the reader's profile, confirming the
// price against their balance, and their wallet moves by exactly the
// price. They then watch the premium stream without a ticket, find the
// subscription on /subscriptions beside the demo's and cancel it: it
// stays active until its month ends, and resuming is offered. The
// reader's dashboard counts the subscriber. Every page is checked for
// accessibility at both widths.
func testSubscription(t *testing.T, e db.Engine) {
	ctx := context.Background()
	st := e2e.Demo(t, e)
	s, b := st.S, st.B
	admin, alex, sage := st.User(demo.AdminEmail), st.User(demo.ClientEmail), st.User("sage@soulseer.demo")
	if _, err := s.App.Payments.Adjust(ctx, admin, payment.AdjustInput{UserID: alex.ID, AmountCents: 2000, Reason: "Subscription money"}); err != nil {
		t.Fatal(err)
	}
	had, err := s.App.Ledger.Balance(ctx, s.App.DB.Read(), ledger.Wallet(alex.ID))
	if err != nil {
		t.Fatal(err)
	}
	const price = 650
	profile := fmt.Sprintf("/readers/%d", sage.ID)

	// The reader sets their monthly price; one above the bound is refused beside the field.
	readerTab := b.NewTab("reader")
	st.LogIn(readerTab, sage.Email, demo.Password, "/reader/dashboard")
	readerTab.Visit("/reader/profile")
	readerTab.Fill(`#subscription input[name="price"]`, "600")
	readerTab.ClickNavStatus(`#subscription button[type="submit"]:not([name])`, 400)
	readerTab.WaitText("#subscription .field-error", "Charge 0 (no subscription) to $500.00 a month.")
	readerTab.Fill(`#subscription input[name="price"]`, "6.50")
	readerTab.ClickNav(`#subscription button[type="submit"]:not([name])`)
	readerTab.WaitText(".flash", "Your monthly subscription costs "+e2e.Money(price))
	readerTab.WaitText("#subscription [data-subscribers]", "0 subscribers")
	readerTab.Screenshot("subscription-price")

	// The reader goes live with a premium stream.
	readerTab.Visit("/reader/live")
	readerTab.Fill(`input[name="title"]`, "Members' moon circle")
	readerTab.Click(`input[name="visibility"][value="premium"]`)
	readerTab.Fill(`input[name="ticket_price"]`, "4")
	readerTab.ClickNav(`form[action="/reader/live"] button[type="submit"]`)
	readerTab.WaitText("h1", "You are live: Members' moon circle")
	stream, ok, err := s.App.Live.Current(ctx, sage)
	if err != nil || !ok {
		t.Fatalf("Wren is not live: %v %v", ok, err)
	}
	path := fmt.Sprintf("/streams/%d", stream.ID)

	// The client is offered a ticket or the subscription, with the renewal rule.
	alexTab := b.NewTab("alex")
	st.LogIn(alexTab, alex.Email, demo.Password, "/dashboard")
	alexTab.VisitStatus(path, 402)
	alexTab.WaitText(".ticket-offer", "Buy a ticket for $4.00")
	alexTab.WaitText("[data-subscription-offer]", "Subscribe for "+e2e.Money(price)+" a month")
	alexTab.WaitText("[data-subscription-offer] [data-subscription-terms]", "the subscription lapses and we tell you")
	alexTab.Screenshot("stream-premium-offer")

	// The client subscribes from the reader's profile, confirming the price against their balance.
	alexTab.Visit(profile)
	alexTab.WaitText("[data-subscription-card]", "Subscribe for "+e2e.Money(price)+" a month")
	alexTab.ClickNav("[data-subscription-card] [data-subscribe]")
	alexTab.WaitText("[data-price]", e2e.Money(price)+" a month")
	alexTab.WaitText(".sub-confirm [data-wallet-balance]", e2e.Money(had))
	alexTab.WaitText("[data-subscription-terms]", "the price you subscribed at")
	alexTab.Screenshot("subscribe-confirm")
	alexTab.ClickNav("[data-confirm-subscribe]")
	if p := alexTab.Path(); p != profile {
		t.Fatalf("subscribing led to %s, want the profile %s", p, profile)
	}
	alexTab.WaitText(".flash", "You are subscribed to Sage Whitfield until")
	alexTab.WaitText("[data-subscription-state]", "Subscribed until")
	st.CheckWallet(alex.ID, had-price)
	st.CheckBalances(alexTab, had-price)
	alexTab.Screenshot("reader-profile-subscribed")

	// LIV-3: the subscription admits them to the premium stream, no ticket bought.
	alexTab.Visit(path)
	alexTab.WaitJS("the premium stream's connection to open", `document.getElementById("stream").classList.contains("is-live")`)
	readerTab.Visit("/reader/dashboard")
	readerTab.WaitText("dd[data-subscribers]", "1")

	// The client's subscriptions: cancelled, it stays active to the month's end and can be resumed.
	alexTab.Visit("/subscriptions")
	row := fmt.Sprintf(`[data-subscription-reader="%d"]`, sage.ID)
	alexTab.WaitText(row, "Sage Whitfield")
	alexTab.WaitText(row, e2e.Money(price)+" a month · renews on")
	alexTab.Screenshot("subscriptions")
	alexTab.ClickNav(row + " [data-cancel-subscription]")
	if p := alexTab.Path(); p != "/subscriptions" {
		t.Fatalf("cancelling led to %s, want /subscriptions", p)
	}
	alexTab.WaitText(".flash", "stays active until")
	alexTab.WaitText(row, "ends on")
	alexTab.WaitVisible(row + " [data-resume-subscription]")
	st.CheckWallet(alex.ID, had-price)
	readerTab.Visit("/reader/live")
	readerTab.ClickNav("[data-end-stream]")
}
