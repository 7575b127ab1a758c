// Package money holds the browser stories of money and of the guard rails
// around it: the wallet, auto-reload, the admin's money pages, API tokens
// and the header's balances at every width (see package e2e).
package money

import (
	"fmt"
	"testing"
	"time"

	"github.com/soulseer/soulseer/internal/account"
	"github.com/soulseer/soulseer/internal/apptest"
	"github.com/soulseer/soulseer/internal/browsertest"
	"github.com/soulseer/soulseer/internal/config"
	"github.com/soulseer/soulseer/internal/db"
	"github.com/soulseer/soulseer/internal/e2e"
)

// liveUpdateTimeout bounds how long an open page may take to show a new
// wallet balance by itself. The hub sends it within ~100 ms of the commit
// (WAL-6); the rest is slack for a busy test machine.
const liveUpdateTimeout = 5 * time.Second

// TestWallet follows a client topping up in test mode while a second page
// of theirs stays open (WAL-4, WAL-6, WAL-10): one tab pays from the
// dashboard's "Add funds" through the wallet and the built-in test checkout,
// the other — never reloaded — shows each new balance by itself.
func TestWallet(t *testing.T) {
	e2e.EachEngine(t, testWallet)
}

// story is one run of a story in this package: the shared run (app, data,
// browser) with this package's own steps as methods.
type story struct{ *e2e.Story }

func testWallet(t *testing.T, e db.Engine) {
	// Both tabs log in from 127.0.0.1.
	s := apptest.Start(t, e, apptest.WithConfig(func(c *config.Config) { c.AuthRateLimit = 1000 }))
	ava := e2e.CreateUser(t, s, "Ava Moreno", "ava@example.com", account.RoleClient)
	b := browsertest.New(t, s.URL)
	// One engine's run owns the pictures, so runs do not overwrite each other.
	b.Screenshots = b.Screenshots && e == db.SQLite
	st := &story{&e2e.Story{T: t, S: s, B: b}}

	// Two open pages of the same client: the dashboard stays put in one
	// tab while the other pays.
	watch := b.NewTab("client, dashboard")
	st.LogIn(watch, ava.Email, apptest.Password, "/dashboard")
	pay := b.NewTab("client, paying")
	st.LogIn(pay, ava.Email, apptest.Password, "/dashboard")
	st.WaitLive(watch)
	browsertest.Eval[bool](watch, `(window.e2ePageMark = "watching") !== ""`)
	st.CheckBalances(watch, 0)

	// WAL-4: the dashboard's balance card leads to the wallet.
	pay.ClickNav(`.balance-card a[href="/wallet"]`)
	if p := pay.Path(); p != "/wallet" {
		t.Fatalf(`"Add funds" led to %s, want /wallet`, p)
	}
	pay.WaitText(".topup-form .test-badge", "Test mode — no real card is charged")
	pay.WaitText("#topup-limits", "Between $5.00 and $500.00.")

	// A custom amount below the minimum is sent back with a field error,
	// and nothing is started.
	pay.Fill(`.topup-form input[name="amount"]`, "2")
	pay.ClickNavStatus(`.topup-form > button[type="submit"]`, 400)
	pay.WaitText(".topup-form .field-error", "Top up between $5.00 and $500.00.")
	if v := pay.Value(`.topup-form input[name="amount"]`); v != "2" {
		t.Errorf("after the error the amount field holds %q, want the 2 typed", v)
	}
	if got := pay.Attrs(`.topup-form input[name="amount"]`, "aria-invalid"); len(got) != 1 || got[0] != "true" {
		t.Errorf("the refused amount field is not marked aria-invalid: %q", got)
	}
	st.CheckWallet(ava.ID, 0)

	// A preset amount: test checkout (WAL-10), pay, back on the wallet.
	start := st.PayTestCheckout(pay, `.topup-form button.preset[value="$25.00"]`, 25_00, "/wallet", true)
	pay.WaitText(".flash", "Payment received — $25.00 was added to your wallet.")
	st.CheckBalances(pay, 25_00)
	st.CheckWallet(ava.ID, 25_00)

	// WAL-6: the dashboard that was never reloaded shows it by itself, in
	// the header chip, the balance card and the transactions list.
	st.waitBalance(watch, 25_00, start)
	watch.WaitHTMX("the new top-up in the last transactions", `document.querySelectorAll(".dash-side .entries .entry").length === 1`)
	watch.WaitText(".dash-side .entries .entry", "+$25.00")

	// A custom amount, with cents.
	pay.Fill(`.topup-form input[name="amount"]`, "40.50")
	start = st.PayTestCheckout(pay, `.topup-form > button[type="submit"]`, 40_50, "/wallet", false)
	pay.WaitText(".flash", "Payment received — $40.50 was added to your wallet.")
	st.CheckBalances(pay, 65_50)
	st.CheckWallet(ava.ID, 65_50)
	pay.WaitHTMX("both top-ups in the recent transactions", `document.querySelectorAll("#wallet-entries .entry").length === 2`)
	pay.Screenshot("wallet")
	// WAL-2: the full history lists both.
	pay.ClickNav(`a[href="/wallet/history"]`)
	pay.WaitText(".table", "+$25.00")
	pay.WaitText(".table", "+$40.50")

	st.waitBalance(watch, 65_50, start)
	watch.WaitHTMX("both top-ups in the last transactions", `document.querySelectorAll(".dash-side .entries .entry").length === 2`)
	watch.WaitText(".dash-side .entries .entry", "+$40.50")
	if mark := browsertest.Eval[string](watch, `window.e2ePageMark || ""`); mark != "watching" {
		t.Fatal("the watching dashboard was reloaded; its balance must update in place")
	}
	watch.CheckConsole()
}

// waitBalance waits, up to liveUpdateTimeout, until every balance on a page
// that is not reloaded shows cents (WAL-6), and logs how long it took since
// the payment was sent.
func (st *story) waitBalance(tab *browsertest.Tab, cents int64, since time.Time) {
	st.T.Helper()
	prev := st.B.Timeout
	st.B.Timeout = liveUpdateTimeout
	defer func() { st.B.Timeout = prev }()
	want := e2e.Money(cents)
	n := tab.Count("[data-wallet-balance]")
	if n < 2 {
		st.T.Fatalf("%s tab: %d balances on %s, want the header chip and a card", tab.Name, n, tab.Path())
	}
	tab.WaitJS(fmt.Sprintf("every balance to show %s without a reload", want), fmt.Sprintf(
		`Array.from(document.querySelectorAll("[data-wallet-balance]")).every(function (el) { return el.innerText.trim() === %q; })`, want))
	st.T.Logf("%s tab showed %s %v after paying", tab.Name, want, time.Since(since).Round(time.Millisecond))
}
