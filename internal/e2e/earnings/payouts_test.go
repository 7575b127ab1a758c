// Package earnings holds the browser stories of what readers earn and
// admins oversee: reader payouts and the three dashboards (see package
// e2e).
package earnings

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/soulseer/soulseer/internal/account"
	"github.com/soulseer/soulseer/internal/apptest"
	"github.com/soulseer/soulseer/internal/browsertest"
	"github.com/soulseer/soulseer/internal/db"
	"github.com/soulseer/soulseer/internal/demo"
	"github.com/soulseer/soulseer/internal/e2e"
	"github.com/soulseer/soulseer/internal/ledger"
	"github.com/soulseer/soulseer/internal/payout"
)

// TestPayouts follows a reader who onboards in test mode and sees a
// payout (EXT-3, DASH-R, DASH-A) on every engine; the reader's payout
// settings, the test onboarding page and the admin's payout control are
// each checked for accessibility at both widths.
func TestPayouts(t *testing.T) {
	e2e.EachEngine(t, testPayouts)
}

// earned is what the reader has earned when the admin runs the payouts.
const earned = 42_00

// testPayouts: Iris, a reader new to the demo marketplace, opens her
// payout settings from the dashboard's next payout, goes through the
// labelled test-mode onboarding and comes back with payouts enabled. Once
// she has earned $42.00 her dashboard says when it will be paid, on the
// date her payout settings give. The demo admin finds her among the
// payouts due from the admin dashboard and runs the payouts; Iris sees
// the payout in her history and on her dashboard, whose next payout waits
// for the minimum again. No periodic run pays her meanwhile: the story's
// app runs none.
// story is one run of a story in this package: the shared run (app, data,
// browser) with this package's own steps as methods.
type story struct{ *e2e.Story }

func testPayouts(t *testing.T, e db.Engine) {
	st := &story{e2e.DemoWith(t, e, apptest.WithManualSweeps())}
	iris := e2e.CreateUser(t, st.S, "Iris Moon", "iris@example.com", account.RoleReader)
	reader := st.B.NewTab("reader")
	st.LogIn(reader, iris.Email, apptest.Password, "/reader/dashboard")
	st.onboardPayouts(reader)
	st.earn(iris, earned)
	st.seeNextPayout(reader)

	admin := st.B.NewTab("admin")
	st.LogIn(admin, demo.AdminEmail, demo.Password, "/admin")
	p := st.runPayouts(admin, iris)
	st.seePayout(reader, p)
	reader.CheckConsole()
	admin.CheckConsole()
}

// onboardPayouts opens the payout settings from the dashboard's next
// payout, which asks for them to be set up, and completes the built-in
// test onboarding: the reader comes back with payouts enabled.
func (st *story) onboardPayouts(tab *browsertest.Tab) {
	st.T.Helper()
	tab.WaitText(`[data-payout-slot][data-payout-state="setup"]`, "Set up payouts")
	tab.ClickNav(`[data-payout-slot] a[href="/reader/payouts"]`)
	tab.WaitText("#payout-account h2", "Set up payouts")
	tab.WaitText("#payout-account .test-badge", "Test mode")
	st.turnOnTwoFactor(tab)
	tab.ClickNav(`#payout-account form[action="/reader/payouts/onboarding"] button[type="submit"]`)
	if p := tab.Path(); p != payout.TestOnboardingPath {
		st.T.Fatalf("setting up payouts led to %s, want the test onboarding", p)
	}
	tab.WaitText(".checkout-card .test-badge", "Test mode — no bank account is connected and no money leaves SoulSeer")
	tab.ClickNav(`form[action="/reader/payouts/test-onboarding"] button[type="submit"]`)
	if p := tab.Path(); p != payout.PayoutsPath {
		st.T.Fatalf("the test onboarding returned to %s, want %s", p, payout.PayoutsPath)
	}
	tab.WaitText(".flash", "Test onboarding complete")
	tab.WaitText("#payout-account h2", "Payouts are set up")
	tab.WaitVisible("[data-payouts-enabled]")
}

