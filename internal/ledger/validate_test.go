package ledger_test

import (
	"strings"
	"testing"

	"github.com/soulseer/soulseer/internal/apperr"
	"github.com/soulseer/soulseer/internal/db"
	"github.com/soulseer/soulseer/internal/db/dbtest"
	"github.com/soulseer/soulseer/internal/ledger"
)

// WAL-2, WAL-3: every malformed transfer is refused as apperr.Invalid, naming
// the field at fault, and changes nothing — through Post and PostBatch alike.
func TestPostRejectsInvalidTransfers(t *testing.T) {
	w1, w2, e2 := ledger.Wallet(1), ledger.Wallet(2), ledger.Earnings(2)
	ok := func(f func(*ledger.Transfer)) ledger.Transfer {
		tr := charge("k", 1, 2, 100)
		f(&tr)
		return tr
	}
	pp := func(ps ...ledger.Posting) func(*ledger.Transfer) {
		return func(t *ledger.Transfer) { t.Postings = ps }
	}
	many := make([]ledger.Posting, ledger.MaxPostings+1)
	for i := range many {
		many[i] = ledger.Posting{Account: ledger.Wallet(int64(i + 1)), Amount: 1}
	}
	many[0].Amount = -ledger.MaxPostings
	cases := []struct {
		name  string
		t     ledger.Transfer
		field string
	}{
		{"no key", ok(func(t *ledger.Transfer) { t.Key = "" }), "key"},
		{"key too long", ok(func(t *ledger.Transfer) { t.Key = strings.Repeat("k", ledger.MaxKeyLen+1) }), "key"},
		{"key not UTF-8", ok(func(t *ledger.Transfer) { t.Key = "k\xff" }), "key"},
		{"key with NUL", ok(func(t *ledger.Transfer) { t.Key = "k\x00" }), "key"},
		{"unknown type", ok(func(t *ledger.Transfer) { t.Type = "bonus" }), "type"},
		{"no type", ok(func(t *ledger.Transfer) { t.Type = "" }), "type"},
		{"no postings", ok(pp()), "postings"},
		{"one posting", ok(pp(ledger.Posting{Account: w1, Amount: 0})), "postings"},
		{"too many postings", ok(pp(many...)), "postings"},
		{"non-zero sum", ok(pp(ledger.Posting{Account: w1, Amount: -100}, ledger.Posting{Account: e2, Amount: 99})), "postings"},
		{"zero amount", ok(pp(ledger.Posting{Account: w1, Amount: 0}, ledger.Posting{Account: e2, Amount: 0})), "postings[0].amount"},
		{"amount above max", ok(pp(ledger.Posting{Account: ledger.StripeClearing(), Amount: -ledger.MaxAmount - 1}, ledger.Posting{Account: w1, Amount: ledger.MaxAmount + 1})), "postings[1].amount"},
		{"amount below -max", ok(pp(ledger.Posting{Account: ledger.StripeClearing(), Amount: -ledger.MaxAmount - 1}, ledger.Posting{Account: w1, Amount: ledger.MaxAmount + 1})), "postings[0].amount"},
		{"account twice", ok(pp(ledger.Posting{Account: w1, Amount: -100}, ledger.Posting{Account: w2, Amount: 50}, ledger.Posting{Account: w1, Amount: 50})), "postings[2].account"},
		{"unknown account kind", ok(pp(ledger.Posting{Account: w1, Amount: -100}, ledger.Posting{Account: ledger.Ref{Kind: "bank"}, Amount: 100})), "postings[1].account"},
		{"wallet without user", ok(pp(ledger.Posting{Account: ledger.Wallet(0), Amount: -100}, ledger.Posting{Account: e2, Amount: 100})), "postings[0].account"},
		{"system account with user", ok(pp(ledger.Posting{Account: w1, Amount: -100}, ledger.Posting{Account: ledger.Ref{Kind: ledger.KindPlatformRevenue, UserID: 3}, Amount: 100})), "postings[1].account"},
		{"memo too long", ok(func(t *ledger.Transfer) { t.Memo = strings.Repeat("m", 5000) }), "memo"},
		{"cause not UTF-8", ok(func(t *ledger.Transfer) { t.CauseID = "\xff" }), "cause_id"},
		{"negative actor", ok(func(t *ledger.Transfer) { t.ActorID = -1 }), "actor_id"},
	}
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		l, _ := setup(d)
		topUp(t, l, 1, 5_00, "topup-1")
		before := state(t, d)
		for _, c := range cases {
			t.Run(c.name, func(t *testing.T) {
				err := d.Tx(ctx, func(tx *db.Tx) error {
					_, err := l.Post(ctx, tx, c.t)
					wantCode(t, err, apperr.Invalid)
					if e := apperr.As(err); e.Fields[c.field] == "" {
						t.Errorf("fields %v do not name %q", e.Fields, c.field)
					}
					_, errs, err := l.PostBatch(ctx, tx, []ledger.Transfer{c.t, charge("fine", 1, 2, 1)})
					if err != nil {
						t.Fatal(err)
					}
					wantCode(t, errs[0], apperr.Invalid)
					if errs[1] != nil {
						t.Errorf("a valid transfer beside an invalid one failed: %v", errs[1])
					}
					return apperr.Errorf(apperr.Conflict, "roll back the valid one")
				})
				wantCode(t, err, apperr.Conflict)
				if after := state(t, d); after != before {
					t.Fatalf("an invalid transfer changed the ledger")
				}
			})
		}
	})
}

// WAL-1: no balance may rise above MaxAmount; the credit that would take it
// there is refused as Invalid and changes nothing.
func TestPostBalanceCeiling(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		l, _ := setup(d)
		topUp(t, l, 1, ledger.MaxAmount, "topup-max")
		before := state(t, d)
		_, err := l.Transfer(ctx, ledger.Transfer{Key: "topup-1", Type: ledger.TypeTopUp,
			Postings: []ledger.Posting{{Account: ledger.StripeClearing(), Amount: -1}, {Account: ledger.Wallet(1), Amount: 1}}})
		wantCode(t, err, apperr.Invalid)
		if state(t, d) != before {
			t.Fatal("a refused credit changed the ledger")
		}
		mustVerify(t, d)
	})
}
