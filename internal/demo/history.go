package demo

import (
	"context"
	"fmt"
	"time"

	"github.com/soulseer/soulseer/internal/account"
	"github.com/soulseer/soulseer/internal/app"
	"github.com/soulseer/soulseer/internal/clock"
	"github.com/soulseer/soulseer/internal/ledger"
	"github.com/soulseer/soulseer/internal/reading"
)

// historyDays is how far back the demo's money history reaches, so the
// dashboards' 30- and 90-day charts have a shape (DASH-R, DASH-A).
const historyDays = 45

// seedHistory gives the demo six weeks of past money: demo money credited
// to the client six weeks ago, then on each day since the client paying
// one to three demo readers for readings, gifts, paid replies and tickets,
// posted through the ledger with its clock set back to that day. The
// client spends exactly the demo money, so their wallet ends where it
// was; readers' earnings and the platform's revenue grow. Keys are fixed,
// so loading again posts nothing anew.
func seedHistory(ctx context.Context, a *app.App, admin, client account.User) error {
	var readerIDs []int64
	for _, r := range readers {
		u, err := a.Accounts.GetByEmail(ctx, r.email)
		if err != nil {
			return err
		}
		readerIDs = append(readerIDs, u.ID)
	}
	types := []ledger.EntryType{ledger.TypeReadingCharge, ledger.TypeGift, ledger.TypePaidReply, ledger.TypeReadingCharge, ledger.TypeOrder}
	now := a.Clock.Now().UTC()
	start := time.Date(now.Year(), now.Month(), now.Day(), 9, 0, 0, 0, time.UTC).AddDate(0, 0, -historyDays)
	days := make([][]ledger.Transfer, historyDays)
	var total int64
	for day := range days {
		for k := range 1 + day%3 {
			price := int64(4_00 + (day*37+k*53)%60*25)
			readerCents, platformCents := reading.Split(price, a.Config.PlatformSharePct)
			ps := []ledger.Posting{{Account: ledger.Wallet(client.ID), Amount: -price},
				{Account: ledger.Earnings(readerIDs[(day+k)%len(readerIDs)]), Amount: readerCents}}
			if platformCents > 0 {
				ps = append(ps, ledger.Posting{Account: ledger.PlatformRevenue(), Amount: platformCents})
			}
			typ := types[(day+k)%len(types)]
			days[day] = append(days[day], ledger.Transfer{Key: fmt.Sprintf("demo-history-%d-%d", day, k), Type: typ, Postings: ps,
				CauseType: "demo", Memo: "Past " + titleOf(typ), ActorID: client.ID})
			total += price
		}
	}
	clk := clock.NewFake(start)
	past := &ledger.Ledger{DB: a.DB, Clock: clk}
	if _, err := past.Transfer(ctx, ledger.Transfer{Key: "demo-history-money", Type: ledger.TypeAdjustment,
		Postings:  []ledger.Posting{{Account: ledger.Adjustments(), Amount: -total}, {Account: ledger.Wallet(client.ID), Amount: total}},
		CauseType: "admin", Memo: "Demo money for six weeks of past readings", ActorID: admin.ID}); err != nil {
		return fmt.Errorf("demo: history: %w", err)
	}
	for day, ts := range days {
		clk.Set(start.AddDate(0, 0, day))
		for _, t := range ts {
			clk.Advance(2 * time.Hour)
			if _, err := past.Transfer(ctx, t); err != nil {
				return fmt.Errorf("demo: history: %w", err)
			}
		}
	}
	return nil
}

// titleOf names an entry type in a memo, e.g. "reading charge".
func titleOf(t ledger.EntryType) string {
	switch t {
	case ledger.TypeReadingCharge:
		return "reading"
	case ledger.TypePaidReply:
		return "paid reply"
	case ledger.TypeOrder:
		return "stream ticket"
	}
	return string(t)
}
