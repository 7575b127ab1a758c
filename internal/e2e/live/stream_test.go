// Package live holds the browser stories of livestreams: a reader going
// live, viewers watching, chatting and sending gifts, premium tickets and
// the admin's gift catalog.
package live

import (
	"context"
	"fmt"
	"testing"

	"github.com/soulseer/soulseer/internal/account"
	"github.com/soulseer/soulseer/internal/apptest"
	"github.com/soulseer/soulseer/internal/browsertest"
	"github.com/soulseer/soulseer/internal/config"
	"github.com/soulseer/soulseer/internal/db"
	"github.com/soulseer/soulseer/internal/e2e"
	"github.com/soulseer/soulseer/internal/ledger"
	"github.com/soulseer/soulseer/internal/payment"
)

func TestStream(t *testing.T) {
	e2e.EachEngine(t, testStream)
}

// testStream: LIV-1 to LIV-9 in the browser. A verified reader
// goes live from the go-live page (LIV-1), which says video needs Agora
// (LIV-2) while the chat runs; the landing page lists the stream under
// "Live now". Two viewers watch it in two tabs: one chats and the other
// and the reader see it live, with the viewer count (LIV-7); one sends a
// gift, is shown the reader's share, and both viewers and the reader see
// its animation and the top gifters change (LIV-5, LIV-6, LIV-9); the
// wallet and the reader's earnings move by exactly the gift's price and
// its split. The reader hides a viewer's message and it leaves every
// screen (LIV-8). The reader ends the stream and both viewers are told.
// Then a premium stream: a viewer is offered a ticket, buys it from their
// wallet and watches (LIV-3), and sees it end. The admin adds a gift on
// the gift catalog page (LIV-4). Every page is checked for accessibility
// at both widths.
func testStream(t *testing.T, e db.Engine) {
	ctx := context.Background()
	s := apptest.Start(t, e, apptest.WithConfig(func(c *config.Config) { c.AuthRateLimit = 1000 }))
	b := browsertest.New(t, s.URL)
	b.Screenshots = b.Screenshots && e == db.SQLite
	st := &e2e.Story{T: t, S: s, B: b}

	admin := e2e.CreateUser(t, s, "Ada Admin", "ada@example.com", account.RoleAdmin)
	cleo := e2e.CreateUser(t, s, "Cleo Marsh", "cleo@example.com", account.RoleClient)
	maxU := e2e.CreateUser(t, s, "Max Rowe", "max@example.com", account.RoleClient)
	iris := e2e.CreateUser(t, s, "Iris Vale", "iris@example.com", account.RoleReader)
	if _, err := s.App.Readers.SetVerified(ctx, admin, iris.ID, true); err != nil {
		t.Fatal(err)
	}
	for _, u := range []account.User{cleo, maxU} {
		if _, err := s.App.Payments.Adjust(ctx, admin, payment.AdjustInput{UserID: u.ID, AmountCents: 2000, Reason: "Stream money"}); err != nil {
			t.Fatal(err)
		}
	}
	gifts, err := s.App.Live.Gifts(ctx, false)
	if err != nil || len(gifts) == 0 {
		t.Fatalf("the gift catalog: %v %v", gifts, err)
	}
	gift := gifts[0]

	// LIV-1, LIV-2: Iris goes live.
	readerTab := b.NewTab("reader")
	st.LogIn(readerTab, iris.Email, apptest.Password, "/reader/dashboard")
	readerTab.ClickNav(`a.more[href="/reader/live"]`)
	readerTab.Fill(`input[name="title"]`, "Full moon tarot")
	readerTab.ClickNav(`form[action="/reader/live"] button[type="submit"]`)
	readerTab.WaitText("h1", "You are live: Full moon tarot")
	readerTab.WaitText("[data-media-panel]", "Video needs Agora")
	readerTab.WaitJS("the reader's stream connection to open", `document.getElementById("stream").classList.contains("is-live")`)
	stream, ok, err := s.App.Live.Current(ctx, iris)
	if err != nil || !ok {
		t.Fatalf("Iris is not live: %v %v", ok, err)
	}
	path := fmt.Sprintf("/streams/%d", stream.ID)

	// Two viewers, one found through the landing page's "Live now".
	cleoTab := b.NewTab("cleo")
	st.LogIn(cleoTab, cleo.Email, apptest.Password, "/dashboard")
	cleoTab.Visit("/")
	cleoTab.WaitText(".live-strip", "Full moon tarot")
	cleoTab.ClickNav(`.live-strip a[href="` + path + `"]`)
	maxTab := b.NewTab("max")
	st.LogIn(maxTab, maxU.Email, apptest.Password, "/dashboard")
	maxTab.Visit(path)
	viewers := []*browsertest.Tab{cleoTab, maxTab}
	for _, tab := range append(viewers, readerTab) {
		tab.WaitJS("the stream connection to open", `document.getElementById("stream").classList.contains("is-live")`)
		tab.WaitText("[data-viewers]", "2") // LIV-7: two viewers; the reader is not counted
	}

	// LIV-7: chat reaches everyone live.
	cleoTab.Fill("[data-chat-input]", "Hello from Cleo")
	cleoTab.Click(`[data-chat-form] button[type="submit"]`)
	cleoTab.WaitText("[data-messages] li.is-mine", "Hello from Cleo")
	maxTab.WaitText("[data-messages] li:not(.is-mine)", "Hello from Cleo")
	readerTab.WaitText("[data-messages]", "Hello from Cleo")

	// LIV-5, LIV-6, LIV-9: Cleo's gift, its split, its animation everywhere
	// and the top gifters.
	readerCents := gift.PriceCents * int64(100-s.App.Live.Config.PlatformSharePct) / 100
	cleoTab.Click(fmt.Sprintf(`button[data-gift-id="%d"]`, gift.ID))
	cleoTab.WaitText("[data-gift-status]", "Iris Vale receives "+e2e.Money(readerCents))
	for _, tab := range append(viewers, readerTab) {
		tab.WaitJS("the gift's animation", `document.getElementById("stream").dataset.giftsSeen === "1"`)
		tab.WaitText("[data-gifters]", "Cleo Marsh")
		tab.WaitText("[data-gifters]", e2e.Money(gift.PriceCents))
	}
	st.CheckWallet(cleo.ID, 2000-gift.PriceCents)
	earned, err := s.App.Ledger.Balance(ctx, s.App.DB.Read(), ledger.Earnings(iris.ID))
	if err != nil || earned != readerCents {
		t.Fatalf("Iris earned %d (%v), want %d", earned, err, readerCents)
	}
	cleoTab.WaitText("[data-wallet-balance]", e2e.Money(2000-gift.PriceCents))
	cleoTab.Screenshot("stream")
	readerTab.Screenshot("go-live")

	// LIV-8: the reader hides a viewer's message from the go-live page; it
	// leaves every screen.
	maxTab.Fill("[data-chat-input]", "Buy my crystals")
	maxTab.Click(`[data-chat-form] button[type="submit"]`)
	readerTab.WaitText("[data-messages] li:last-child", "Buy my crystals")
	readerTab.Click(`[data-messages] li:last-child .msg-mod button`) // Hide
	for _, tab := range append(viewers, readerTab) {
		tab.WaitJS("the hidden message to leave", `!document.querySelector("[data-messages]").textContent.includes("Buy my crystals")`)
		tab.WaitText("[data-messages]", "Hello from Cleo")
	}

	// LIV-1: the reader ends the stream; the viewers are told.
	readerTab.ClickNav("[data-end-stream]")
	readerTab.WaitText("h1", "Go live")
	for _, tab := range viewers {
		tab.WaitText("[data-stream-ended]", "This stream has ended.")
	}

	// LIV-3: a premium stream; Max buys a ticket and watches.
	readerTab.Fill(`input[name="title"]`, "Premium circle")
	readerTab.Click(`input[name="visibility"][value="premium"]`)
	readerTab.Fill(`input[name="ticket_price"]`, "4")
	readerTab.ClickNav(`form[action="/reader/live"] button[type="submit"]`)
	readerTab.WaitText("h1", "You are live: Premium circle")
	premium, _, err := s.App.Live.Current(ctx, iris)
	if err != nil {
		t.Fatal(err)
	}
	ppath := fmt.Sprintf("/streams/%d", premium.ID)
	maxTab.VisitStatus(ppath, 402)
	maxTab.WaitText(".ticket-offer", "$4.00")
	maxTab.ClickNav(`form[action="` + ppath + `/ticket"] button[type="submit"]`)
	if p := maxTab.Path(); p != ppath {
		t.Fatalf("buying the ticket led to %s, want %s", p, ppath)
	}
	maxTab.WaitJS("the premium stream's connection to open", `document.getElementById("stream").classList.contains("is-live")`)
	st.CheckWallet(maxU.ID, 2000-400)
	readerTab.ClickNav("[data-end-stream]")
	maxTab.WaitText("[data-stream-ended]", "This stream has ended.")

	// LIV-4: the admin's gift catalog.
	adminTab := b.NewTab("admin")
	st.LogIn(adminTab, admin.Email, apptest.Password, "/admin")
	adminTab.ClickNav(`nav.tabs a[href="/admin/gifts"]`)
	adminTab.Fill("#gift-new-name", "Lantern")
	adminTab.Fill("#gift-new-price", "2.50")
	adminTab.ClickNav(`form#gift-new button[type="submit"]`)
	adminTab.WaitJS("the new gift to be listed", `Array.from(document.querySelectorAll("input[name=name]")).some(function (i) { return i.value === "Lantern"; })`)
	adminTab.Screenshot("admin-gifts")
}
