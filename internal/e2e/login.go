package e2e

import "github.com/soulseer/soulseer/internal/browsertest"

// LogIn fills in the login form, and the two-factor code of a user who
// has it on (ACC-7), and checks the dashboard it lands on (ACC-4).
func (st *Story) LogIn(tab *browsertest.Tab, email, password, dashboard string) {
	st.T.Helper()
	if tab.Path() != "/login" {
		tab.Visit("/login")
	}
	tab.Fill(`input[name="email"]`, email)
	tab.Fill(`input[name="password"]`, password)
	tab.ClickNav(`form[action="/login"] button[type="submit"]`)
	if tab.Path() == "/login/two-factor" {
		tab.Fill(`input[name="code"]`, st.S.TwoFactorCode(st.User(email)))
		tab.ClickNav(`form[action="/login/two-factor"] button[type="submit"]`)
	}
	if p := tab.Path(); p != dashboard {
		st.T.Fatalf("%s logged in and landed on %s, want %s", email, p, dashboard)
	}
}
