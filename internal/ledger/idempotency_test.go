package ledger_test

import (
	"sync"
	"testing"
	"time"

	"github.com/soulseer/soulseer/internal/apperr"
	"github.com/soulseer/soulseer/internal/db"
	"github.com/soulseer/soulseer/internal/db/dbtest"
	"github.com/soulseer/soulseer/internal/ledger"
)

// WAL-2, WAL-5: posting a key again returns the first transfer, marked
// Replayed, and moves nothing — also with its postings in another order and
// within the same transaction.
func TestReplayMovesNothing(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		l, clk := setup(d)
		first := topUp(t, l, 1, 10_00, "topup-1")
		tr := charge("reading-7-minute-1", 1, 2, 2_00)
		r1, err := l.Transfer(ctx, tr)
		if err != nil {
			t.Fatal(err)
		}
		clk.Advance(time.Minute)
		tr.Postings[0], tr.Postings[1] = tr.Postings[1], tr.Postings[0]
		tr.Memo, tr.CauseID = "a different memo does not matter", "other"
		r2, err := l.Transfer(ctx, tr)
		if err != nil {
			t.Fatal(err)
		}
		if !r2.Replayed || r2.TransferID != r1.TransferID || !r2.CreatedAt.Equal(r1.CreatedAt) || r1.Replayed {
			t.Fatalf("first %+v, replay %+v", r1, r2)
		}
		err = d.Tx(ctx, func(tx *db.Tx) error {
			a, err := l.Post(ctx, tx, charge("c2", 1, 2, 1_00))
			if err != nil {
				return err
			}
			b, err := l.Post(ctx, tx, charge("c2", 1, 2, 1_00))
			if err != nil {
				return err
			}
			if a.Replayed || !b.Replayed || a.TransferID != b.TransferID {
				t.Errorf("in one transaction: %+v then %+v", a, b)
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		if got := balance(t, l, ledger.Wallet(1)); got != 7_00 {
			t.Fatalf("wallet = %d, want 700", got)
		}
		if r := topUp(t, l, 1, 10_00, "topup-1"); !r.Replayed || r.TransferID != first.TransferID {
			t.Fatalf("top-up replay %+v", r)
		}
		mustVerify(t, d)
	})
}

// WAL-2, WAL-5: the same key with another type or other postings is a
// Conflict and moves nothing.
func TestKeyReuseWithOtherContentConflicts(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		l, _ := setup(d)
		topUp(t, l, 1, 10_00, "topup-1")
		if _, err := l.Transfer(ctx, charge("k", 1, 2, 2_00)); err != nil {
			t.Fatal(err)
		}
		before := state(t, d)
		otherAmount := charge("k", 1, 2, 3_00)
		otherType := charge("k", 1, 2, 2_00)
		otherType.Type = ledger.TypeGift
		otherAccount := charge("k", 1, 3, 2_00)
		for _, tr := range []ledger.Transfer{otherAmount, otherType, otherAccount} {
			_, err := l.Transfer(ctx, tr)
			wantCode(t, err, apperr.Conflict)
		}
		if state(t, d) != before {
			t.Fatal("a conflicting key changed the ledger")
		}
	})
}

// WAL-5: 100 concurrent deliveries of one Stripe event credit the wallet
// once: exactly one transfer, one balance change, every other delivery a
// replay of it — never an error.
func TestConcurrentDeliveriesOfOneKey(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		l, _ := setup(d)
		var changes sync.Map
		var calls sync.WaitGroup
		l.OnBalanceChange = func(c ledger.BalanceChange) {
			n, _ := changes.LoadOrStore(c, new(int))
			*(n.(*int))++
		}
		tr := ledger.Transfer{Key: "stripe:evt_1", Type: ledger.TypeTopUp, CauseType: "stripe_event", CauseID: "evt_1",
			StripeEventID: "evt_1", Postings: []ledger.Posting{{Account: ledger.StripeClearing(), Amount: -25_00}, {Account: ledger.Wallet(1), Amount: 25_00}}}
		results := make([]ledger.Result, 100)
		errs := make([]error, 100)
		for i := range results {
			calls.Add(1)
			go func() {
				defer calls.Done()
				results[i], errs[i] = l.Transfer(ctx, tr)
			}()
		}
		calls.Wait()
		fresh := 0
		for i := range results {
			if errs[i] != nil {
				t.Fatalf("delivery %d: %v", i, errs[i])
			}
			if !results[i].Replayed {
				fresh++
			}
			if results[i].TransferID != results[0].TransferID {
				t.Fatalf("delivery %d got transfer %d, another %d", i, results[i].TransferID, results[0].TransferID)
			}
		}
		if fresh != 1 {
			t.Fatalf("%d deliveries posted, want exactly 1", fresh)
		}
		if got := balance(t, l, ledger.Wallet(1)); got != 25_00 {
			t.Fatalf("wallet = %d, want 2500", got)
		}
		n := 0
		changes.Range(func(k, v any) bool {
			if k != (ledger.BalanceChange{UserID: 1, Kind: ledger.KindWallet, Balance: 25_00}) || *(v.(*int)) != 1 {
				t.Errorf("balance change %+v ×%d", k, *(v.(*int)))
			}
			n++
			return true
		})
		if n != 1 {
			t.Fatalf("%d distinct balance changes, want 1", n)
		}
		info, err := l.TransferByKey(ctx, d.Read(), "stripe:evt_1")
		if err != nil || info.StripeEventID != "evt_1" || info.ID != results[0].TransferID {
			t.Fatalf("transfer by key: %+v %v", info, err)
		}
		rep := mustVerify(t, d)
		if rep.Transfers != 1 {
			t.Fatalf("%d transfers, want 1", rep.Transfers)
		}
	})
}

// WAL-5: racing deliveries of one key with two different contents: one
// wins; those with its content replay it, the others are Conflicts.
func TestConcurrentKeyReuse(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		l, _ := setup(d)
		topUp(t, l, 1, 100_00, "topup-1")
		var wg sync.WaitGroup
		amounts := make([]int64, 40)
		errs := make([]error, 40)
		results := make([]ledger.Result, 40)
		for i := range amounts {
			amounts[i] = int64(1_00 + i%2)
			wg.Add(1)
			go func() {
				defer wg.Done()
				results[i], errs[i] = l.Transfer(ctx, charge("k", 1, 2, amounts[i]))
			}()
		}
		wg.Wait()
		won := int64(-1)
		for i := range amounts {
			if errs[i] == nil && !results[i].Replayed {
				if won != -1 {
					t.Fatal("two deliveries posted")
				}
				won = amounts[i]
			}
		}
		for i := range amounts {
			if amounts[i] == won && (errs[i] != nil || results[i].TransferID == 0) {
				t.Errorf("delivery with the winning content: %+v %v", results[i], errs[i])
			}
			if amounts[i] != won {
				wantCode(t, errs[i], apperr.Conflict)
			}
		}
		if got := balance(t, l, ledger.Wallet(1)); got != 100_00-won {
			t.Fatalf("wallet = %d, want %d", got, 100_00-won)
		}
		mustVerify(t, d)
	})
}
