package payout_test

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/soulseer/soulseer/internal/account"
	"github.com/soulseer/soulseer/internal/apperr"
	"github.com/soulseer/soulseer/internal/clock"
	"github.com/soulseer/soulseer/internal/db"
	"github.com/soulseer/soulseer/internal/db/dbtest"
	"github.com/soulseer/soulseer/internal/ledger"
	"github.com/soulseer/soulseer/internal/payout"
	"github.com/soulseer/soulseer/internal/stripetest"
)

func readerUser(id int64) account.User {
	return account.User{ID: id, Email: "reader@example.com", Role: account.RoleReader}
}

// EXT-3, SEC-4: readers onboard Express accounts at Stripe (stripe-mock:
// account, AccountLink, Transfer) and a run pays each due reader's whole
// available earnings once per period; readers below the minimum, held, or
// not onboarded are skipped; every payout and hold is audited; the ledger
// balances after each step.
func TestStripeConnectPayouts_EXT3(t *testing.T) {
	url := stripetest.Start(t)
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		e := setup(t, d, func(*db.DB, clock.Clock) payout.Gateway { return payout.NewStripeGateway("sk_test_soulseer", url) })
		admin := e.user("admin")
		a, b, c, n := e.user("reader"), e.user("reader"), e.user("reader"), e.user("reader")
		e.earn(a, 5000)
		e.earn(b, 1000) // below the 2500 minimum
		e.earn(c, 4000) // held below
		e.earn(n, 9000) // never onboards

		if _, err := e.s.Onboard(ctx, account.User{ID: admin, Role: account.RoleAdmin}); apperr.CodeOf(err) != apperr.Forbidden {
			t.Fatalf("an admin onboarding: %v, want Forbidden", err)
		}
		link, err := e.s.Onboard(ctx, readerUser(a))
		if err != nil || !strings.HasPrefix(link, "https://") {
			t.Fatalf("onboarding link %q, %v", link, err)
		}
		acct, ok, err := e.s.ConnectedAccount(ctx, a)
		if err != nil || !ok || !strings.HasPrefix(acct.StripeAccountID, "acct_") || acct.PayoutsEnabled {
			t.Fatalf("account after onboarding starts: %+v %v %v", acct, ok, err)
		}
		// A second link (an expired one refreshed) keeps the same account.
		if _, err := e.s.Onboard(ctx, readerUser(a)); err != nil {
			t.Fatal(err)
		}
		if again, _, _ := e.s.ConnectedAccount(ctx, a); again.StripeAccountID != acct.StripeAccountID {
			t.Fatalf("refreshing the link opened another account: %s, then %s", acct.StripeAccountID, again.StripeAccountID)
		}
		if _, err := e.s.Pay(ctx, a, 0, admin); apperr.CodeOf(err) != apperr.Conflict {
			t.Fatalf("paying before Stripe enables payouts: %v, want Conflict", err)
		}
		if note := e.accountUpdated(acct.StripeAccountID, false); !strings.Contains(note, "1 requirements due") {
			t.Fatalf("account.updated note %q", note)
		}
		if got, _, _ := e.s.ConnectedAccount(ctx, a); len(got.Requirements) != 1 || got.Requirements[0] != "external_account" || got.DisabledReason == "" {
			t.Fatalf("requirements not kept: %+v", got)
		}
		e.accountUpdated(acct.StripeAccountID, true)
		e.onboard(b)
		e.onboard(c)
		if note := e.accountUpdated("acct_unknown", true); !strings.Contains(note, "no reader") {
			t.Fatalf("unknown account note %q", note)
		}
		if err := e.s.HoldPayouts(ctx, admin, c, "Identity check pending"); err != nil {
			t.Fatal(err)
		}

		rep, err := e.s.RunDue(ctx, 0)
		if err != nil {
			t.Fatal(err)
		}
		if len(rep.Paid) != 1 || rep.BelowMinimum != 1 || len(rep.Failed) != 0 || len(rep.Pending) != 0 {
			t.Fatalf("run: %+v, want one paid and one below the minimum", rep)
		}
		p, err := e.s.Payout(ctx, rep.Paid[0])
		if err != nil || p.UserID != a || p.AmountCents != 5000 || p.State != payout.Paid || !strings.HasPrefix(p.StripeTransferID, "tr_") {
			t.Fatalf("payout %+v, %v", p, err)
		}
		if got := e.balance(ledger.Earnings(a)); got != 0 {
			t.Fatalf("earnings after payout %d, want 0", got)
		}
		for r, want := range map[int64]int64{b: 1000, c: 4000, n: 9000} {
			if got := e.balance(ledger.Earnings(r)); got != want {
				t.Fatalf("reader %d earnings %d, want %d (skipped)", r, got, want)
			}
		}
		if got := e.balance(ledger.Payouts()); got != 5000 {
			t.Fatalf("payouts account %d, want 5000", got)
		}
		e.verify()

		// Paid once per period: new earnings wait for next Monday.
		e.earn(a, 3000)
		if rep, err := e.s.RunDue(ctx, 0); err != nil || len(rep.Paid) != 0 {
			t.Fatalf("second run in the same week: %+v %v", rep, err)
		}
		sum, err := e.s.Summary(ctx, a)
		if err != nil || sum.AvailableCents != 3000 || sum.MinimumCents != 2500 || !sum.NextPayoutAt.Equal(time.Date(2026, 3, 9, 0, 0, 0, 0, time.UTC)) || len(sum.Payouts) != 1 {
			t.Fatalf("summary %+v %v", sum, err)
		}
		e.clock.Set(time.Date(2026, 3, 9, 0, 5, 0, 0, time.UTC))
		if err := e.s.ReleasePayouts(ctx, admin, c); err != nil {
			t.Fatal(err)
		}
		rep, err = e.s.RunDue(ctx, 0)
		if err != nil || len(rep.Paid) != 2 || rep.BelowMinimum != 1 {
			t.Fatalf("next week's run: %+v %v, want a and the released c paid", rep, err)
		}
		if got := e.balance(ledger.Payouts()); got != 12000 {
			t.Fatalf("payouts account %d, want 12000", got)
		}
		e.verify()

		// One reader by an admin: below the minimum is refused, not paid.
		if _, err := e.s.Pay(ctx, b, 0, admin); apperr.CodeOf(err) != apperr.Unprocessable {
			t.Fatalf("paying below the minimum: %v", err)
		}
		for action, want := range map[string]int{"payout.create": 3, "payout.paid": 3, "payout.hold": 1, "payout.release": 1, "payout.account_create": 3} {
			if got := e.count(`SELECT COUNT(*) FROM audit_log WHERE action = $1`, action); got != want {
				t.Errorf("audit %s: %d records, want %d", action, got, want)
			}
		}
	})
}

