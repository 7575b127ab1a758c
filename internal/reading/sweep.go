package reading

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"sync"
	"time"

	"github.com/soulseer/soulseer/internal/account"
	"github.com/soulseer/soulseer/internal/apperr"
	"github.com/soulseer/soulseer/internal/db"
	"github.com/soulseer/soulseer/internal/ledger"
)

// SweepStats says what one sweep did.
type SweepStats struct {
	Readings int // readings charged
	Charges  int // minutes charged
	Paused   int // paused for low balance or a disconnect
	Resumed  int
	Ended    int // expired requests, grace expiries, abuse
}

func (a *SweepStats) add(b SweepStats) {
	a.Readings += b.Readings
	a.Charges += b.Charges
	a.Paused += b.Paused
	a.Resumed += b.Resumed
	a.Ended += b.Ended
}

// Sweep is the periodic billing job's work (OD-5): it charges every due
// minute of every active reading — in batches, a few statements per batch
// rather than per reading — and applies the time-based rules: unanswered
// requests expire (OD-4), silent parties are disconnected (OD-7), grace
// windows run out, and readings paused for low balance resume once the
// wallet covers a minute (OD-6). Running it twice, or on two instances at
// once, charges nothing extra: each minute has its own idempotency key and
// each batch locks its readings. One reading never stops the others: a
// reading the ledger refuses to bill is skipped and flagged (see charge),
// and billing runs even when an earlier step failed.
func (s *Service) Sweep(ctx context.Context) (SweepStats, error) {
	var st SweepStats
	now := s.Clock.Now()
	var errs []error
	for _, step := range []func(context.Context, time.Time) (SweepStats, error){s.expireRequests, s.checkPresence, s.expireGrace, s.resumeFunded} {
		got, err := step(ctx, now)
		st.add(got)
		errs = append(errs, err)
	}
	workers := max(s.Config.SweepWorkers, 1)
	shards := revenueShards(workers)
	stats := make([]SweepStats, workers)
	billErrs := make([]error, workers)
	var wg sync.WaitGroup
	for w := range workers {
		wg.Go(func() { stats[w], billErrs[w] = s.billShare(ctx, now, w, workers, shards[w]) })
	}
	wg.Wait()
	for w := range workers {
		st.add(stats[w])
	}
	return st, errors.Join(append(errs, billErrs...)...)
}

// revenueShards picks the platform revenue shard each of a sweep's workers
// credits: workers distinct shards (as long as there are enough) drawn at
// random, afresh for every sweep, from 1 to ledger.PlatformRevenueShards-1;
// shard 0 is left to charges made outside the sweep, such as End's. So the
// workers of one sweep never queue on one another's shard, and sweeps of
// instances running side by side — which agree on nothing — rarely do: two
// instances of 4 workers share 4×4/63 ≈ 0.25 shards on average, and never
// the same ones for long. The platform's revenue is the sum of all shards
// (ledger.Ledger.PlatformRevenueTotal).
func revenueShards(workers int) []int {
	free := rand.Perm(ledger.PlatformRevenueShards - 1)
	shards := make([]int, workers)
	for w := range shards {
		shards[w] = 1 + free[w%len(free)]
	}
	return shards
}

// billShare bills, batch after batch, the due readings whose id is worker
// modulo workers, crediting the platform through revenue shard shard.
func (s *Service) billShare(ctx context.Context, now time.Time, worker, workers, shard int) (SweepStats, error) {
	var st SweepStats
	var after int64
	for {
		got, last, err := s.billBatch(ctx, now, after, worker, workers, shard)
		if err != nil {
			return st, err
		}
		st.add(got)
		if last == 0 {
			return st, nil
		}
		after = last
	}
}

// ids returns the ids of readings matching where (with $1 = now).
func (s *Service) ids(ctx context.Context, where string, now time.Time) ([]int64, error) {
	rows, err := s.DB.Read().QueryContext(ctx, `SELECT id FROM readings r WHERE `+where+` ORDER BY id LIMIT 1000`, db.Millis(now))
	if err != nil {
		return nil, fmt.Errorf("reading: sweep: %w", err)
	}
	defer rows.Close()
	var out []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		out = append(out, id)
	}
	return out, rows.Err()
}

