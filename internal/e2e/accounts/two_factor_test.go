// Package accounts holds the browser stories of a person's own account:
// two-factor sign-in, taking a copy of one's data and deleting the account
// (see package e2e).
package accounts

import (
	"context"
	"testing"

	"github.com/soulseer/soulseer/internal/account"
	"github.com/soulseer/soulseer/internal/apptest"
	"github.com/soulseer/soulseer/internal/browsertest"
	"github.com/soulseer/soulseer/internal/config"
	"github.com/soulseer/soulseer/internal/db"
	"github.com/soulseer/soulseer/internal/e2e"
)

// TestAdminTwoFactor follows a new admin without two-factor sign-in (ACC-7):
// logging in, the admin dashboard sends them to set it up; they scan the
// key (here: read it off the page), a wrong code is told beside the field,
// the right one shows ten recovery codes and Continue returns to the admin
// dashboard. Logging in again asks for the code after the password: a
// wrong code is refused, the right one with "remember this browser" lands
// on the dashboard, and the next login in that browser skips the code.
func TestAdminTwoFactor(t *testing.T) {
	e2e.EachEngine(t, testAdminTwoFactor)
}

func testAdminTwoFactor(t *testing.T, e db.Engine) {
	ctx := context.Background()
	s := apptest.Start(t, e, apptest.WithConfig(func(c *config.Config) { c.AuthRateLimit = 1000 }))
	if _, err := s.App.Accounts.Create(ctx, account.SignUpInput{Email: "nia@example.com", Password: apptest.Password, DisplayName: "Nia Admin"}, account.RoleAdmin); err != nil {
		t.Fatal(err)
	}
	b := browsertest.New(t, s.URL)
	b.Screenshots = b.Screenshots && e == db.SQLite
	st := &e2e.Story{T: t, S: s, B: b}

	tab := b.NewTab("admin")
	st.LogIn(tab, "nia@example.com", apptest.Password, "/account/two-factor")
	tab.WaitText(".flash", "Turn on two-factor sign-in first")
	secret := st.SetUpTwoFactor(tab)
	tab.Screenshot("two-factor-setup")
	tab.Fill(`#confirm input[name="code"]`, "000000")
	tab.ClickNavStatus(`#confirm button[type="submit"]`, 401)
	tab.WaitText(`#confirm .field-error`, "That code is not right")
	st.ConfirmTwoFactor(tab, secret)
	tab.Screenshot("two-factor-recovery-codes")
	tab.ClickNav(`[data-recovery-codes] a[href="/admin"]`)
	if p := tab.Path(); p != "/admin" {
		t.Fatalf("Continue led to %s", p)
	}

	tab.ClickNav(`form[action="/logout"] button[type="submit"]`)
	tab.Visit("/login")
	tab.Fill(`input[name="email"]`, "nia@example.com")
	tab.Fill(`input[name="password"]`, apptest.Password)
	tab.ClickNav(`form[action="/login"] button[type="submit"]`)
	if p := tab.Path(); p != "/login/two-factor" {
		t.Fatalf("the password led to %s, not the code", p)
	}
	tab.Screenshot("login-two-factor")
	tab.Fill(`input[name="code"]`, "000000")
	tab.ClickNavStatus(`form[action="/login/two-factor"] button[type="submit"]`, 401)
	tab.WaitText(`.field-error`, "That code is not right")
	tab.Fill(`input[name="code"]`, s.TwoFactorCode(st.User("nia@example.com")))
	tab.SetChecked(`input[name="remember"]`, true)
	tab.ClickNav(`form[action="/login/two-factor"] button[type="submit"]`)
	if p := tab.Path(); p != "/admin" {
		t.Fatalf("the code led to %s", p)
	}

	tab.ClickNav(`form[action="/logout"] button[type="submit"]`)
	st.LogIn(tab, "nia@example.com", apptest.Password, "/admin") // remembered: no code asked
}
