package reading_test

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/soulseer/soulseer/internal/account"
	"github.com/soulseer/soulseer/internal/apperr"
	"github.com/soulseer/soulseer/internal/ledger"
	"github.com/soulseer/soulseer/internal/reading"
)

// blockMinute makes minute m of reading id unbillable: its idempotency key
// is taken by a different transfer, so charging it is a Conflict.
func (w *world) blockMinute(t *testing.T, client account.User, id, m int64) {
	t.Helper()
	if _, err := w.s.App.Ledger.Transfer(w.ctx, ledger.Transfer{Key: "reading:" + itoa(id) + ":minute:" + itoa(m), Type: ledger.TypeReadingCharge,
		CauseType: "test", Postings: []ledger.Posting{{Account: ledger.Wallet(client.ID), Amount: -1}, {Account: ledger.PlatformRevenue(), Amount: 1}}}); err != nil {
		t.Fatal(err)
	}
}

// moveEarnings credits (or, negative, debits) a reader's earnings against
// the adjustments account.
func (w *world) moveEarnings(t *testing.T, key string, rdr account.User, cents int64) {
	t.Helper()
	if _, err := w.s.App.Ledger.Transfer(w.ctx, ledger.Transfer{Key: key, Type: ledger.TypeAdjustment, CauseType: "test",
		Postings: []ledger.Posting{{Account: ledger.Adjustments(), Amount: -cents}, {Account: ledger.Earnings(rdr.ID), Amount: cents}}}); err != nil {
		t.Fatal(err)
	}
}

// OD-5: one reading the ledger refuses to bill — a minute whose key another
// transfer already took, a reader whose earnings are at the ceiling — stops
// nobody else. The sweep bills every other reading of its batch, skips the
// bad ones (none of their later minutes moves money), flags each for admins
// with its reason, and the next sweep bills the others' next minutes again;
// a flagged reading that bills again loses its flag, and a flagged reading
// can still be ended.
func TestUnbillableReadingSkipped(t *testing.T) {
	eachWorld(t, func(t *testing.T, w *world) {
		c2, c3 := w.s.CreateUser("c2@example.com", account.RoleClient), w.s.CreateUser("c3@example.com", account.RoleClient)
		r2, r3 := w.newReader(t, "r2@example.com"), w.newReader(t, "r3@example.com")
		for _, id := range []int64{w.client.ID, c2.ID, c3.ID} {
			w.fundUser(t, id, 5000)
		}
		good, clash, full := w.start(t), w.startWith(t, c2, r2), w.startWith(t, c3, r3)
		w.blockMinute(t, c2, clash.ID, 1)
		w.moveEarnings(t, "fill", r3, ledger.MaxAmount-70-69) // the next 70 cents would pass MaxAmount
		// All readings in one batch on either engine.
		oneBatch := *w.s.App.Readings
		oneBatch.Config.SweepWorkers = 1
		sweep := func() {
			t.Helper()
			if _, err := oneBatch.Sweep(w.ctx); err != nil {
				t.Fatalf("sweep: %v", err)
			}
		}
		billed := func(r reading.Reading, want int64) reading.Reading {
			t.Helper()
			got := w.get(t, r.ID)
			if got.BilledMinutes != want || got.State != reading.Active {
				t.Fatalf("reading %d: %s, %d minutes billed; want active, %d", r.ID, got.State, got.BilledMinutes, want)
			}
			return got
		}
		flagged := func(want ...int64) {
			t.Helper()
			rs, err := w.s.App.Readings.Unbillable(w.ctx, 10)
			if err != nil {
				t.Fatal(err)
			}
			var ids []int64
			for _, r := range rs {
				ids = append(ids, r.ID)
			}
			if !slices.Equal(ids, want) {
				t.Fatalf("flagged readings %v, want %v", ids, want)
			}
		}

		first := t0.Add(period + time.Second)
		w.clk.Set(first)
		sweep()
		billed(good, 2)
		if r := billed(clash, 1); !strings.Contains(r.BillingProblem, "Minute 2: ") || !strings.Contains(r.BillingProblem, "different details") || !r.BillingProblemAt.Equal(first) {
			t.Fatalf("reading with a clashing key: problem %q at %v", r.BillingProblem, r.BillingProblemAt)
		}
		if r := billed(full, 1); !strings.Contains(r.BillingProblem, "largest balance") {
			t.Fatalf("reading whose reader is at the ceiling: problem %q", r.BillingProblem)
		}
		flagged(full.ID, clash.ID) // flagged at once: the later reading first

		w.clk.Set(t0.Add(2*period + time.Second))
		sweep()
		billed(good, 3)
		if r := billed(clash, 1); !r.BillingProblemAt.Equal(first) {
			t.Fatalf("the flag's time moved to %v; it tells when the problem was first seen", r.BillingProblemAt)
		}
		billed(full, 1)
		if n := w.charges(t, clash.ID); n != 1 {
			t.Fatalf("the reading with a clashing key has %d charges, want 1: no minute after a refused one moves money", n)
		}

		w.moveEarnings(t, "pay-out", r3, -1000)
		sweep()
		if r := billed(full, 3); r.BillingProblem != "" || !r.BillingProblemAt.IsZero() {
			t.Fatalf("a reading that bills again still flagged: %q", r.BillingProblem)
		}
		flagged(clash.ID)

		ended, err := w.s.App.Readings.End(w.ctx, c2, clash.ID)
		if err != nil {
			t.Fatalf("ending a reading that cannot be billed: %v", err)
		}
		if ended.State != reading.Finalized || ended.BilledMinutes != 1 || ended.BillingProblem == "" {
			t.Fatalf("ended: %s, %d minutes, problem %q; want finalized, 1, still flagged", ended.State, ended.BilledMinutes, ended.BillingProblem)
		}
		w.verify(t)
	})
}

// OD-5: a reading whose first minute the ledger refuses for a reason other
// than funds does not start: Accept says why and the request stays waiting.
func TestUnbillableReadingNotAccepted(t *testing.T) {
	eachWorld(t, func(t *testing.T, w *world) {
		w.fund(t, 5000)
		r, err := w.s.App.Readings.Request(w.ctx, w.client, w.reader.ID, "text")
		if err != nil {
			t.Fatal(err)
		}
		w.blockMinute(t, w.client, r.ID, 0)
		_, err = w.s.App.Readings.Accept(w.ctx, w.reader, r.ID)
		if apperr.CodeOf(err) != apperr.Conflict || !strings.Contains(apperr.MessageOf(err), "cannot be billed") {
			t.Fatalf("accept = %v, want a Conflict saying the reading cannot be billed", err)
		}
		if got := w.get(t, r.ID); got.State != reading.Waiting || got.BilledMinutes != 0 {
			t.Fatalf("after the refused accept: %s, %d minutes", got.State, got.BilledMinutes)
		}
		w.verify(t)
	})
}
