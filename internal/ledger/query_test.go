package ledger_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/soulseer/soulseer/internal/apperr"
	"github.com/soulseer/soulseer/internal/db"
	"github.com/soulseer/soulseer/internal/db/dbtest"
	"github.com/soulseer/soulseer/internal/ledger"
)

// WAL-2, DASH-C: a wallet's entries come newest first, filtered by type and
// time and paged by posting id; each links to what caused it.
func TestEntriesFilterAndPage(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		l, clk := setup(d)
		start := clk.Now()
		topUp(t, l, 1, 100_00, "topup-1")
		for i := range 10 {
			clk.Advance(time.Hour)
			if _, err := l.Transfer(ctx, charge(fmt.Sprintf("r%d", i), 1, 2, int64(i+1))); err != nil {
				t.Fatal(err)
			}
		}
		all, err := l.Entries(ctx, ledger.Wallet(1), ledger.EntryFilter{})
		if err != nil || len(all) != 11 {
			t.Fatalf("%d entries, %v", len(all), err)
		}
		for i := 1; i < len(all); i++ {
			if all[i].PostingID >= all[i-1].PostingID || all[i].BalanceAfter-all[i-1].BalanceAfter != -all[i-1].Amount {
				t.Fatalf("entries out of order or chain broken at %d: %+v", i, all)
			}
		}
		if all[0].CauseType != "reading" || all[0].CauseID != "r9" || all[0].Key != "r9" || !all[0].CreatedAt.Equal(start.Add(10*time.Hour)) {
			t.Fatalf("newest entry %+v", all[0])
		}
		var paged []ledger.Entry
		var before int64
		for {
			page, err := l.Entries(ctx, ledger.Wallet(1), ledger.EntryFilter{BeforeID: before, Limit: 4})
			if err != nil {
				t.Fatal(err)
			}
			if len(page) == 0 {
				break
			}
			paged = append(paged, page...)
			before = page[len(page)-1].PostingID
		}
		if fmt.Sprint(paged) != fmt.Sprint(all) {
			t.Fatalf("paging gave %d entries, not the same as %d", len(paged), len(all))
		}
		tops, _ := l.Entries(ctx, ledger.Wallet(1), ledger.EntryFilter{Types: []ledger.EntryType{ledger.TypeTopUp, ledger.TypeRefund}})
		if len(tops) != 1 || tops[0].Type != ledger.TypeTopUp {
			t.Fatalf("top-ups %+v", tops)
		}
		window, _ := l.Entries(ctx, ledger.Wallet(1), ledger.EntryFilter{From: start.Add(2 * time.Hour), To: start.Add(5 * time.Hour)})
		if len(window) != 3 || window[0].CauseID != "r3" || window[2].CauseID != "r1" {
			t.Fatalf("entries from hour 2 to 5: %+v", window)
		}
		if none, err := l.Entries(ctx, ledger.Wallet(77), ledger.EntryFilter{}); err != nil || len(none) != 0 {
			t.Fatalf("entries of an unknown wallet: %v %v", none, err)
		}
	})
}

// WAL-5, WAL-7: a transfer can be found by its key (with its Stripe event
// id and postings) and by what caused it; an unknown key is NotFound.
func TestTransferLookups(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		l, clk := setup(d)
		tr := ledger.Transfer{Key: "stripe:evt_9", Type: ledger.TypeTopUp, CauseType: "topup", CauseID: "5", StripeEventID: "evt_9",
			Memo: "Checkout top-up", ActorID: 1, Postings: []ledger.Posting{{Account: ledger.StripeClearing(), Amount: -20_00}, {Account: ledger.Wallet(1), Amount: 20_00}}}
		r, err := l.Transfer(ctx, tr)
		if err != nil {
			t.Fatal(err)
		}
		info, err := l.TransferByKey(ctx, d.Read(), "stripe:evt_9")
		if err != nil {
			t.Fatal(err)
		}
		want := ledger.TransferInfo{ID: r.TransferID, Key: tr.Key, Type: tr.Type, CauseType: "topup", CauseID: "5", StripeEventID: "evt_9",
			Memo: tr.Memo, ActorID: 1, CreatedAt: clk.Now(), Postings: tr.Postings}
		if fmt.Sprint(info) != fmt.Sprint(want) {
			t.Fatalf("transfer by key:\n%+v\nwant\n%+v", info, want)
		}
		_, err = l.TransferByKey(ctx, d.Read(), "stripe:evt_10")
		wantCode(t, err, apperr.NotFound)

		for i := range 3 {
			if _, err := l.Transfer(ctx, charge(fmt.Sprintf("reading-4-minute-%d", i), 1, 2, 1_00)); err != nil {
				t.Fatal(err)
			}
		}
		byCause, err := l.TransfersByCause(ctx, d.Read(), "reading", "reading-4-minute-1")
		if err != nil || len(byCause) != 1 || byCause[0].Key != "reading-4-minute-1" || len(byCause[0].Postings) != 2 {
			t.Fatalf("by cause: %+v %v", byCause, err)
		}
	})
}

func TestFormatCents(t *testing.T) {
	for cents, want := range map[int64]string{0: "$0.00", 5: "$0.05", 250: "$2.50", 123456: "$1,234.56",
		-5: "-$0.05", ledger.MaxAmount: "$99,999,999.99", -ledger.MaxAmount: "-$99,999,999.99", 100000: "$1,000.00"} {
		if got := ledger.FormatCents(cents); got != want {
			t.Errorf("FormatCents(%d) = %q, want %q", cents, got, want)
		}
	}
}
