package ledger_test

import (
	"fmt"
	"math/rand/v2"
	"sync"
	"testing"

	"github.com/soulseer/soulseer/internal/apperr"
	"github.com/soulseer/soulseer/internal/db"
	"github.com/soulseer/soulseer/internal/db/dbtest"
	"github.com/soulseer/soulseer/internal/ledger"
)

// WAL-1: 100 spenders racing for one wallet never take it below zero: each
// spend either is recorded in full or refused with InsufficientFunds, and
// the final balance is the initial one less the sum of the recorded spends.
func TestConcurrentSpendersNeverOverdraw(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		l, _ := setup(d)
		const initial = 10_00
		topUp(t, l, 1, initial, "topup-1")
		amounts := make([]int64, 100)
		errs := make([]error, 100)
		var wg sync.WaitGroup
		for i := range amounts {
			amounts[i] = rand.Int64N(30) + 1
			wg.Add(1)
			go func() {
				defer wg.Done()
				_, errs[i] = l.Transfer(ctx, charge(fmt.Sprintf("spend-%d", i), 1, int64(2+i%3), amounts[i]))
			}()
		}
		wg.Wait()
		var spent int64
		var okCount, refused int
		for i, err := range errs {
			switch apperr.CodeOf(err) {
			case "":
				spent += amounts[i]
				okCount++
				if _, err := l.TransferByKey(ctx, d.Read(), fmt.Sprintf("spend-%d", i)); err != nil {
					t.Errorf("spend %d succeeded but is not recorded: %v", i, err)
				}
			case apperr.InsufficientFunds:
				refused++
				if _, err := l.TransferByKey(ctx, d.Read(), fmt.Sprintf("spend-%d", i)); apperr.CodeOf(err) != apperr.NotFound {
					t.Errorf("refused spend %d left a transfer behind: %v", i, err)
				}
			default:
				t.Fatalf("spend %d: %v", i, err)
			}
		}
		if refused == 0 || okCount == 0 {
			t.Fatalf("%d spends succeeded and %d were refused; the test needs both", okCount, refused)
		}
		got := balance(t, l, ledger.Wallet(1))
		if got != initial-spent || got < 0 {
			t.Fatalf("wallet = %d, want %d - %d = %d", got, initial, spent, initial-spent)
		}
		rep := mustVerify(t, d)
		if rep.Transfers != int64(1+okCount) {
			t.Fatalf("%d transfers, want %d", rep.Transfers, 1+okCount)
		}
	})
}

// WAL-1: transfers crossing the same accounts in opposite directions take
// their row locks in account-id order, so none deadlocks. Each runs in a
// bare transaction that is never retried: any deadlock would fail it.
func TestCrossingTransfersDoNotDeadlock(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		l, _ := setup(d)
		users := []int64{1, 2, 3, 4}
		for _, u := range users {
			topUp(t, l, u, 1000_00, fmt.Sprintf("topup-%d", u))
		}
		var wg sync.WaitGroup
		errs := make(chan error, 8*40)
		for w := range 8 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for i := range 40 {
					from := users[rand.IntN(len(users))]
					to := users[rand.IntN(len(users))]
					if from == to {
						continue
					}
					sqlTx, err := d.Writer.BeginTx(ctx, nil)
					if err != nil {
						errs <- err
						return
					}
					_, err = l.Post(ctx, &db.Tx{Tx: sqlTx}, ledger.Transfer{Key: fmt.Sprintf("gift-%d-%d", w, i), Type: ledger.TypeGift,
						Postings: []ledger.Posting{{Account: ledger.Wallet(from), Amount: -1_00}, {Account: ledger.Wallet(to), Amount: 1_00}}})
					if err != nil {
						sqlTx.Rollback()
						errs <- err
						continue
					}
					if err := sqlTx.Commit(); err != nil {
						errs <- err
					}
				}
			}()
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			t.Errorf("crossing transfer failed: %v", err)
		}
		var total int64
		for _, u := range users {
			total += balance(t, l, ledger.Wallet(u))
		}
		if total != 4000_00 {
			t.Fatalf("wallets hold %d, want 400000", total)
		}
		mustVerify(t, d)
	})
}