// each applies f to each reading matching where, one transaction each. A
// reading f refuses (an *apperr.Error, which rolls back its transaction) is
// skipped, so one reading never holds up the rest: expected refusals — its
// state moved on meanwhile (a Conflict), the wallet is short — quietly, any
// other logged with the reading and its reason.
func (s *Service) each(ctx context.Context, where string, now time.Time, f func(tx *db.Tx, r *Reading, now time.Time) (bool, error)) (int, error) {
	ids, err := s.ids(ctx, where, now)
	if err != nil {
		return 0, err
	}
	n := 0
	for _, id := range ids {
		var did bool
		_, err := s.modify(ctx, id, account.User{}, func(tx *db.Tx, r *Reading, _ Party, now time.Time) error {
			var err error
			did, err = f(tx, r, now)
			return err
		})
		switch code := apperr.CodeOf(err); {
		case code == apperr.Conflict || code == apperr.InsufficientFunds:
			continue
		case apperr.As(err) != nil:
			s.Log.Warn("billing sweep: reading skipped", "reading", id, "reason", err)
			continue
		case err != nil:
			return n, err
		}
		if did {
			n++
		}
	}
	return n, nil
}

func (s *Service) expireRequests(ctx context.Context, now time.Time) (SweepStats, error) {
	n, err := s.each(ctx, `r.state = 'waiting' AND r.expires_at < $1`, now, func(tx *db.Tx, r *Reading, now time.Time) (bool, error) {
		if r.State != Waiting || now.Before(r.ExpiresAt) {
			return false, nil
		}
		return true, s.end(ctx, tx, r, EventExpire, EndExpired, 0, now)
	})
	return SweepStats{Ended: n}, err
}

func (s *Service) checkPresence(ctx context.Context, now time.Time) (SweepStats, error) {
	cutoff := now.Add(-s.Config.PresenceTimeout)
	n, err := s.each(ctx, `r.state IN ('active', 'reconnecting') AND (r.client_seen_at < $1 OR r.reader_seen_at < $1)`, cutoff,
		func(tx *db.Tx, r *Reading, now time.Time) (bool, error) {
			gone := r.absent(cutoff)
			if gone == "" {
				return false, nil
			}
			return true, s.disconnect(ctx, tx, r, gone, now)
		})
	return SweepStats{Paused: n}, err
}

func (s *Service) expireGrace(ctx context.Context, now time.Time) (SweepStats, error) {
	n, err := s.each(ctx, `r.state = 'paused' AND r.grace_until < $1`, now, func(tx *db.Tx, r *Reading, now time.Time) (bool, error) {
		if r.State != Paused || r.GraceUntil.IsZero() || now.Before(r.GraceUntil) {
			return false, nil
		}
		return true, s.end(ctx, tx, r, EventGraceExpire, EndGraceExpired, 0, now)
	})
	return SweepStats{Ended: n}, err
}

func (s *Service) resumeFunded(ctx context.Context, now time.Time) (SweepStats, error) {
	n, err := s.each(ctx, `r.state = 'paused' AND r.pause_reason = 'low_balance' AND r.grace_until IS NULL AND r.updated_at <= $1`, now,
		func(tx *db.Tx, r *Reading, now time.Time) (bool, error) {
			if r.State != Paused || r.PauseReason != PauseLowBalance || !r.GraceUntil.IsZero() {
				return false, nil
			}
			bal, err := s.Ledger.Balance(ctx, tx, ledger.Wallet(r.ClientID))
			if err != nil || bal < r.RateCents {
				return false, err
			}
			return true, s.resume(ctx, tx, r, now)
		})
	return SweepStats{Resumed: n}, err
}

