package e2e

import (
	"strings"

	"github.com/soulseer/soulseer/internal/account"
	"github.com/soulseer/soulseer/internal/browsertest"
)

// SetUpTwoFactor presses Set up on the two-factor page (ACC-7) and returns
// the key it shows beside the QR code, as a person would add it to an app.
func (st *Story) SetUpTwoFactor(tab *browsertest.Tab) string {
	st.T.Helper()
	tab.ClickNav(`form[action="/account/two-factor/setup"] button[type="submit"]`)
	tab.WaitVisible(`.qr-box svg.qr`)
	return strings.TrimSpace(tab.Text(`[data-secret]`))
}

// ConfirmTwoFactor types the app's current code for secret and checks
// that the ten recovery codes are shown.
func (st *Story) ConfirmTwoFactor(tab *browsertest.Tab, secret string) {
	st.T.Helper()
	code, err := account.TOTPCode(secret, st.S.App.Clock.Now())
	if err != nil {
		st.T.Fatal(err)
	}
	tab.Fill(`#confirm input[name="code"]`, code)
	tab.ClickNav(`#confirm button[type="submit"]`)
	if n := tab.Count(`[data-recovery-codes] .code-list li`); n != account.RecoveryCodeCount {
		st.T.Fatalf("%d recovery codes shown", n)
	}
}
