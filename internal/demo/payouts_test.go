package demo_test

import (
	"testing"

	"github.com/soulseer/soulseer/internal/apptest"
	"github.com/soulseer/soulseer/internal/payout"
)

// EXT-3: after loading the demo twice, every demo reader is onboarded in
// test mode and Luna has one past payout, paid once.
func TestDemoPayouts_EXT3(t *testing.T) {
	eachLoaded(t, func(t *testing.T, s *apptest.Server) {
		var readers, onboarded int
		if err := s.App.DB.Read().QueryRowContext(ctx, `SELECT COUNT(*) FROM users WHERE role = 'reader' AND email LIKE '%@soulseer.demo'`).Scan(&readers); err != nil {
			t.Fatal(err)
		}
		if err := s.App.DB.Read().QueryRowContext(ctx, `SELECT COUNT(*) FROM payout_accounts WHERE payouts_enabled AND mode = 'test'`).Scan(&onboarded); err != nil {
			t.Fatal(err)
		}
		if readers < 5 || onboarded != readers {
			t.Fatalf("%d of %d demo readers onboarded", onboarded, readers)
		}
		luna, err := s.App.Accounts.GetByEmail(ctx, "luna@soulseer.demo")
		if err != nil {
			t.Fatal(err)
		}
		ps, err := s.App.Payouts.List(ctx, payout.Filter{})
		if err != nil || len(ps) != 1 || ps[0].UserID != luna.ID || ps[0].State != payout.Paid {
			t.Fatalf("demo payouts %+v (%v), want one paid to Luna", ps, err)
		}
	})
}
