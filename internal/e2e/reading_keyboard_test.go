package e2e

import (
	"context"
	"testing"

	"github.com/chromedp/chromedp/kb"

	"github.com/soulseer/soulseer/internal/browsertest"
	"github.com/soulseer/soulseer/internal/db"
	"github.com/soulseer/soulseer/internal/demo"
	"github.com/soulseer/soulseer/internal/reading"
)

// TestReadingKeyboard: SEC-7. The reading room works from the keyboard
// alone, with every focused control visibly marked: the reader tabs to the
// request's alert, opens it with Enter and accepts with Space; the client
// tabs to the chat box, types and sends with Enter, then tabs back to "End
// reading" and ends it with Space. No mouse click is made after the
// reading is requested. The pages are the same on every engine, and
// TestReading runs the reading itself on each, so this runs on SQLite.
func TestReadingKeyboard(t *testing.T) {
	browsertest.FindChromium(t)
	rs := startReadingStory(t, db.SQLite)
	readerTab := rs.b.NewTab("reader")
	rs.readerGoesOnline(readerTab)
	client := rs.b.NewTab("client")
	rs.fundClient(50_00)
	rs.logIn(client, demo.ClientEmail, demo.Password, "/dashboard")
	rs.clientStartsReading(client)

	// The reader: from the dashboard to the alert's Answer link, then to
	// Accept in the room.
	readerTab.WaitVisible(".toast.toast-request")
	readerTab.TabTo(".toast-request a")
	readerTab.PressNav(kb.Enter)
	if p, want := readerTab.Path(), rs.roomPath(); p != want {
		t.Fatalf("Enter on the alert's Answer link led to %s, want %s", p, want)
	}
	readerTab.TabTo("[data-accept]")
	readerTab.PressNav(" ")
	readerTab.WaitVisible(`#room.is-live[data-state="active"] [data-chat-form]`)

	// The client: the waiting room turns active by itself; type and send.
	client.WaitVisible(`#room.is-live[data-state="active"] [data-chat-form]`)
	text := "Typed without a mouse: what does spring hold?"
	client.TabTo("[data-chat-input]")
	client.Press(text)
	if v := client.Value("[data-chat-input]"); v != text {
		t.Fatalf("the chat box holds %q after typing, want %q", v, text)
	}
	client.Press(kb.Enter)
	last := `[data-messages] li[data-message-id]:last-child`
	readerTab.WaitText(last, text)
	client.WaitText(last+".is-mine", text)
	if v := client.Value("[data-chat-input]"); v != "" {
		t.Errorf("the chat box still holds %q after Enter sent it", v)
	}

	// Back to "End reading", and Space ends it.
	client.ShiftTabTo("[data-end]")
	client.PressNav(" ")
	client.WaitVisible("[data-summary]")
	readerTab.WaitVisible("[data-summary]")
	if r := rs.reading(); r.State != reading.Finalized || r.EndReason != reading.EndByClient {
		t.Fatalf("after Space on End reading the reading is %s (%s), want finalized, ended by the client", r.State, r.EndReason)
	}
}

// fundClient tops up the demo client's wallet with cents through the
// built-in test checkout, without the browser.
func (rs *readingStory) fundClient(cents int64) {
	rs.t.Helper()
	ctx := context.Background()
	tu, err := rs.s.App.Payments.CreateTopUp(ctx, rs.client, cents, "")
	if err != nil {
		rs.t.Fatal(err)
	}
	if _, err := rs.s.App.Payments.PayTestCheckout(ctx, rs.client, tu.CheckoutSessionID); err != nil {
		rs.t.Fatal(err)
	}
	rs.checkWallet(rs.client.ID, cents)
}