// turnOnTwoFactor follows the payout settings' request to turn on
// two-factor sign-in first (ACC-7) and comes back to them.
func (st *story) turnOnTwoFactor(tab *browsertest.Tab) {
	st.T.Helper()
	tab.ClickNav(`#payout-account [data-needs-two-factor] a`)
	secret := st.SetUpTwoFactor(tab)
	st.ConfirmTwoFactor(tab, secret)
	tab.ClickNav(`[data-recovery-codes] a[href="/reader/payouts"]`)
	tab.WaitText("#payout-account h2", "Set up payouts")
}

// earn credits the reader's earnings as the readings they gave would.
func (st *story) earn(u account.User, cents int64) {
	st.T.Helper()
	if _, err := st.S.App.Ledger.Transfer(context.Background(), ledger.Transfer{Key: "story-earnings-" + u.Email, Type: ledger.TypeAdjustment,
		Postings: []ledger.Posting{{Account: ledger.Adjustments(), Amount: -cents}, {Account: ledger.Earnings(u.ID), Amount: cents}},
		Memo:     "Earnings of the payout story"}); err != nil {
		st.T.Fatal(err)
	}
}

// seeNextPayout checks that the dashboard's next payout pays everything
// earned on the date the payout settings give.
func (st *story) seeNextPayout(tab *browsertest.Tab) {
	st.T.Helper()
	tab.Visit(payout.PayoutsPath)
	tab.WaitText("[data-available]", e2e.Money(earned))
	day := tab.Text("[data-next-payout]")
	tab.Visit("/reader/dashboard")
	tab.WaitText(`[data-payout-slot][data-payout-state="scheduled"] [data-next-payout]`, day)
	tab.WaitText("[data-payout-slot]", e2e.Money(earned)+" will be paid")
}

// runPayouts follows the admin dashboard's payouts due to the payout
// control, where the reader is due, and pays everyone due; it returns the
// reader's payout.
func (st *story) runPayouts(tab *browsertest.Tab, u account.User) payout.Payout {
	st.T.Helper()
	tab.ClickNav(`[data-platform-stats] a[href="/admin/payouts#payouts-due"]`)
	row := fmt.Sprintf(`tr[data-due-reader="%d"]`, u.ID)
	tab.WaitText(row, e2e.Money(earned))
	tab.WaitText(row, "Paid")
	tab.ClickNav(`#payout-run form.inline button[type="submit"]`)
	if p := tab.Path(); p != "/admin/payouts" {
		st.T.Fatalf("running the payouts led to %s", p)
	}
	tab.WaitText(".flash", "Payouts run:")
	ps, err := st.S.App.Payouts.List(context.Background(), payout.Filter{UserID: u.ID})
	if err != nil {
		st.T.Fatal(err)
	}
	if len(ps) != 1 || ps[0].State != payout.Paid || ps[0].AmountCents != earned || ps[0].AdminID != st.UserID(demo.AdminEmail) {
		st.T.Fatalf("the reader's payouts after the admin's run: %+v", ps)
	}
	tab.WaitText(fmt.Sprintf(`#payouts-recent tr[data-payout-id="%d"]`, ps[0].ID), "Iris Moon")
	if n := tab.Count(row); n != 0 {
		st.T.Errorf("the reader is still due after being paid")
	}
	tab.Screenshot("admin-payouts")
	return ps[0]
}

// seePayout checks the payout in the reader's history and on the
// dashboard, whose next payout waits for the minimum again.
func (st *story) seePayout(tab *browsertest.Tab, p payout.Payout) {
	st.T.Helper()
	tab.Visit(payout.PayoutsPath)
	row := fmt.Sprintf(`#payout-history tr[data-payout-id="%d"]`, p.ID)
	tab.WaitText(row, e2e.Money(earned))
	tab.WaitText(row, "Paid")
	tab.WaitText("[data-available]", e2e.Money(0))
	tab.Screenshot("reader-payouts")
	tab.Visit("/reader/dashboard")
	slot := `[data-payout-slot][data-payout-state="below_minimum"]`
	tab.WaitText(slot, "is below the minimum of "+e2e.Money(st.S.App.Payouts.MinCents))
	last := tab.Text(fmt.Sprintf(`%s [data-last-payout="%d"]`, slot, p.ID))
	if !strings.HasPrefix(last, "Last: "+e2e.Money(earned)+", paid ") {
		st.T.Errorf("the dashboard's last payout reads %q", last)
	}
}
