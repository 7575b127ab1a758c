package money

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/soulseer/soulseer/internal/account"
	"github.com/soulseer/soulseer/internal/apptest"
	"github.com/soulseer/soulseer/internal/browsertest"
	"github.com/soulseer/soulseer/internal/config"
	"github.com/soulseer/soulseer/internal/db"
	"github.com/soulseer/soulseer/internal/e2e"
	"github.com/soulseer/soulseer/internal/ledger"
	"github.com/soulseer/soulseer/internal/payment"
)

// TestAdminMoney follows an admin through the money pages (WAL-7, WAL-8,
// WAL-9, SEC-4): finding a client on /admin/refunds/, refunding part of a
// test-mode top-up to the card, crediting the wallet with a reason, seeing
// the month balanced on /admin/reconciliation and every action in the audit
// log; then the claims and the email outbox.
func TestAdminMoney(t *testing.T) {
	browsertest.FindChromium(t)
	s := apptest.Start(t, db.SQLite, apptest.WithConfig(func(c *config.Config) { c.AuthRateLimit = 1000 }))
	ctx := context.Background()
	e2e.CreateUser(t, s, "Morgan Admin", "morgan@example.com", account.RoleAdmin)
	cleo := e2e.CreateUser(t, s, "Cleo Client", "cleo@example.com", account.RoleClient)
	tu, err := s.App.Payments.CreateTopUp(ctx, cleo, 50_00, "")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.App.Payments.PayTestCheckout(ctx, cleo, tu.CheckoutSessionID); err != nil {
		t.Fatal(err)
	}
	b := browsertest.New(t, s.URL)
	st := &story{&e2e.Story{T: t, S: s, B: b}}
	admin := b.NewTab("admin")
	st.LogIn(admin, "morgan@example.com", apptest.Password, "/admin")

	admin.Visit("/admin/refunds/?user=cleo@example.com")
	admin.WaitText("[data-admin-balance]", "$50.00")
	row := fmt.Sprintf(`tr[data-topup-id="%d"]`, tu.ID)
	admin.Fill(row+` input[name="amount"]`, "20")
	admin.Fill(row+` input[name="reason"]`, "Asked for part of it back")
	admin.ClickNav(row + ` button[type="submit"]`)
	admin.WaitText(".flash", "Refund of $20.00 recorded")
	admin.WaitText("[data-admin-balance]", "$30.00")
	st.waitRefund(tu.ID)

	admin.Select(`form[action="/admin/adjustments"] select[name="direction"]`, "credit")
	admin.Fill(`form[action="/admin/adjustments"] input[name="amount"]`, "5")
	admin.Fill(`form[action="/admin/adjustments"] textarea[name="reason"]`, "Goodwill after a dropped call")
	admin.ClickNav(`form[action="/admin/adjustments"] button[type="submit"]`)
	admin.WaitText(".flash", "Adjustment of $5.00 recorded")
	admin.WaitText("[data-admin-balance]", "$35.00")
	if got, _ := s.App.Ledger.Balance(ctx, s.App.DB.Read(), ledger.Wallet(cleo.ID)); got != 35_00 {
		t.Fatalf("wallet = %d, want 3500", got)
	}
	admin.Screenshot("admin-refunds")

	admin.Visit("/admin/reconciliation")
	admin.WaitText(".stat-cards", "Balanced")
	admin.WaitText(".stat-cards", "$50.00")
	admin.Screenshot("admin-reconciliation")

	admin.Visit("/admin/audit?action=wallet.")
	admin.WaitText(".table", "Refunded a top-up to the card")
	admin.WaitText(".table", "Adjusted a wallet")

	// The other admin pages are a tab away: no claims yet, and the email
	// kept without an SMTP server.
	admin.ClickNav(`nav[aria-label="Admin"] a[href="/admin/claims"]`)
	admin.WaitText("h1", "Satisfaction claims")
	admin.ClickNav(`nav[aria-label="Admin"] a[href="/admin/outbox"]`)
	admin.WaitText("h1", "Email outbox")
}

// waitRefund waits until the card refund of top-up id has gone through the
// (test-mode) payment provider.
func (st *story) waitRefund(topupID int64) {
	st.T.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for time.Now().Before(deadline) {
		list, err := st.S.App.Payments.Refunds(context.Background(), "", 10)
		if err != nil {
			st.T.Fatal(err)
		}
		for _, r := range list {
			if r.TopUpID == topupID && r.Status == payment.RefundSucceeded {
				return
			}
		}
		time.Sleep(50 * time.Millisecond)
	}
	st.T.Fatalf("the card refund of top-up %d did not succeed", topupID)
}
