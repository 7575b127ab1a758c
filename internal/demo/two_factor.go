package demo

import (
	"context"
	"time"

	"github.com/soulseer/soulseer/internal/account"
	"github.com/soulseer/soulseer/internal/app"
)

// AdminTwoFactorSecret is the demo admin's authenticator key: admins must
// sign in with two-factor codes (ACC-7), so Load prints it for a newcomer
// to add to an authenticator app.
const AdminTwoFactorSecret = "SOULSEERDEMOADMINTWOFACTORSECRET"

// enrolAdmin turns on the demo admin's two-factor sign-in with
// AdminTwoFactorSecret, once, and returns one of the recovery codes to
// print ("" when it was on already). The code that confirms it is the
// previous step's, so the app's current code still signs in.
func enrolAdmin(ctx context.Context, a *app.App, admin account.User) (string, error) {
	if admin.TwoFactor {
		return "", nil
	}
	if _, err := a.Accounts.EnrolTwoFactorSecret(ctx, admin, AdminTwoFactorSecret); err != nil {
		return "", err
	}
	code, err := account.TOTPCode(AdminTwoFactorSecret, a.Clock.Now().Add(-30*time.Second))
	if err != nil {
		return "", err
	}
	codes, err := a.Accounts.ConfirmTwoFactor(ctx, admin, code)
	if err != nil {
		return "", err
	}
	return codes[0], nil
}
