package reading

import (
	"context"
	"fmt"
	"strconv"
	"time"

	"github.com/soulseer/soulseer/internal/apperr"
	"github.com/soulseer/soulseer/internal/db"
	"github.com/soulseer/soulseer/internal/ledger"
	"github.com/soulseer/soulseer/internal/realtime"
)

// minuteKey is the idempotency key of one billed minute: a reading's minute
// can be charged once, whoever tries and however often (OD-5).
func minuteKey(readingID, minute int64) string {
	return "reading:" + strconv.FormatInt(readingID, 10) + ":minute:" + strconv.FormatInt(minute, 10)
}

// minuteTransfer is the charge of one minute: the client pays the rate, the
// reader earns their share and the platform keeps the rest (in platform
// revenue shard, see ledger.PlatformRevenueShard), in one transfer.
func minuteTransfer(r *Reading, minute int64, shard int) ledger.Transfer {
	share := r.ReaderShare()
	postings := []ledger.Posting{{Account: ledger.Wallet(r.ClientID), Amount: -r.RateCents}}
	if share > 0 {
		postings = append(postings, ledger.Posting{Account: ledger.Earnings(r.ReaderID), Amount: share})
	}
	if fee := r.RateCents - share; fee > 0 {
		postings = append(postings, ledger.Posting{Account: ledger.PlatformRevenueShard(shard), Amount: fee})
	}
	return ledger.Transfer{
		Key: minuteKey(r.ID, minute), Type: ledger.TypeReadingCharge, Postings: postings,
		CauseType: "reading", CauseID: strconv.FormatInt(r.ID, 10),
		Memo: fmt.Sprintf("%s reading with %s, minute %d", r.Modality, r.ReaderName, minute+1),
	}
}

// chargeDue charges every minute of r started by now and not yet charged.
func (s *Service) chargeDue(ctx context.Context, tx *db.Tx, r *Reading, now time.Time) (int64, error) {
	return s.chargeUpTo(ctx, tx, r, r.StartedMinutes(now), now)
}

// chargeUpTo charges r's minutes up to (not including) target, in order. If
// the wallet cannot pay a minute, the reading is paused for low balance at
// that minute's start, so the unpaid minute is never used (OD-6). It returns
// how many minutes it charged.
func (s *Service) chargeUpTo(ctx context.Context, tx *db.Tx, r *Reading, target int64, now time.Time) (int64, error) {
	if target <= r.BilledMinutes {
		return 0, nil
	}
	var ts []ledger.Transfer
	for m := r.BilledMinutes; m < target; m++ {
		ts = append(ts, minuteTransfer(r, m, 0))
	}
	_, errs, err := s.Ledger.PostBatch(ctx, tx, ts)
	if err != nil {
		return 0, err
	}
	charged, refused := settle(r, errs)
	if refused != nil {
		if apperr.CodeOf(refused) != apperr.InsufficientFunds {
			return charged, refused
		}
		return charged, s.pauseForFunds(ctx, tx, r, now)
	}
	return charged, s.maybeWarn(ctx, tx, r)
}

// settle counts the leading successful charges of a run of minute transfers
// into r and returns the first refusal, if any.
func settle(r *Reading, errs []error) (int64, error) {
	var n int64
	for _, e := range errs {
		if e != nil {
			return n, e
		}
		r.BilledMinutes++
		r.TotalCents += r.RateCents
		r.ReaderEarningsCents += r.ReaderShare()
		n++
	}
	return n, nil
}

// pauseForFunds stops r at the start of its first unpaid minute.
func (s *Service) pauseForFunds(ctx context.Context, tx *db.Tx, r *Reading, now time.Time) error {
	r.ActiveMS = min(r.ActiveTime(now).Milliseconds(), r.BilledMinutes*r.Period.Milliseconds())
	r.ActiveSince = time.Time{}
	if r.State != Active && r.State != Reconnecting {
		return nil
	}
	r.PauseReason = PauseLowBalance
	if err := transition(ctx, tx, r, EventLowBalance, "balance below one minute", now); err != nil {
		return err
	}
	return s.announce(tx, r, "reading.paused")
}

// maybeWarn tells both parties, once per minute, when the wallet cannot pay
// the minute after the one just charged: a one-minute warning (OD-6).
func (s *Service) maybeWarn(ctx context.Context, tx *db.Tx, r *Reading) error {
	bals, err := s.Ledger.WalletBalances(ctx, tx, []int64{r.ClientID})
	if err != nil {
		return err
	}
	return s.warnIfLow(tx, r, bals[r.ClientID])
}

// warnIfLow sends the one-minute warning when balance, the wallet after the
// latest charge, cannot pay another minute and this minute was not warned of.
func (s *Service) warnIfLow(tx *db.Tx, r *Reading, balance int64) error {
	last := r.BilledMinutes - 1
	if last < 0 || r.WarnedMinute >= last || balance >= r.RateCents {
		return nil
	}
	r.WarnedMinute = last
	return s.Hub.PublishOnCommit(tx, realtime.ReadingTopic(r.ID), "reading.low_balance", map[string]any{
		"balance_cents": balance, "rate_cents": r.RateCents, "minutes_left": 1,
	})
}
