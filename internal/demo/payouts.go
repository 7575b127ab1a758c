package demo

import (
	"context"
	"fmt"

	"github.com/soulseer/soulseer/internal/account"
	"github.com/soulseer/soulseer/internal/app"
	"github.com/soulseer/soulseer/internal/ledger"
	"github.com/soulseer/soulseer/internal/payout"
)

// seedPayouts onboards every demo reader on the test-mode onboarding (in
// test mode only: Stripe's onboarding is the reader's to do) and gives
// Luna a past payout of the minimum, her earnings topped up for it first
// when they fall short (EXT-3). Loading again pays nothing anew.
func seedPayouts(ctx context.Context, a *app.App, admin account.User) error {
	if a.Payouts.Gateway.Mode() != "test" {
		return nil
	}
	for _, r := range readers {
		u, err := a.Accounts.GetByEmail(ctx, r.email)
		if err != nil {
			return err
		}
		if _, err := a.Payouts.Onboard(ctx, u); err != nil {
			return fmt.Errorf("demo: onboarding %s: %w", r.email, err)
		}
		if err := a.Payouts.CompleteTestOnboarding(ctx, u.ID); err != nil {
			return err
		}
	}
	luna, err := a.Accounts.GetByEmail(ctx, readers[0].email)
	if err != nil {
		return err
	}
	if past, err := a.Payouts.List(ctx, payout.Filter{UserID: luna.ID, Limit: 1}); err != nil || len(past) > 0 {
		return err
	}
	min := a.Payouts.MinCents
	have, err := a.Ledger.Balance(ctx, a.DB.Read(), ledger.Earnings(luna.ID))
	if err != nil {
		return err
	}
	if have < min {
		if _, err := a.Ledger.Transfer(ctx, ledger.Transfer{Key: "demo-payout-earnings", Type: ledger.TypeAdjustment,
			Postings:  []ledger.Posting{{Account: ledger.Adjustments(), Amount: -(min - have)}, {Account: ledger.Earnings(luna.ID), Amount: min - have}},
			CauseType: "admin", Memo: "Demo earnings for a past payout", ActorID: admin.ID}); err != nil {
			return err
		}
	}
	if _, err := a.Payouts.Pay(ctx, luna.ID, min, admin.ID); err != nil {
		return fmt.Errorf("demo: Luna's past payout: %w", err)
	}
	return nil
}
