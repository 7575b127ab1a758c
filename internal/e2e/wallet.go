package e2e

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/soulseer/soulseer/internal/browsertest"
	"github.com/soulseer/soulseer/internal/ledger"
)

// Money formats cents as the site does, e.g. $2.49.
func Money(cents int64) string { return fmt.Sprintf("$%d.%02d", cents/100, cents%100) }

// PayTestCheckout clicks the wallet form's button sel, checks the built-in
// test checkout it leads to (WAL-10: clearly labelled, the amount), pays and
// checks that the browser returns to back (the wallet, or a reading room).
// It returns when the payment was sent, for timing live updates. With shoot
// it photographs the checkout.
func (st *Story) PayTestCheckout(tab *browsertest.Tab, sel string, cents int64, back string, shoot bool) time.Time {
	st.T.Helper()
	tab.ClickNav(sel)
	if p := tab.Path(); !strings.HasPrefix(p, "/wallet/test-checkout/") {
		st.T.Fatalf("the top-up led to %s, want the test checkout", p)
	}
	tab.WaitText(".checkout-card .test-badge", "Test mode — no real card is charged")
	tab.WaitText(".checkout-sum", Money(cents))
	pay := `.checkout-card form[action$="/pay"] button[type="submit"]`
	tab.WaitText(pay, "Pay "+Money(cents))
	if shoot {
		tab.Screenshot("test-checkout")
	}
	start := time.Now()
	tab.ClickNav(pay)
	u := tab.URL()
	if u.Path != back || u.Query().Get("topup") == "" {
		st.T.Fatalf("paying returned to %s, want %s?topup=…", u, back)
	}
	return start
}

// CheckBalances checks every balance shown on the page (header chip and
// cards) against cents.
func (st *Story) CheckBalances(tab *browsertest.Tab, cents int64) {
	st.T.Helper()
	want := Money(cents)
	tab.WaitText(".balance-chip [data-wallet-balance]", want)
	for i, got := range browsertest.Eval[[]string](tab, `Array.from(document.querySelectorAll("[data-wallet-balance]")).map(function (el) { return el.innerText.trim(); })`) {
		if got != want {
			st.T.Errorf("%s tab: balance %d on %s shows %q, want %s", tab.Name, i, tab.Path(), got, want)
		}
	}
}

// CheckWallet compares the client's wallet in the ledger with cents.
func (st *Story) CheckWallet(userID, cents int64) {
	st.T.Helper()
	got, err := st.S.App.Ledger.Balance(context.Background(), st.S.App.DB.Read(), ledger.Wallet(userID))
	if err != nil {
		st.T.Fatal(err)
	}
	if got != cents {
		st.T.Fatalf("the wallet of user %d holds %s, want %s", userID, Money(got), Money(cents))
	}
}
