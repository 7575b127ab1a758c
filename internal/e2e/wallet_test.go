package e2e

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/soulseer/soulseer/internal/account"
	"github.com/soulseer/soulseer/internal/apptest"
	"github.com/soulseer/soulseer/internal/browsertest"
	"github.com/soulseer/soulseer/internal/config"
	"github.com/soulseer/soulseer/internal/db"
	"github.com/soulseer/soulseer/internal/ledger"
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
	eachEngine(t, testWallet)
}

func testWallet(t *testing.T, e db.Engine) {
	// Both tabs log in from 127.0.0.1.
	s := apptest.Start(t, e, apptest.WithConfig(func(c *config.Config) { c.AuthRateLimit = 1000 }))
	ava := createUser(t, s, "Ava Moreno", "ava@example.com", account.RoleClient)
	b := browsertest.New(t, s.URL)
	// One engine's run owns the pictures, so runs do not overwrite each other.
	b.Screenshots = b.Screenshots && e == db.SQLite
	st := &story{t: t, s: s, b: b}

	// Two open pages of the same client: the dashboard stays put in one
	// tab while the other pays.
	watch := b.NewTab("client, dashboard")
	st.logIn(watch, ava.Email, apptest.Password, "/dashboard")
	pay := b.NewTab("client, paying")
	st.logIn(pay, ava.Email, apptest.Password, "/dashboard")
	st.waitLive(watch)
	browsertest.Eval[bool](watch, `(window.e2ePageMark = "watching") !== ""`)
	st.checkBalances(watch, 0)

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
	st.checkWallet(ava.ID, 0)

	// A preset amount: test checkout (WAL-10), pay, back on the wallet.
	start := st.payTestCheckout(pay, `.topup-form button.preset[value="$25.00"]`, 25_00, "/wallet", true)
	pay.WaitText(".flash", "Payment received — $25.00 was added to your wallet.")
	st.checkBalances(pay, 25_00)
	st.checkWallet(ava.ID, 25_00)

	// WAL-6: the dashboard that was never reloaded shows it by itself, in
	// the header chip, the balance card and the transactions list.
	st.waitBalance(watch, 25_00, start)
	watch.WaitHTMX("the new top-up in the last transactions", `document.querySelectorAll(".dash-side .entries .entry").length === 1`)
	watch.WaitText(".dash-side .entries .entry", "+$25.00")

	// A custom amount, with cents.
	pay.Fill(`.topup-form input[name="amount"]`, "40.50")
	start = st.payTestCheckout(pay, `.topup-form > button[type="submit"]`, 40_50, "/wallet", false)
	pay.WaitText(".flash", "Payment received — $40.50 was added to your wallet.")
	st.checkBalances(pay, 65_50)
	st.checkWallet(ava.ID, 65_50)
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

// createUser makes an account with a proper name (for the pictures) and
// the password apptest.Password.
func createUser(t *testing.T, s *apptest.Server, name, email string, role account.Role) account.User {
	t.Helper()
	u, err := s.App.Accounts.Create(context.Background(), account.SignUpInput{Email: email, Password: apptest.Password, DisplayName: name}, role)
	if err != nil {
		t.Fatalf("create %s: %v", email, err)
	}
	return u
}

// payTestCheckout clicks the wallet form's button sel, checks the built-in
// test checkout it leads to (WAL-10: clearly labelled, the amount), pays and
// checks that the browser returns to back (the wallet, or a reading room).
// It returns when the payment was sent, for timing live updates. With shoot
// it photographs the checkout.
func (st *story) payTestCheckout(tab *browsertest.Tab, sel string, cents int64, back string, shoot bool) time.Time {
	st.t.Helper()
	tab.ClickNav(sel)
	if p := tab.Path(); !strings.HasPrefix(p, "/wallet/test-checkout/") {
		st.t.Fatalf("the top-up led to %s, want the test checkout", p)
	}
	tab.WaitText(".checkout-card .test-badge", "Test mode — no real card is charged")
	tab.WaitText(".checkout-sum", money(cents))
	pay := `.checkout-card form[action$="/pay"] button[type="submit"]`
	tab.WaitText(pay, "Pay "+money(cents))
	if shoot {
		tab.Screenshot("test-checkout")
	}
	start := time.Now()
	tab.ClickNav(pay)
	u := tab.URL()
	if u.Path != back || u.Query().Get("topup") == "" {
		st.t.Fatalf("paying returned to %s, want %s?topup=…", u, back)
	}
	return start
}

// waitLive waits until the page's live connection (live.js, /api/v1/ws) is
// open, so events from now on reach it.
func (st *story) waitLive(tab *browsertest.Tab) {
	st.t.Helper()
	tab.WaitJS("the live connection to open", `document.body.classList.contains("is-live")`)
}

// checkBalances checks every balance shown on the page (header chip and
// cards) against cents.
func (st *story) checkBalances(tab *browsertest.Tab, cents int64) {
	st.t.Helper()
	want := money(cents)
	tab.WaitText(".balance-chip [data-wallet-balance]", want)
	for i, got := range browsertest.Eval[[]string](tab, `Array.from(document.querySelectorAll("[data-wallet-balance]")).map(function (el) { return el.innerText.trim(); })`) {
		if got != want {
			st.t.Errorf("%s tab: balance %d on %s shows %q, want %s", tab.Name, i, tab.Path(), got, want)
		}
	}
}

// waitBalance waits, up to liveUpdateTimeout, until every balance on a page
// that is not reloaded shows cents (WAL-6), and logs how long it took since
// the payment was sent.
func (st *story) waitBalance(tab *browsertest.Tab, cents int64, since time.Time) {
	st.t.Helper()
	prev := st.b.Timeout
	st.b.Timeout = liveUpdateTimeout
	defer func() { st.b.Timeout = prev }()
	want := money(cents)
	n := tab.Count("[data-wallet-balance]")
	if n < 2 {
		st.t.Fatalf("%s tab: %d balances on %s, want the header chip and a card", tab.Name, n, tab.Path())
	}
	tab.WaitJS(fmt.Sprintf("every balance to show %s without a reload", want), fmt.Sprintf(
		`Array.from(document.querySelectorAll("[data-wallet-balance]")).every(function (el) { return el.innerText.trim() === %q; })`, want))
	st.t.Logf("%s tab showed %s %v after paying", tab.Name, want, time.Since(since).Round(time.Millisecond))
}

// checkWallet compares the client's wallet in the ledger with cents.
func (st *story) checkWallet(userID, cents int64) {
	st.t.Helper()
	got, err := st.s.App.Ledger.Balance(context.Background(), st.s.App.DB.Read(), ledger.Wallet(userID))
	if err != nil {
		st.t.Fatal(err)
	}
	if got != cents {
		st.t.Fatalf("the wallet of user %d holds %s, want %s", userID, money(got), money(cents))
	}
}
