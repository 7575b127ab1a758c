// Package community holds the browser stories of messages, paid replies,
// notifications and blocking (see package e2e).
package community

import (
	"context"
	"strconv"
	"strings"
	"testing"

	"github.com/soulseer/soulseer/internal/account"
	"github.com/soulseer/soulseer/internal/browsertest"
	"github.com/soulseer/soulseer/internal/db"
	"github.com/soulseer/soulseer/internal/demo"
	"github.com/soulseer/soulseer/internal/e2e"
	"github.com/soulseer/soulseer/internal/payment"
	"github.com/soulseer/soulseer/internal/reading"
)

// TestMessages follows a conversation with a paid reply through two
// browsers, a client's and a reader's, on every engine: the client writes
// to a reader from their profile (MSG-1); the reader's inbox shows it live
// with the unread count in the row and the header (MSG-2, MSG-5); the
// reader answers with a paid reply (MSG-3), which reaches the client's page
// live as a locked card with its price and the client's balance, the text
// nowhere on the page (MSG-4); a top-up shows on the card live and its
// shortfall note goes, the client
// unlocks the reply, its text and the new balance appear in place, and the
// reader's page shows it unlocked with what they earned and its transfer
// (MSG-6).
func TestMessages(t *testing.T) {
	e2e.EachEngine(t, testMessages)
}

// The messages of the story.
const (
	clientQuestion = "Hello Sage, should I accept the promotion they offered me?"
	paidAnswer     = "Accept it: the Ten of Pentacles shows lasting security, and the team you would lead already trusts you."
)

func testMessages(t *testing.T, e db.Engine) {
	ctx := context.Background()
	st := e2e.Demo(t, e)
	s, b := st.S, st.B
	user := func(email string) account.User {
		u, err := s.App.Accounts.GetByEmail(ctx, email)
		if err != nil {
			t.Fatal(err)
		}
		return u
	}
	client, sage, admin := user(demo.ClientEmail), user("sage@soulseer.demo"), user(demo.AdminEmail)
	share, _ := reading.Split(100, s.App.Config.PlatformSharePct)

	// The reader waits in her inbox.
	rdr := b.NewTab("reader")
	st.LogIn(rdr, sage.Email, demo.Password, "/reader/dashboard")
	rdr.ClickNav(`.nav a[href="/messages"]`)
	rdr.WaitText(".page-head h1", "Your conversations")
	st.WaitLive(rdr)

	// MSG-1: the client writes from the reader's profile.
	cl := b.NewTab("client")
	st.LogIn(cl, demo.ClientEmail, demo.Password, "/dashboard")
	cl.Visit("/readers/" + strconv.FormatInt(sage.ID, 10))
	cl.ClickNav("[data-message-reader]")
	cl.WaitText(".room-title", "Sage Whitfield")
	cl.WaitText("[data-empty]", "Say hello")
	cl.Fill("[data-composer-body]", clientQuestion)
	cl.ClickNav(`[data-composer] button[type="submit"]`) // the first message opens the conversation's own page
	if p := cl.Path(); !strings.HasPrefix(p, "/conversations/") {
		t.Fatalf("the first message led to %s, want the conversation", p)
	}
	cl.WaitText("[data-messages] li.is-mine .msg-text", clientQuestion)
	st.WaitLive(cl)

	// MSG-2, MSG-5: the reader sees it arrive, unread, without reloading.
	rdr.WaitText(`[data-conversations] li.is-unread strong`, client.DisplayName)
	rdr.WaitText(`[data-conversations] li.is-unread [data-unread]`, "1")
	rdr.WaitText(`.nav [data-unread-messages]`, "1")
	rdr.Screenshot("inbox")

	// MSG-3: she answers with a paid reply.
	rdr.ClickNav(`[data-conversations] li.is-unread a`)
	rdr.WaitText("[data-messages] .msg-text", clientQuestion)
	rdr.WaitJS("the header's unread count to clear", `document.querySelector(".nav [data-unread-messages]").hidden`)
	rdr.WaitText(".paid-switch", "Paid reply ($1.00)")
	rdr.Fill("[data-composer-body]", paidAnswer)
	rdr.SetChecked("[data-paid-switch]", true)
	rdr.Click(`[data-composer] button[type="submit"]`)
	rdr.WaitText("[data-messages] li.is-paid [data-paid-tag]", "not unlocked yet")
	rdr.WaitText("[data-messages] li.is-paid .msg-text", paidAnswer)

	// MSG-4: the client's page shows it locked, live, with the balance.
	cl.WaitText("[data-locked] [data-unlock] button", "Unlock for $1.00")
	cl.WaitText("[data-locked] [data-wallet-balance]", "$0.00")
	cl.WaitText("[data-locked] [data-unlock-error]", "Your balance does not cover this reply.")
	cl.WaitText("[data-locked] .locked-head", "Paid reply")
	if browsertest.Eval[bool](cl, `document.documentElement.outerHTML.includes(`+strconv.Quote(paidAnswer[:30])+`)`) {
		t.Fatal("the client's page holds the locked reply's text")
	}
	if _, err := s.App.Payments.Adjust(ctx, admin, payment.AdjustInput{UserID: client.ID, AmountCents: 500, Reason: "Demo top-up"}); err != nil {
		t.Fatal(err)
	}
	cl.WaitText("[data-locked] [data-wallet-balance]", "$5.00")
	cl.WaitJS("the shortfall note to go", `document.querySelector("[data-locked] [data-unlock-topup]").hidden`)
	cl.Screenshot("conversation-locked")
	cl.Click("[data-locked] [data-unlock] button")
	cl.WaitText("[data-messages] li.is-paid .msg-text", paidAnswer)
	cl.WaitText("[data-messages] li.is-paid [data-paid-tag]", "transfer #")
	cl.WaitText(".balance-chip [data-wallet-balance]", "$4.00")
	if n := cl.Count("[data-locked]"); n != 0 {
		t.Errorf("%d locked cards left after unlocking", n)
	}
	cl.Screenshot("conversation")

	// MSG-6: the reader's page shows the unlock and her share, live.
	rdr.WaitText("[data-messages] li.is-paid [data-paid-tag]", "you earned "+e2e.Money(share))
	var transfers int
	if err := s.App.DB.Read().QueryRowContext(ctx, `SELECT count(*) FROM ledger_transfers WHERE type = 'paid_reply' AND cause_type = 'reply' AND actor_id = $1`, client.ID).Scan(&transfers); err != nil {
		t.Fatal(err)
	}
	if transfers != 1 {
		t.Fatalf("%d paid_reply transfers, want 1", transfers)
	}
}