// flaky is a gateway whose transfers fail with no answer while down, as
// when Stripe cannot be reached.
type flaky struct {
	payout.Gateway
	mu   sync.Mutex
	down bool
}

func (f *flaky) Transfer(ctx context.Context, req payout.TransferRequest) (string, error) {
	f.mu.Lock()
	down := f.down
	f.mu.Unlock()
	if down {
		return "", errors.New("connection reset by peer")
	}
	return f.Gateway.Transfer(ctx, req)
}

// EXT-3, SEC-4: a payout whose transfer has no answer stays pending with
// its money out of earnings and is sent again with the same key; a
// definite refusal returns the money to earnings (failed, audited); an
// admin's retry is a new payout, made once.
func TestRefusedPayoutReturnsMoney_EXT3(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		gw := &flaky{}
		e := setup(t, d, func(d *db.DB, c clock.Clock) payout.Gateway { gw.Gateway = testMode(d, c); return gw })
		admin, r := e.user("admin"), e.user("reader")
		link, err := e.s.Onboard(ctx, readerUser(r))
		if err != nil || link != "http://localhost:8080"+payout.TestOnboardingPath {
			t.Fatalf("test onboarding link %q %v", link, err)
		}
		if err := e.s.CompleteTestOnboarding(ctx, r); err != nil {
			t.Fatal(err)
		}
		e.earn(r, 8000)
		gw.down = true
		if _, err := e.s.Pay(ctx, r, 4000, admin); err == nil {
			t.Fatal("a transfer without an answer reported success")
		}
		ps, _ := e.s.List(ctx, payout.Filter{UserID: r})
		if len(ps) != 1 || ps[0].State != payout.Pending || ps[0].Attempts != 1 {
			t.Fatalf("payouts %+v, want one pending", ps)
		}
		if e.balance(ledger.Earnings(r)) != 4000 || e.balance(ledger.Payouts()) != 4000 {
			t.Fatal("a pending payout's money is not out of earnings")
		}
		if _, err := e.s.Pay(ctx, r, 2500, admin); apperr.CodeOf(err) != apperr.Conflict {
			t.Fatalf("a second payout while one is pending: %v", err)
		}
		e.verify()
		// Stripe now refuses: the account lost its transfers capability.
		gw.down = false
		e.accountUpdated("acct_test_local_"+itoa(r), false)
		e.clock.Advance(payout.RetryAfter)
		rep, err := e.s.RunDue(ctx, 0)
		if err != nil || rep.Retried != 1 || len(rep.Failed) != 1 {
			t.Fatalf("run: %+v %v, want the pending payout refused", rep, err)
		}
		failed, _ := e.s.Payout(ctx, ps[0].ID)
		if failed.State != payout.Failed || !strings.Contains(failed.Failure, "refused") {
			t.Fatalf("refused payout %+v", failed)
		}
		if e.balance(ledger.Earnings(r)) != 8000 || e.balance(ledger.Payouts()) != 0 {
			t.Fatal("a refused payout's money is not back in earnings")
		}
		e.verify()
		if _, err := e.s.Retry(ctx, admin, failed.ID); apperr.CodeOf(err) != apperr.Conflict {
			t.Fatalf("retry while the account takes no payouts: %v", err)
		}
		e.accountUpdated("acct_test_local_"+itoa(r), true)
		p, err := e.s.Retry(ctx, admin, failed.ID)
		if err != nil || p.State != payout.Paid || p.RetryOf != failed.ID || p.AmountCents != 4000 {
			t.Fatalf("retry: %+v %v", p, err)
		}
		if _, err := e.s.Retry(ctx, admin, failed.ID); apperr.CodeOf(err) != apperr.Conflict {
			t.Fatalf("a second retry of one failed payout: %v", err)
		}
		if _, err := e.s.Retry(ctx, admin, p.ID); apperr.CodeOf(err) != apperr.Conflict {
			t.Fatalf("retrying a paid payout: %v", err)
		}
		if got := e.count(`SELECT COUNT(*) FROM test_transfers`); got != 1 {
			t.Fatalf("%d test transfers, want 1", got)
		}
		if e.balance(ledger.Earnings(r)) != 4000 || e.balance(ledger.Payouts()) != 4000 {
			t.Fatal("balances after the retry")
		}
		e.verify()
		for action, want := range map[string]int{"payout.create": 1, "payout.failed": 1, "payout.retry": 1, "payout.paid": 1, "payout.account_onboarded": 1} {
			if got := e.count(`SELECT COUNT(*) FROM audit_log WHERE action = $1`, action); got != want {
				t.Errorf("audit %s: %d records, want %d", action, got, want)
			}
		}
	})
}

