package web_test

import (
	"testing"

	"github.com/soulseer/soulseer/internal/ledger"
)

// payoutReadyA leaves reader A onboarded in test mode, not held, with no
// payout under way (EXT-3).
func payoutReadyA(t *testing.T, m *authzWorld) {
	t.Helper()
	p := m.s.App.Payouts
	if _, err := p.Onboard(ctx, m.reader); err != nil {
		t.Fatal(err)
	}
	if err := p.CompleteTestOnboarding(ctx, m.reader.ID); err != nil {
		t.Fatal(err)
	}
	m.exec(t, `DELETE FROM payout_holds WHERE user_id = $1`, m.reader.ID)
}

// payoutHeldA holds reader A's payouts.
func payoutHeldA(t *testing.T, m *authzWorld) {
	t.Helper()
	payoutReadyA(t, m)
	if err := m.s.App.Payouts.HoldPayouts(ctx, m.admin2.ID, m.reader.ID, "matrix"); err != nil {
		t.Fatal(err)
	}
}

// failedPayoutOfA is a failed payout of reader A's (its money back in
// earnings) that a retry pays: {payout}.
func failedPayoutOfA(t *testing.T, m *authzWorld) {
	t.Helper()
	payoutReadyA(t, m)
	m.n++
	amount := m.s.App.Payouts.MinCents
	if _, err := m.s.App.Ledger.Transfer(ctx, ledger.Transfer{Key: "matrix-earn-" + id(int64(m.n)), Type: ledger.TypeAdjustment,
		Postings: []ledger.Posting{{Account: ledger.Adjustments(), Amount: -amount}, {Account: ledger.Earnings(m.reader.ID), Amount: amount}}}); err != nil {
		t.Fatal(err)
	}
	var pid int64
	err := m.s.App.DB.Writer.QueryRowContext(ctx, `INSERT INTO payouts (user_id, amount_cents, state, stripe_account_id, failure, created_at, updated_at)
		SELECT user_id, $1, 'failed', stripe_account_id, 'matrix', 0, 0 FROM payout_accounts WHERE user_id = $2 RETURNING id`, amount, m.reader.ID).Scan(&pid)
	if err != nil {
		t.Fatal(err)
	}
	m.vals["payout"] = id(pid)
}
