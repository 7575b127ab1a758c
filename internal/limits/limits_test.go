package limits_test

import (
	"context"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/soulseer/soulseer/internal/account"
	"github.com/soulseer/soulseer/internal/apperr"
	"github.com/soulseer/soulseer/internal/clock"
	"github.com/soulseer/soulseer/internal/db"
	"github.com/soulseer/soulseer/internal/db/dbtest"
	"github.com/soulseer/soulseer/internal/ledger"
	"github.com/soulseer/soulseer/internal/limits"
)

var ctx = context.Background()

// t0 is a Sunday noon in New York, 17:00 UTC.
var t0 = time.Date(2026, 3, 1, 17, 0, 0, 0, time.UTC)

type world struct {
	d      *db.DB
	clk    *clock.Fake
	l      *ledger.Ledger
	lim    *limits.Service
	client int64
	reader int64
}

// setup makes a client in New York with $1,000 and a reader, over a ledger
// guarded by the spending limits.
func setup(t *testing.T, d *db.DB) *world {
	t.Helper()
	clk := clock.NewFake(t0)
	w := &world{d: d, clk: clk, lim: &limits.Service{DB: d, Clock: clk}}
	w.l = &ledger.Ledger{DB: d, Clock: clk, Guard: w.lim.Guard}
	accts := &account.Service{DB: d, Clock: clk, SessionTTL: time.Hour}
	for i, role := range []account.Role{account.RoleClient, account.RoleReader} {
		u, err := accts.Create(ctx, account.SignUpInput{Email: fmt.Sprintf("u%d@example.com", i), Password: "correct-horse-battery",
			DisplayName: "User", TimeZone: "America/New_York"}, role)
		if err != nil {
			t.Fatal(err)
		}
		if i == 0 {
			w.client = u.ID
		} else {
			w.reader = u.ID
		}
	}
	if _, err := w.l.Transfer(ctx, ledger.Transfer{Key: "fund", Type: ledger.TypeTopUp, CauseType: "topup",
		Postings: []ledger.Posting{{Account: ledger.StripeClearing(), Amount: -100000}, {Account: ledger.Wallet(w.client), Amount: 100000}}}); err != nil {
		t.Fatal(err)
	}
	return w
}

var n atomic.Int64

// spend is a spending transfer of the client: a reading's minute when
// reading is set, else a gift.
func (w *world) spend(cents int64, reading string) ledger.Transfer {
	t := ledger.Transfer{Key: fmt.Sprintf("spend-%d", n.Add(1)), Type: ledger.TypeGift, CauseType: "stream_gift",
		Postings: []ledger.Posting{{Account: ledger.Wallet(w.client), Amount: -cents}, {Account: ledger.Earnings(w.reader), Amount: cents}}}
	if reading != "" {
		t.Type, t.CauseType, t.CauseID = ledger.TypeReadingCharge, "reading", reading
	}
	return t
}

// post posts t and reports whether a limit refused it; anything else
// failing fails the test.
func (w *world) post(t *testing.T, tr ledger.Transfer) bool {
	t.Helper()
	_, err := w.l.Transfer(ctx, tr)
	if err == nil {
		return false
	}
	if !limits.IsRefusal(err) || apperr.CodeOf(err) != apperr.InsufficientFunds {
		t.Fatalf("post %s: %v", tr.Key, err)
	}
	return true
}

func cents(v int64) *int64 { return &v }

// TestCaps_WAL11: the daily cap counts the client's day in their time
// zone, the monthly cap the month, the per-reading cap one reading; top-ups
// are never refused; a refused spend moves nothing.
func TestCaps_WAL11(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		w := setup(t, d)
		if w.post(t, w.spend(5000, "")) {
			t.Fatal("refused without limits")
		}
		if _, err := w.lim.SetCaps(ctx, w.client, cents(300), cents(10000), cents(12000)); err != nil {
			t.Fatal(err)
		}
		// 50.00 spent today: 50.00 more fits the daily 100.00, a cent more does not.
		if !w.post(t, w.spend(5001, "")) || w.post(t, w.spend(5000, "")) || !w.post(t, w.spend(1, "")) {
			t.Fatal("the daily cap did not hold at 100.00")
		}
		if got := w.balance(t); got != 100000-10000 {
			t.Fatalf("wallet %d after refusals", got)
		}
		// Refunds and top-ups are not spending.
		if _, err := w.l.Transfer(ctx, ledger.Transfer{Key: "more", Type: ledger.TypeTopUp, CauseType: "topup",
			Postings: []ledger.Posting{{Account: ledger.StripeClearing(), Amount: -100}, {Account: ledger.Wallet(w.client), Amount: 100}}}); err != nil {
			t.Fatalf("top-up refused: %v", err)
		}
		// Midnight in New York (05:00 UTC) starts a new day; the month goes on.
		w.clk.Set(time.Date(2026, 3, 2, 4, 59, 0, 0, time.UTC))
		if !w.post(t, w.spend(100, "")) {
			t.Fatal("the day ended before New York's midnight")
		}
		w.clk.Set(time.Date(2026, 3, 2, 5, 0, 0, 0, time.UTC))
		day, month, err := w.lim.Spent(ctx, w.client, time.FixedZone("EST", -5*3600))
		if err != nil || day != 0 || month != 10000 {
			t.Fatalf("spent = %d, %d, %v; want 0 and 10000", day, month, err)
		}
		if w.post(t, w.spend(2000, "")) || !w.post(t, w.spend(1, "")) {
			t.Fatal("the monthly cap did not hold at 120.00")
		}
		// Per reading: 3.00 each; another reading starts afresh.
		if _, err := w.lim.SetCaps(ctx, w.client, cents(300), nil, nil); err != nil {
			t.Fatal(err)
		}
		w.clk.Set(time.Date(2026, 3, 3, 12, 0, 0, 0, time.UTC)) // the caps removed take effect
		for i := range 3 {
			if w.post(t, w.spend(100, "r1")) {
				t.Fatalf("minute %d of r1 refused", i+1)
			}
		}
		if !w.post(t, w.spend(100, "r1")) || w.post(t, w.spend(100, "r2")) {
			t.Fatal("the per-reading cap did not hold per reading")
		}
	})
}

