package ledger_test

import (
	"context"
	"testing"

	"github.com/soulseer/soulseer/internal/apperr"
	"github.com/soulseer/soulseer/internal/db"
	"github.com/soulseer/soulseer/internal/db/dbtest"
	"github.com/soulseer/soulseer/internal/ledger"
)

// WAL-3: the platform's revenue may be spread over shards (one per parallel
// billing worker); the total is their sum, and only platform revenue takes
// a shard number.
func TestPlatformRevenueShards(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		l, _ := setup(d)
		topUp(t, l, 1, 1000, "fund")
		for i, shard := range []int{0, 1, 3} {
			if _, err := l.Transfer(ctx, ledger.Transfer{Key: "fee-" + string(rune('a'+i)), Type: ledger.TypeReadingCharge, CauseType: "reading", CauseID: "1",
				Postings: []ledger.Posting{{Account: ledger.Wallet(1), Amount: -100}, {Account: ledger.PlatformRevenueShard(shard), Amount: 100}}}); err != nil {
				t.Fatalf("shard %d: %v", shard, err)
			}
		}
		if got := balance(t, l, ledger.PlatformRevenue()); got != 100 {
			t.Fatalf("shard 0 = %d, want 100 (PlatformRevenue is shard 0)", got)
		}
		total, err := l.PlatformRevenueTotal(ctx, d.Read())
		if err != nil || total != 300 {
			t.Fatalf("total = %d, %v; want 300", total, err)
		}
		_, err = l.Transfer(ctx, ledger.Transfer{Key: "bad", Type: ledger.TypeAdjustment, CauseType: "admin", CauseID: "1",
			Postings: []ledger.Posting{{Account: ledger.Wallet(1), Amount: -1}, {Account: ledger.Ref{Kind: ledger.KindStripeClearing, UserID: -2}, Amount: 1}}})
		wantCode(t, err, apperr.Invalid)
		mustVerify(t, d)
	})
}

// OD-5: a minute charged through one platform revenue shard and posted again
// through another — End bills through shard 0, sweep workers through theirs —
// is a repeat of the same transfer (Replayed, nothing moves), not a
// conflict; on its own or within one batch.
func TestShardRepeatIsReplay(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		l, _ := setup(d)
		topUp(t, l, 1, 1000, "fund")
		minute := func(shard int) ledger.Transfer {
			return ledger.Transfer{Key: "reading:9:minute:0", Type: ledger.TypeReadingCharge, CauseType: "reading", CauseID: "9",
				Postings: []ledger.Posting{{Account: ledger.Wallet(1), Amount: -100}, {Account: ledger.Earnings(2), Amount: 70},
					{Account: ledger.PlatformRevenueShard(shard), Amount: 30}}}
		}
		first, err := l.Transfer(ctx, minute(0))
		if err != nil {
			t.Fatal(err)
		}
		before := state(t, d)
		again, err := l.Transfer(ctx, minute(3))
		if err != nil || !again.Replayed || again.TransferID != first.TransferID {
			t.Fatalf("the minute again through shard 3 = %+v, %v; want a replay of transfer %d", again, err, first.TransferID)
		}
		err = d.Tx(ctx, func(tx *db.Tx) error {
			rs, errs, err := l.PostBatch(ctx, tx, []ledger.Transfer{minute(5), minute(7)})
			if err != nil {
				return err
			}
			for i, e := range errs {
				if e != nil || !rs[i].Replayed {
					t.Errorf("batch transfer %d = %+v, %v; want a replay", i, rs[i], e)
				}
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		if state(t, d) != before {
			t.Fatal("a repeat through another shard moved money")
		}
		mustVerify(t, d)
	})
}

// OD-5: system accounts grow for ever, so they have no ceiling: a platform
// revenue shard above MaxAmount, the ceiling of user accounts, still takes
// charges, and Verify accepts it. User accounts keep the ceiling, and the
// platform's revenue has a bounded number of shards.
func TestSystemAccountsHaveNoCeiling(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		l, _ := setup(d)
		shard := ledger.PlatformRevenueShard(5)
		for _, key := range []string{"big-1", "big-2"} {
			if _, err := l.Transfer(ctx, ledger.Transfer{Key: key, Type: ledger.TypeAdjustment, CauseType: "admin", CauseID: key,
				Postings: []ledger.Posting{{Account: ledger.Adjustments(), Amount: -ledger.MaxAmount}, {Account: shard, Amount: ledger.MaxAmount}}}); err != nil {
				t.Fatalf("%s: %v", key, err)
			}
		}
		topUp(t, l, 1, 1000, "fund")
		if _, err := l.Transfer(ctx, ledger.Transfer{Key: "reading:1:minute:0", Type: ledger.TypeReadingCharge, CauseType: "reading", CauseID: "1",
			Postings: []ledger.Posting{{Account: ledger.Wallet(1), Amount: -100}, {Account: shard, Amount: 100}}}); err != nil {
			t.Fatalf("a charge into a shard above the old ceiling: %v", err)
		}
		if got, want := balance(t, l, shard), 2*ledger.MaxAmount+100; got != want {
			t.Fatalf("shard balance %d, want %d", got, want)
		}
		if total, err := l.PlatformRevenueTotal(ctx, d.Read()); err != nil || total != 2*ledger.MaxAmount+100 {
			t.Fatalf("platform revenue %d, %v", total, err)
		}
		_, err := l.Transfer(ctx, ledger.Transfer{Key: "wallet-over", Type: ledger.TypeAdjustment, CauseType: "admin", CauseID: "1",
			Postings: []ledger.Posting{{Account: ledger.Adjustments(), Amount: -ledger.MaxAmount}, {Account: ledger.Wallet(1), Amount: ledger.MaxAmount}}})
		wantCode(t, err, apperr.Invalid)
		_, err = l.Transfer(ctx, ledger.Transfer{Key: "shard-64", Type: ledger.TypeAdjustment, CauseType: "admin", CauseID: "1",
			Postings: []ledger.Posting{{Account: ledger.Adjustments(), Amount: -1}, {Account: ledger.PlatformRevenueShard(ledger.PlatformRevenueShards), Amount: 1}}})
		wantCode(t, err, apperr.Invalid)
		if _, err := d.Writer.ExecContext(ctx, "UPDATE ledger_accounts SET balance = 10000000000 WHERE kind = 'wallet'"); err == nil {
			t.Error("the schema let a wallet above MaxAmount")
		}
		if _, err := d.Writer.ExecContext(ctx, "UPDATE ledger_accounts SET balance = 9000000000000000001 WHERE kind = 'platform_revenue'"); err == nil {
			t.Error("the schema let a system account beyond the ledger's range")
		}
		mustVerify(t, d)
	})
}
