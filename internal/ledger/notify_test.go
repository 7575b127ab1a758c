package ledger_test

import (
	"errors"
	"slices"
	"sync"
	"testing"

	"github.com/soulseer/soulseer/internal/db"
	"github.com/soulseer/soulseer/internal/db/dbtest"
	"github.com/soulseer/soulseer/internal/ledger"
)

// WAL-6: OnBalanceChange announces a user account's new balance only after
// the transfer commits — never for a rolled-back one, never for system
// accounts — and the new balance is visible to other readers by then.
func TestOnBalanceChangeAfterCommitOnly(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		l, _ := setup(d)
		var mu sync.Mutex
		var seen []ledger.BalanceChange
		l.OnBalanceChange = func(c ledger.BalanceChange) {
			mu.Lock()
			defer mu.Unlock()
			if b := balance(t, l, ledger.Ref{Kind: c.Kind, UserID: c.UserID}); b != c.Balance {
				t.Errorf("announced %+v but readers see %d", c, b)
			}
			seen = append(seen, c)
		}
		topUp(t, l, 1, 10_00, "topup-1")
		boom := errors.New("boom")
		err := d.Tx(ctx, func(tx *db.Tx) error {
			if _, err := l.Post(ctx, tx, charge("c1", 1, 2, 4_00)); err != nil {
				return err
			}
			if len(seen) != 1 {
				t.Errorf("announced before commit: %+v", seen)
			}
			return boom
		})
		if !errors.Is(err, boom) {
			t.Fatal(err)
		}
		if _, err := l.Transfer(ctx, charge("c2", 1, 2, 3_00)); err != nil {
			t.Fatal(err)
		}
		want := []ledger.BalanceChange{
			{UserID: 1, Kind: ledger.KindWallet, Balance: 10_00},
			{UserID: 1, Kind: ledger.KindWallet, Balance: 7_00},
			{UserID: 2, Kind: ledger.KindEarnings, Balance: 3_00},
		}
		if !slices.Equal(seen, want) {
			t.Fatalf("announced %+v, want %+v", seen, want)
		}
	})
}

// WAL-1: an account created in a transaction that rolls back is not
// remembered; a later transfer to the same account creates it afresh.
func TestAccountCacheIgnoresRolledBackAccounts(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		l, _ := setup(d)
		boom := errors.New("boom")
		err := d.Tx(ctx, func(tx *db.Tx) error {
			if _, err := l.Post(ctx, tx, charge("c1", 1, 2, 1)); err == nil {
				t.Error("an empty wallet paid")
			}
			_, err := l.Post(ctx, tx, ledger.Transfer{Key: "t1", Type: ledger.TypeTopUp,
				Postings: []ledger.Posting{{Account: ledger.StripeClearing(), Amount: -5_00}, {Account: ledger.Wallet(1), Amount: 5_00}}})
			if err != nil {
				return err
			}
			return boom
		})
		if !errors.Is(err, boom) {
			t.Fatal(err)
		}
		topUp(t, l, 1, 5_00, "t1")
		if _, err := l.Transfer(ctx, charge("c1", 1, 2, 1_00)); err != nil {
			t.Fatal(err)
		}
		if got := balance(t, l, ledger.Wallet(1)); got != 4_00 {
			t.Fatalf("wallet = %d, want 400", got)
		}
		mustVerify(t, d)
	})
}
