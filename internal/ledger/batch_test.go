package ledger_test

import (
	"fmt"
	"testing"

	"github.com/soulseer/soulseer/internal/apperr"
	"github.com/soulseer/soulseer/internal/db"
	"github.com/soulseer/soulseer/internal/db/dbtest"
	"github.com/soulseer/soulseer/internal/ledger"
)

func postBatch(t *testing.T, l *ledger.Ledger, ts []ledger.Transfer) ([]ledger.Result, []error) {
	t.Helper()
	var results []ledger.Result
	var errs []error
	err := l.DB.Tx(ctx, func(tx *db.Tx) error {
		var err error
		results, errs, err = l.PostBatch(ctx, tx, ts)
		return err
	})
	if err != nil {
		t.Fatalf("post batch: %v", err)
	}
	if len(results) != len(ts) || len(errs) != len(ts) {
		t.Fatalf("%d results and %d errors for %d transfers", len(results), len(errs), len(ts))
	}
	return results, errs
}

// OD-5, WAL-1: in a billing batch each transfer has its own outcome: those
// a wallet cannot cover are refused alone, the others post; an account in
// several transfers gets a consistent balance_after chain; duplicate keys in
// the batch and across batches replay or conflict.
func TestPostBatchMixed(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		l, _ := setup(d)
		topUp(t, l, 1, 5_00, "topup-1")
		topUp(t, l, 2, 1_00, "topup-2")
		batch := []ledger.Transfer{
			charge("r1-m1", 1, 9, 2_00), // 0: ok, wallet 1 → 300
			charge("r2-m1", 2, 9, 1_50), // 1: refused, wallet 2 has 100
			charge("r1-m2", 1, 9, 2_00), // 2: ok, wallet 1 → 100
			charge("r1-m3", 1, 9, 2_00), // 3: refused, wallet 1 has 100
			charge("r1-m1", 1, 9, 2_00), // 4: same key and content as 0: replay
			charge("r1-m1", 1, 9, 1_00), // 5: same key as 0, other content: conflict
			charge("r3-m1", 3, 9, 1),    // 6: refused, wallet 3 does not exist
			charge("r2-m2", 2, 9, 1_00), // 7: ok, wallet 2 → 0
			charge("", 2, 9, 1_00),      // 8: invalid
			charge("topup-1", 1, 9, 1),  // 9: key of an earlier transfer with other content: conflict
			charge("r1-m3", 1, 9, 2_00), // 10: same as refused 3: refused too
			charge("r1-m4", 1, 9, 1_00), // 11: ok, wallet 1 → 0
		}
		before := balance(t, l, ledger.Earnings(9))
		results, errs := postBatch(t, l, batch)
		want := []apperr.Code{"", apperr.InsufficientFunds, "", apperr.InsufficientFunds, "", apperr.Conflict,
			apperr.InsufficientFunds, "", apperr.Invalid, apperr.Conflict, apperr.InsufficientFunds, ""}
		for i, code := range want {
			if got := apperr.CodeOf(errs[i]); got != code {
				t.Errorf("transfer %d: %v, want code %q", i, errs[i], code)
			}
			if errs[i] != nil && apperr.As(errs[i]) == nil {
				t.Errorf("transfer %d: error %v is not an *apperr.Error", i, errs[i])
			}
		}
		if !results[4].Replayed || results[4].TransferID != results[0].TransferID || results[0].Replayed {
			t.Errorf("in-batch duplicate: %+v vs %+v", results[4], results[0])
		}
		if got := balance(t, l, ledger.Wallet(1)); got != 0 {
			t.Errorf("wallet 1 = %d, want 0", got)
		}
		if got := balance(t, l, ledger.Wallet(2)); got != 0 {
			t.Errorf("wallet 2 = %d, want 0", got)
		}
		if got := balance(t, l, ledger.Earnings(9)) - before; got != 6_00 {
			t.Errorf("earnings rose by %d, want 600", got)
		}
		es, err := l.Entries(ctx, ledger.Earnings(9), ledger.EntryFilter{})
		if err != nil {
			t.Fatal(err)
		}
		var afters []int64
		for _, e := range es {
			afters = append(afters, e.BalanceAfter)
		}
		if fmt.Sprint(afters) != "[600 500 400 200]" {
			t.Errorf("earnings chain newest first %v, want [600 500 400 200]", afters)
		}
		var n int
		d.Read().QueryRowContext(ctx, "SELECT COUNT(*) FROM ledger_accounts WHERE kind = 'wallet' AND user_id = 3").Scan(&n)
		if n != 0 {
			t.Error("the refused transfer from a new wallet left the account behind")
		}

		// The same batch again: every posted transfer replays.
		again, errs2 := postBatch(t, l, batch)
		for _, i := range []int{0, 2, 4, 7, 11} {
			if errs2[i] != nil || !again[i].Replayed || again[i].TransferID != results[i].TransferID {
				t.Errorf("second batch, transfer %d: %+v %v; first %+v", i, again[i], errs2[i], results[i])
			}
		}
		if got := balance(t, l, ledger.Earnings(9)) - before; got != 6_00 {
			t.Errorf("after the repeat earnings rose by %d, want 600", got)
		}
		mustVerify(t, d)
	})
}

// OD-5: a billing sweep of many readings posts in chunks, not one statement
// per transfer, with the same result as posting each on its own.
func TestPostBatchLarge(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		l, _ := setup(d)
		const clients = 2500
		var funding []ledger.Transfer
		for c := range int64(clients) {
			funding = append(funding, ledger.Transfer{Key: fmt.Sprintf("topup-%d", c), Type: ledger.TypeTopUp,
				Postings: []ledger.Posting{{Account: ledger.StripeClearing(), Amount: -(c%7 + 1) * 1_00}, {Account: ledger.Wallet(c + 1), Amount: (c%7 + 1) * 1_00}}})
		}
		if _, errs := postBatch(t, l, funding); firstErr(errs) != nil {
			t.Fatal(firstErr(errs))
		}
		// Four minutes of billing at $2 a minute for every client, each
		// paying two readers: clients with less than $8 run dry part way.
		var sweep []ledger.Transfer
		for minute := range 4 {
			for c := range int64(clients) {
				sweep = append(sweep, ledger.Transfer{Key: fmt.Sprintf("reading-%d-minute-%d", c, minute), Type: ledger.TypeReadingCharge,
					Postings: []ledger.Posting{{Account: ledger.Wallet(c + 1), Amount: -2_00}, {Account: ledger.Earnings(100_000 + c%50), Amount: 1_40},
						{Account: ledger.PlatformRevenue(), Amount: 60}}})
			}
		}
		_, errs := postBatch(t, l, sweep)
		var posted, refused int64
		for _, err := range errs {
			switch apperr.CodeOf(err) {
			case "":
				posted++
			case apperr.InsufficientFunds:
				refused++
			default:
				t.Fatal(err)
			}
		}
		var wantPosted int64
		for c := range int64(clients) {
			wantPosted += min((c%7+1)*1_00/2_00, 4)
		}
		if posted != wantPosted || posted+refused != int64(len(sweep)) {
			t.Fatalf("%d posted and %d refused, want %d posted", posted, refused, wantPosted)
		}
		if got := balance(t, l, ledger.PlatformRevenue()); got != posted*60 {
			t.Fatalf("platform revenue %d, want %d", got, posted*60)
		}
		mustVerify(t, d)
	})
}

func firstErr(errs []error) error {
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}