func (w *world) balance(t *testing.T) int64 {
	t.Helper()
	b, err := w.l.Balance(ctx, w.d.Read(), ledger.Wallet(w.client))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestLoosenWaits_WAL11: lowering a cap applies at once; raising or
// removing it, and ending a pause early, applies 24 hours later; a pause
// starts at once and stops every spend.
func TestLoosenWaits_WAL11(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		w := setup(t, d)
		st, err := w.lim.SetCaps(ctx, w.client, nil, cents(1000), nil)
		if err != nil || st.Pending != nil || *st.Current.Daily != 1000 {
			t.Fatalf("a first cap: %+v %v", st, err)
		}
		st, err = w.lim.SetCaps(ctx, w.client, nil, cents(5000), nil)
		if err != nil || *st.Current.Daily != 1000 || st.Pending == nil || *st.Pending.Daily != 5000 || !st.PendingAt.Equal(t0.Add(limits.LoosenAfter)) {
			t.Fatalf("a higher cap: %+v %v", st, err)
		}
		if !w.post(t, w.spend(1001, "")) {
			t.Fatal("the higher cap applied at once")
		}
		w.clk.Advance(limits.LoosenAfter)
		if w.post(t, w.spend(1001, "")) {
			t.Fatal("the higher cap did not apply after 24 hours")
		}
		if st, _ := w.lim.Get(ctx, w.client); st.Pending != nil || *st.Current.Daily != 5000 {
			t.Fatalf("after 24 hours: %+v", st)
		}
		// A lower cap while a higher one waits: applies at once, nothing waits.
		if _, err := w.lim.SetCaps(ctx, w.client, nil, cents(6000), nil); err != nil {
			t.Fatal(err)
		}
		if st, _ := w.lim.SetCaps(ctx, w.client, nil, cents(2000), nil); st.Pending != nil || *st.Current.Daily != 2000 {
			t.Fatalf("lowering while a raise waits: %+v", st)
		}
		if _, err := w.lim.SetCaps(ctx, w.client, cents(0), nil, nil); apperr.CodeOf(err) != apperr.Invalid {
			t.Fatalf("a zero cap: %v", err)
		}

		st, err = w.lim.Pause(ctx, w.client, 7)
		if err != nil || !st.Current.Paused(w.clk.Now()) {
			t.Fatalf("pause: %+v %v", st, err)
		}
		if !w.post(t, w.spend(1, "")) || !w.post(t, w.spend(1, "r9")) {
			t.Fatal("a paused client spent")
		}
		if _, err := w.lim.Pause(ctx, w.client, 2); apperr.CodeOf(err) != apperr.Invalid {
			t.Fatalf("a two-day pause: %v", err)
		}
		if st, _ := w.lim.EndPause(ctx, w.client); !st.Current.Paused(w.clk.Now()) || st.Pending == nil {
			t.Fatalf("ending the pause applied at once: %+v", st)
		}
		w.clk.Advance(limits.LoosenAfter)
		if w.post(t, w.spend(1, "")) {
			t.Fatal("the pause did not end 24 hours after asking")
		}
	})
}

// TestCapsUnderConcurrency_WAL11 spends 1.00 forty times at once against a
// daily cap of 10.00: exactly ten spends pass, in single transfers and in
// batches alike.
func TestCapsUnderConcurrency_WAL11(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		w := setup(t, d)
		if _, err := w.lim.SetCaps(ctx, w.client, nil, cents(1000), nil); err != nil {
			t.Fatal(err)
		}
		var passed, refused atomic.Int64
		var wg sync.WaitGroup
		for i := range 20 {
			wg.Go(func() {
				if i%2 == 0 {
					if w.post(t, w.spend(100, "")) {
						refused.Add(1)
					} else {
						passed.Add(1)
					}
					return
				}
				err := w.d.Tx(ctx, func(tx *db.Tx) error {
					_, errs, err := w.l.PostBatch(ctx, tx, []ledger.Transfer{w.spend(100, ""), w.spend(100, ""), w.spend(100, "")})
					for _, e := range errs {
						switch {
						case e == nil:
							passed.Add(1)
						case limits.IsRefusal(e):
							refused.Add(1)
						default:
							return e
						}
					}
					return err
				})
				if err != nil {
					t.Error(err)
				}
			})
		}
		wg.Wait()
		if passed.Load() != 10 || refused.Load() != 30 {
			t.Fatalf("passed %d, refused %d; want 10 and 30", passed.Load(), refused.Load())
		}
		if got := w.balance(t); got != 100000-1000 {
			t.Fatalf("wallet %d", got)
		}
		rep, err := ledger.Verify(ctx, w.d)
		if err != nil || len(rep.Problems) > 0 {
			t.Fatalf("ledger verify: %v %v", err, rep.Problems)
		}
	})
}