// EXT-3: transfer.reversed returns a paid payout's money to earnings once,
// found by its transfer id or by the payout id in the transfer's metadata.
func TestTransferReversed_EXT3(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		e := setup(t, d, testMode)
		r := e.user("reader")
		if _, err := e.s.Onboard(ctx, readerUser(r)); err != nil {
			t.Fatal(err)
		}
		if err := e.s.CompleteTestOnboarding(ctx, r); err != nil {
			t.Fatal(err)
		}
		e.earn(r, 3000)
		p, err := e.s.Pay(ctx, r, 0, 0)
		if err != nil || p.State != payout.Paid {
			t.Fatalf("pay: %+v %v", p, err)
		}
		e.earn(r, 2600)
		q, err := e.s.Pay(ctx, r, 0, 0)
		if err != nil || q.State != payout.Paid {
			t.Fatalf("pay: %+v %v", q, err)
		}
		if note := e.event("transfer.reversed", map[string]any{"id": p.StripeTransferID, "object": "transfer", "amount": 3000, "amount_reversed": 3000}); !strings.Contains(note, "reversed") {
			t.Fatalf("note %q", note)
		}
		if note := e.event("transfer.reversed", map[string]any{"id": p.StripeTransferID, "object": "transfer"}); !strings.Contains(note, "already") {
			t.Fatalf("repeat note %q", note)
		}
		if note := e.event("transfer.reversed", map[string]any{"id": "tr_other", "object": "transfer", "metadata": map[string]string{"soulseer_payout_id": itoa(q.ID)}}); !strings.Contains(note, "reversed") {
			t.Fatalf("metadata note %q", note)
		}
		if note := e.event("transfer.reversed", map[string]any{"id": "tr_nobody", "object": "transfer"}); !strings.Contains(note, "no payout") {
			t.Fatalf("unknown note %q", note)
		}
		if e.balance(ledger.Earnings(r)) != 5600 || e.balance(ledger.Payouts()) != 0 {
			t.Fatal("reversed payouts not back in earnings")
		}
		if got := e.count(`SELECT COUNT(*) FROM audit_log WHERE action = 'payout.reversed'`); got != 2 {
			t.Fatalf("%d reversal audit records, want 2", got)
		}
		e.verify()
	})
}

