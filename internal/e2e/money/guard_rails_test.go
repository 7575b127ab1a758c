package money

import (
	"context"
	"testing"

	"github.com/soulseer/soulseer/internal/account"
	"github.com/soulseer/soulseer/internal/apperr"
	"github.com/soulseer/soulseer/internal/apptest"
	"github.com/soulseer/soulseer/internal/browsertest"
	"github.com/soulseer/soulseer/internal/config"
	"github.com/soulseer/soulseer/internal/db"
	"github.com/soulseer/soulseer/internal/e2e"
	"github.com/soulseer/soulseer/internal/ledger"
)

// TestGuardRails follows people through the account and money guard rails
// in a real browser, each page checked by axe-core (ACC-10, WAL-8, SEC-4,
// SEC-7): a client sees their API token on the dashboard and revokes it,
// after which it signs in nobody; an admin's credit to their own wallet
// waits on the refunds page until another admin approves it there.
func TestGuardRails(t *testing.T) {
	browsertest.FindChromium(t)
	s := apptest.Start(t, db.SQLite, apptest.WithConfig(func(c *config.Config) { c.AuthRateLimit = 1000 }))
	ctx := context.Background()
	cleo := e2e.CreateUser(t, s, "Cleo Client", "cleo@example.com", account.RoleClient)
	ada := e2e.CreateUser(t, s, "Ada Admin", "ada@example.com", account.RoleAdmin)
	e2e.CreateUser(t, s, "Bo Admin", "bo@example.com", account.RoleAdmin)
	tok, err := s.App.Accounts.CreateAPIToken(ctx, cleo.ID, account.TokenInput{Name: "backup script"})
	if err != nil {
		t.Fatal(err)
	}
	st := &e2e.Story{T: t, S: s, B: browsertest.New(t, s.URL)}

	client := st.B.NewTab("client")
	st.LogIn(client, "cleo@example.com", apptest.Password, "/dashboard")
	client.WaitText("#api-tokens", "backup script")
	client.Screenshot("dashboard-api-tokens")
	client.ClickNav(`tr[data-token-id="` + tok.ID + `"] button[type="submit"]`)
	client.WaitText(".flash", "The API token was revoked")
	client.WaitText("#api-tokens", "You have no API tokens")
	if _, err := s.App.Accounts.UserByAPIToken(ctx, tok.Secret); apperr.CodeOf(err) != apperr.Unauthorized {
		t.Fatalf("the revoked token still signs in: %v", err)
	}

	asker := st.B.NewTab("asker")
	st.LogIn(asker, "ada@example.com", apptest.Password, "/admin")
	asker.Visit("/admin/refunds/?user=ada@example.com")
	asker.Select(`form[action="/admin/adjustments"] select[name="direction"]`, "credit")
	asker.Fill(`form[action="/admin/adjustments"] input[name="amount"]`, "12")
	asker.Fill(`form[action="/admin/adjustments"] textarea[name="reason"]`, "Conference travel")
	asker.ClickNav(`form[action="/admin/adjustments"] button[type="submit"]`)
	asker.WaitText(".flash", "needs a second admin")
	asker.WaitText("#adjustment-requests", "Waiting for another admin")

	approver := st.B.NewTab("approver")
	st.LogIn(approver, "bo@example.com", apptest.Password, "/admin")
	approver.Visit("/admin/refunds/")
	approver.WaitText("#adjustment-requests", "Conference travel")
	approver.Screenshot("admin-refunds-self-credit")
	approver.ClickNav(`#adjustment-requests input[value="approve"] + button`)
	approver.WaitText(".flash", "is approved")
	if got, _ := s.App.Ledger.Balance(ctx, s.App.DB.Read(), ledger.Wallet(ada.ID)); got != 12_00 {
		t.Fatalf("the asking admin's wallet = %d after approval, want 1200", got)
	}
	if n := approver.Count("#adjustment-requests"); n != 0 {
		t.Fatalf("the approved credit still waits on the refunds page (%d)", n)
	}
}
