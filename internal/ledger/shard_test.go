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
