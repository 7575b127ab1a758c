package money

import (
	"context"
	"testing"
	"time"

	"github.com/soulseer/soulseer/internal/db"
	"github.com/soulseer/soulseer/internal/demo"
	"github.com/soulseer/soulseer/internal/e2e"
	"github.com/soulseer/soulseer/internal/ledger"
	"github.com/soulseer/soulseer/internal/live"
)

// TestAutoReload follows the demo client who turns auto-reload on in test
// mode (WAL-12, WAL-10): from the wallet's Auto-reload card they choose
// "under $10.00, add $20.00", save a card on the labelled test page, and
// see auto-reload on with card •••• 4242; then gifts to Selene's stream
// leave their wallet under $10.00, and the wallet page — never reloaded —
// shows it refilled by $20.00 by itself, with the reload among the recent
// transactions and in the notifications. The ledger still verifies.
func TestAutoReload(t *testing.T) {
	e2e.EachEngine(t, testAutoReload)
}

func testAutoReload(t *testing.T, e db.Engine) {
	ctx := context.Background()
	st := &story{e2e.Demo(t, e)}
	client := st.User(demo.ClientEmail)
	tab := st.B.NewTab("client")
	st.LogIn(tab, demo.ClientEmail, demo.Password, "/dashboard")

	tab.Visit("/wallet")
	st.PayTestCheckout(tab, `.topup-form button.preset[value="$25.00"]`, 25_00, "/wallet", false)
	start := balanceOf(t, st, client.ID)

	tab.WaitText("[data-auto-reload-summary]", "when your balance runs low")
	tab.ClickNav(`[data-auto-reload-link]`)
	tab.WaitVisible(`[data-auto-reload-off]`)
	tab.Fill(`#auto-reload-form input[name="threshold"]`, "10")
	tab.Fill(`#auto-reload-form input[name="amount"]`, "20")
	tab.ClickNav(`#auto-reload-form button[type="submit"]`)
	tab.WaitText(".checkout-card .test-badge", "Test mode — no real card is saved or charged")
	tab.Screenshot("test-card")
	tab.ClickNav(`.checkout-card form button[type="submit"]`)
	if p := tab.Path(); p != "/wallet/auto-reload" {
		t.Fatalf("saving the card led to %s, want /wallet/auto-reload", p)
	}
	tab.WaitText(`[data-auto-reload-on]`, "•••• 4242")
	tab.WaitText(`[data-auto-reload-on]`, "$10.00")
	tab.Screenshot("auto-reload")

	// Gifts leave the wallet under $10.00 while the wallet page is open.
	tab.Visit("/wallet")
	tab.WaitText("[data-auto-reload-summary]", "card •••• 4242")
	left := sendGifts(t, st, start)
	since := time.Now()
	st.waitBalance(tab, left+20_00, since)
	tab.WaitHTMX("the reload among the recent transactions", `Array.from(document.querySelectorAll("#wallet-entries .entry")).some(function (el) { return el.innerText.indexOf("+$20.00") >= 0; })`)
	st.CheckWallet(client.ID, left+20_00)
	tab.Visit("/notifications")
	tab.WaitText("#notifications", "Your wallet was reloaded with $20.00")
	rep, err := ledger.Verify(ctx, st.S.App.DB)
	if err != nil || len(rep.Problems) > 0 {
		t.Fatalf("ledger verify: %v %v", err, rep.Problems)
	}
	tab.CheckConsole()
}

func balanceOf(t *testing.T, st *story, userID int64) int64 {
	t.Helper()
	b, err := st.S.App.Ledger.Balance(context.Background(), st.S.App.DB.Read(), ledger.Wallet(userID))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// sendGifts sends the client's gifts to Selene's stream (started if she is
// not live) until less than $10.00 is left of balance, and returns what is
// left.
func sendGifts(t *testing.T, st *story, balance int64) int64 {
	t.Helper()
	ctx := context.Background()
	a := st.S.App
	selene := st.User("selene@soulseer.demo")
	stream, ok, err := a.Live.Current(ctx, selene)
	if err == nil && !ok {
		stream, err = a.Live.Start(ctx, selene, live.StartInput{Title: "Auto-reload night", Visibility: string(live.Public)})
	}
	if err != nil {
		t.Fatalf("Selene's stream: %v", err)
	}
	gifts, err := a.Live.Gifts(ctx, false)
	if err != nil {
		t.Fatal(err)
	}
	for _, g := range gifts {
		q := balance / g.PriceCents
		if q < 1 || q > live.MaxGiftQuantity || balance-q*g.PriceCents >= 10_00 {
			continue
		}
		if _, _, err := a.Live.SendGift(ctx, st.User(demo.ClientEmail), stream.ID, live.SendInput{GiftID: g.ID, Quantity: int(q), IdempotencyKey: "auto-reload-story"}); err != nil {
			t.Fatalf("send %d × %s: %v", q, g.Name, err)
		}
		return balance - q*g.PriceCents
	}
	t.Fatalf("no gift of %+v leaves %s under $10.00", gifts, e2e.Money(balance))
	return 0
}
