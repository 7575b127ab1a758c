package ledger_test

import (
	"strings"
	"testing"

	"github.com/soulseer/soulseer/internal/apperr"
	"github.com/soulseer/soulseer/internal/db"
	"github.com/soulseer/soulseer/internal/db/dbtest"
	"github.com/soulseer/soulseer/internal/ledger"
)

// WAL-2, WAL-3: a transfer moves money between accounts, records each
// posting with its balance_after, and balances follow.
func TestPostMovesMoney(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		l, clk := setup(d)
		r := topUp(t, l, 1, 10_00, "topup-1")
		if r.Replayed || r.TransferID == 0 || !r.CreatedAt.Equal(clk.Now()) {
			t.Fatalf("top-up result %+v", r)
		}
		if _, err := l.Transfer(ctx, charge("reading-1-minute-1", 1, 2, 3_00)); err != nil {
			t.Fatal(err)
		}
		if got := balance(t, l, ledger.Wallet(1)); got != 7_00 {
			t.Fatalf("wallet = %d, want 700", got)
		}
		if got := balance(t, l, ledger.Earnings(2)); got != 3_00 {
			t.Fatalf("earnings = %d, want 300", got)
		}
		if got := balance(t, l, ledger.StripeClearing()); got != -10_00 {
			t.Fatalf("stripe clearing = %d, want -1000", got)
		}
		if got := balance(t, l, ledger.Wallet(99)); got != 0 {
			t.Fatalf("unknown wallet = %d, want 0", got)
		}
		es, err := l.Entries(ctx, ledger.Wallet(1), ledger.EntryFilter{})
		if err != nil {
			t.Fatal(err)
		}
		if len(es) != 2 || es[0].Amount != -3_00 || es[0].BalanceAfter != 7_00 || es[0].Type != ledger.TypeReadingCharge ||
			es[1].Amount != 10_00 || es[1].BalanceAfter != 10_00 || es[1].Key != "topup-1" || es[1].CauseID != "topup-1" {
			t.Fatalf("entries %+v", es)
		}
		rep := mustVerify(t, d)
		if rep.Transfers != 2 || rep.Postings != 4 || rep.Accounts != 3 {
			t.Fatalf("report %+v", rep)
		}
	})
}

// WAL-1: a debit the wallet cannot cover is refused with a clear message
// and changes nothing, even when the caller goes on to commit.
func TestPostInsufficientFunds(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		l, _ := setup(d)
		topUp(t, l, 1, 2_50, "topup-1")
		before := state(t, d)
		err := d.Tx(ctx, func(tx *db.Tx) error {
			_, err := l.Post(ctx, tx, charge("c1", 1, 2, 3_00))
			wantCode(t, err, apperr.InsufficientFunds)
			if msg := apperr.MessageOf(err); !strings.Contains(msg, "you have $2.50, this needs $3.00") {
				t.Errorf("message %q", msg)
			}
			// A wallet that never existed is refused too, and is not left behind.
			_, err = l.Post(ctx, tx, charge("c2", 5, 2, 1))
			wantCode(t, err, apperr.InsufficientFunds)
			return nil // commit anyway
		})
		if err != nil {
			t.Fatal(err)
		}
		if after := state(t, d); after != before {
			t.Fatalf("a refused transfer changed the ledger:\n%s\nbecame\n%s", before, after)
		}
		// The refused key is free for a later, covered attempt.
		topUp(t, l, 1, 1_00, "topup-2")
		if r, err := l.Transfer(ctx, charge("c1", 1, 2, 3_00)); err != nil || r.Replayed {
			t.Fatalf("retry after top-up: %+v %v", r, err)
		}
		mustVerify(t, d)
	})
}
