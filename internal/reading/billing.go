package reading

import (
	"context"
	"fmt"
	"strconv"
	"time"

	"github.com/soulseer/soulseer/internal/apperr"
	"github.com/soulseer/soulseer/internal/db"
	"github.com/soulseer/soulseer/internal/ledger"
	"github.com/soulseer/soulseer/internal/limits"
	"github.com/soulseer/soulseer/internal/realtime"
)

// minuteKey is the idempotency key of one billed minute: a reading's minute
// can be charged once, whoever tries and however often (OD-5).
func minuteKey(readingID, minute int64) string {
	return "reading:" + strconv.FormatInt(readingID, 10) + ":minute:" + strconv.FormatInt(minute, 10)
}

// minuteTransfer is the charge of one minute: the client pays the rate, the
// reader earns their share and the platform keeps the rest (Split), in one
// transfer; the platform's part goes to revenue shard shard (see
// ledger.PlatformRevenueShard).
func minuteTransfer(r *Reading, minute int64, shard int) ledger.Transfer {
	share, fee := Split(r.RateCents, r.PlatformSharePct)
	postings := []ledger.Posting{{Account: ledger.Wallet(r.ClientID), Amount: -r.RateCents}}
	if share > 0 {
		postings = append(postings, ledger.Posting{Account: ledger.Earnings(r.ReaderID), Amount: share})
	}
	if fee > 0 {
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

// chargeUpTo charges r's minutes up to (not including) target, in order,
// crediting the platform through PlatformRevenue. If the wallet cannot pay a
// minute, the reading is paused for low balance at that minute's start, so
// the unpaid minute is never used (OD-6). A minute the ledger refuses for
// another reason flags r for admins (see charge) and holds nothing up: the
// caller carries on, and the sweep tries the minute again while r is active.
// It returns how many minutes it charged.
func (s *Service) chargeUpTo(ctx context.Context, tx *db.Tx, r *Reading, target int64, now time.Time) (int64, error) {
	if target <= r.BilledMinutes {
		return 0, nil
	}
	got, err := s.charge(ctx, tx, []*Reading{r}, []int64{target}, 0, now)
	if err != nil {
		return 0, err
	}
	if got[0].short {
		return got[0].minutes, s.pauseForFunds(ctx, tx, r, got[0].pauseReason(), now)
	}
	return got[0].minutes, s.maybeWarn(ctx, tx, r)
}

// outcome is what charging one reading did.
type outcome struct {
	minutes int64 // minutes charged
	short   bool  // the wallet could not pay the next minute
	limit   bool  // … because of the client's spending limit (WAL-11)
	flagged bool  // BillingProblem was set, changed or cleared
}

// pauseReason is why a short reading pauses.
func (o outcome) pauseReason() string {
	if o.limit {
		return PauseSpendingLimit
	}
	return PauseLowBalance
}

// charge charges each reading rs[i] its minutes up to targets[i], crediting
// the platform through revenue shard shard. It posts in rounds — the next
// minute of every reading still owing one, in one ledger batch — so a
// reading's charges stop at its first refused minute and no later minute of
// it moves money (OD-5); most sweeps need one round. A minute the wallet
// cannot pay leaves the reading short, for the caller to pause (OD-6). A
// minute refused for any other reason — its key already used by a different
// transfer, an account at its ceiling — is that reading's problem alone:
// its billing stops there, and it is flagged for admins with the reason and
// logged (flagUnbillable); the next attempt tries the minute again. A
// reading charged all its due minutes loses its flag. Only a database
// failure is an error, after which tx must be rolled back.
func (s *Service) charge(ctx context.Context, tx *db.Tx, rs []*Reading, targets []int64, shard int, now time.Time) ([]outcome, error) {
	out := make([]outcome, len(rs))
	var owing []int
	for i, r := range rs {
		if r.BilledMinutes < targets[i] {
			owing = append(owing, i)
		}
	}
	for len(owing) > 0 {
		ts := make([]ledger.Transfer, len(owing))
		for k, i := range owing {
			ts[k] = minuteTransfer(rs[i], rs[i].BilledMinutes, shard)
		}
		_, errs, err := s.Ledger.PostBatch(ctx, tx, ts)
		if err != nil {
			return nil, err
		}
		var next []int
		for k, i := range owing {
			r := rs[i]
			switch {
			case errs[k] == nil:
				r.BilledMinutes++
				r.TotalCents += r.RateCents
				r.ReaderEarningsCents += r.ReaderShare()
				out[i].minutes++
				if r.BilledMinutes < targets[i] {
					next = append(next, i)
				} else if r.BillingProblem != "" {
					r.BillingProblem, r.BillingProblemAt = "", time.Time{}
					out[i].flagged = true
				}
			case apperr.CodeOf(errs[k]) == apperr.InsufficientFunds:
				out[i].short, out[i].limit = true, limits.IsRefusal(errs[k])
			default:
				out[i].flagged = s.flagUnbillable(r, errs[k], now)
			}
		}
		owing = next
	}
	return out, nil
}

// flagUnbillable records on r, for admins, that the ledger refused its next
// minute and why, and logs it; it reports whether the flag changed. The
// flag keeps the time the problem was first seen, and a problem already
// flagged is not logged again on every sweep.
func (s *Service) flagUnbillable(r *Reading, refused error, now time.Time) bool {
	reason := fmt.Sprintf("Minute %d: %v", r.BilledMinutes+1, refused)
	if reason == r.BillingProblem {
		return false
	}
	if r.BillingProblem == "" {
		r.BillingProblemAt = now
	}
	r.BillingProblem = reason
	s.Log.Warn("reading cannot be billed; skipped and flagged for admins", "reading", r.ID, "minute", r.BilledMinutes+1, "reason", refused)
	return true
}

// pauseForFunds stops r at the start of its first unpaid minute, for
// reason: the balance is low, or the client's spending limit is reached.
func (s *Service) pauseForFunds(ctx context.Context, tx *db.Tx, r *Reading, reason string, now time.Time) error {
	r.ActiveMS = min(r.ActiveTime(now).Milliseconds(), r.BilledMinutes*r.Period.Milliseconds())
	r.ActiveSince = time.Time{}
	if r.State != Active && r.State != Reconnecting {
		return nil
	}
	r.PauseReason = reason
	note := "balance below one minute"
	if reason == PauseSpendingLimit {
		note = "spending limit reached"
	}
	if err := transition(ctx, tx, r, EventLowBalance, note, now); err != nil {
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