// billBatch charges the due minutes of up to SweepBatch active readings
// with ids above after, in one transaction, crediting the platform through
// revenue shard shard, and returns the last id it looked at (0 when there
// were no more). A reading the wallet cannot pay is paused (OD-6); a reading
// the ledger refuses for another reason is skipped and flagged (see charge)
// while the rest of the batch is billed and committed.
func (s *Service) billBatch(ctx context.Context, now time.Time, after int64, worker, workers, shard int) (SweepStats, int64, error) {
	var st SweepStats
	limit := max(s.Config.SweepBatch, 1)
	var last int64
	err := s.DB.Tx(ctx, func(tx *db.Tx) error {
		st, last = SweepStats{}, 0
		rows, err := tx.QueryContext(ctx, "SELECT "+readingColumns+readingFrom+
			` WHERE r.state = 'active' AND r.next_charge_at < $1 AND r.id > $2 AND r.id % $3 = $4 ORDER BY r.id LIMIT $5`+s.DB.SkipLockedOf("r"),
			db.Millis(now), after, workers, worker, limit)
		if err != nil {
			return fmt.Errorf("reading: bill: %w", err)
		}
		var batch []*Reading
		for rows.Next() {
			r, err := scanReading(rows)
			if err != nil {
				rows.Close()
				return err
			}
			batch = append(batch, &r)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		if len(batch) == 0 {
			return nil
		}
		last = batch[len(batch)-1].ID
		targets := make([]int64, len(batch))
		clients := make([]int64, len(batch))
		for i, r := range batch {
			targets[i], clients[i] = r.StartedMinutes(now), r.ClientID
		}
		got, err := s.charge(ctx, tx, batch, targets, shard, now)
		if err != nil {
			return err
		}
		balances, err := s.Ledger.WalletBalances(ctx, tx, clients)
		if err != nil {
			return err
		}
		var changed []*Reading
		for i, r := range batch {
			st.Charges += int(got[i].minutes)
			if got[i].minutes > 0 {
				st.Readings++
			}
			if got[i].short {
				if err := s.pauseForFunds(ctx, tx, r, got[i].pauseReason(), now); err != nil {
					return err
				}
				if err := save(ctx, tx, r, now); err != nil {
					return err
				}
				st.Paused++
				continue
			}
			if err := s.warnIfLow(tx, r, balances[r.ClientID]); err != nil {
				return err
			}
			if got[i].flagged { // rare: written with its flag
				if err := save(ctx, tx, r, now); err != nil {
					return err
				}
				continue
			}
			changed = append(changed, r)
		}
		return saveBilling(ctx, tx, changed, now)
	})
	return st, last, err
}

// saveBilling writes the billing fields of many readings in one statement
// per chunk.
func saveBilling(ctx context.Context, tx *db.Tx, rs []*Reading, now time.Time) error {
	const cols = 7
	for _, chunk := range db.Chunks(rs, cols) {
		args := make([]any, 0, len(chunk)*cols)
		for _, r := range chunk {
			r.NextChargeAt = r.nextCharge()
			args = append(args, r.ID, r.BilledMinutes, db.Millis(r.NextChargeAt), r.TotalCents, r.ReaderEarningsCents, r.WarnedMinute, db.Millis(now))
		}
		_, err := tx.ExecContext(ctx, `UPDATE readings SET billed_minutes = v.column2, next_charge_at = v.column3, total_cents = v.column4,
			reader_earnings_cents = v.column5, warned_minute = v.column6, updated_at = v.column7
			FROM (VALUES `+db.Values(len(chunk), cols, true)+`) AS v WHERE readings.id = v.column1`, args...)
		if err != nil {
			return fmt.Errorf("reading: save billing: %w", err)
		}
	}
	return nil
}

// RunSweeps sweeps every interval until ctx ends. Every instance runs it:
// sweeps are safe to run side by side (each minute has its own idempotency
// key; billing batches skip readings another sweep holds), and running it
// in-process rather than as a leader-elected periodic job means billing
// never waits for a new leader after a crash. See
// docs/decisions/0001-billing-sweep-in-every-instance.md.
func (s *Service) RunSweeps(ctx context.Context, interval time.Duration) {
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		st, err := s.Sweep(ctx)
		switch {
		case err != nil && ctx.Err() == nil:
			s.Log.Error("billing sweep", "err", err)
		case st.Charges+st.Paused+st.Resumed+st.Ended > 0:
			s.Log.Debug("billing sweep", "readings", st.Readings, "charges", st.Charges, "paused", st.Paused, "resumed", st.Resumed, "ended", st.Ended)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}