// SEC-4: a hold needs a reason; holds and releases are audited; released
// twice is NotFound; held readers are refused.
func TestPayoutHolds_SEC4(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		e := setup(t, d, testMode)
		admin, r := e.user("admin"), e.user("reader")
		if err := e.s.HoldPayouts(ctx, admin, r, "x"); apperr.CodeOf(err) != apperr.NotFound {
			t.Fatalf("holding a reader without an account: %v", err)
		}
		e.onboard(r)
		e.earn(r, 3000)
		for _, bad := range []string{"", "   ", strings.Repeat("x", payout.MaxReasonLen+1), "a\x00b"} {
			if e := apperr.As(e.s.HoldPayouts(ctx, admin, r, bad)); e == nil || e.Fields["reason"] == "" {
				t.Fatalf("hold with reason %q: %v", bad, e)
			}
		}
		if err := e.s.HoldPayouts(ctx, admin, r, "Chargeback review"); err != nil {
			t.Fatal(err)
		}
		if err := e.s.HoldPayouts(ctx, admin, r, "again"); err != nil {
			t.Fatal(err)
		}
		if _, err := e.s.Pay(ctx, r, 0, admin); apperr.CodeOf(err) != apperr.Conflict || !strings.Contains(err.Error(), "Chargeback review") {
			t.Fatalf("paying a held reader: %v", err)
		}
		if hs, err := e.s.Holds(ctx); err != nil || len(hs) != 1 || hs[0].Reason != "Chargeback review" || hs[0].AdminID != admin {
			t.Fatalf("holds %+v %v", hs, err)
		}
		if err := e.s.ReleasePayouts(ctx, admin, r); err != nil {
			t.Fatal(err)
		}
		if err := e.s.ReleasePayouts(ctx, admin, r); apperr.CodeOf(err) != apperr.NotFound {
			t.Fatalf("second release: %v", err)
		}
		if got := e.count(`SELECT COUNT(*) FROM audit_log WHERE action IN ('payout.hold', 'payout.release') AND actor_id = $1`, admin); got != 2 {
			t.Fatalf("%d hold/release records, want 2", got)
		}
	})
}

// EXT-3: many admins paying one reader at once make one payout; the rest
// are told one is under way or nothing is left.
func TestConcurrentPayouts_EXT3(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		e := setup(t, d, testMode)
		r := e.user("reader")
		e.onboard(r)
		e.earn(r, 10000)
		const n = 8
		var wg sync.WaitGroup
		errs := make([]error, n)
		for i := range n {
			wg.Add(1)
			go func() { defer wg.Done(); _, errs[i] = e.s.Pay(ctx, r, 0, 0) }()
		}
		wg.Wait()
		ok := 0
		for _, err := range errs {
			switch c := apperr.CodeOf(err); {
			case err == nil:
				ok++
			case c != apperr.Conflict && c != apperr.Unprocessable:
				t.Fatalf("concurrent payout: %v", err)
			}
		}
		if ok != 1 || e.count(`SELECT COUNT(*) FROM test_transfers`) != 1 || e.balance(ledger.Payouts()) != 10000 {
			t.Fatalf("%d payouts succeeded, want exactly 1", ok)
		}
		e.verify()
	})
}

func TestSchedule_EXT3(t *testing.T) {
	at := time.Date(2026, 3, 4, 12, 0, 0, 0, time.UTC) // a Wednesday
	for _, c := range []struct {
		s           payout.Schedule
		start, next time.Time
	}{
		{payout.Daily, time.Date(2026, 3, 4, 0, 0, 0, 0, time.UTC), time.Date(2026, 3, 5, 0, 0, 0, 0, time.UTC)},
		{payout.Weekly, time.Date(2026, 3, 2, 0, 0, 0, 0, time.UTC), time.Date(2026, 3, 9, 0, 0, 0, 0, time.UTC)},
		{payout.Monthly, time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC), time.Date(2026, 4, 1, 0, 0, 0, 0, time.UTC)},
	} {
		if got := c.s.PeriodStart(at); !got.Equal(c.start) {
			t.Errorf("%s start %v, want %v", c.s, got, c.start)
		}
		if got := c.s.NextStart(at); !got.Equal(c.next) {
			t.Errorf("%s next %v, want %v", c.s, got, c.next)
		}
	}
	sunday := time.Date(2026, 3, 8, 23, 0, 0, 0, time.UTC)
	if got := payout.Weekly.PeriodStart(sunday); !got.Equal(time.Date(2026, 3, 2, 0, 0, 0, 0, time.UTC)) {
		t.Errorf("Sunday's week starts %v", got)
	}
	if _, err := payout.ParseSchedule("hourly"); err == nil {
		t.Error("hourly accepted")
	}
}
