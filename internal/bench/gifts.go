package bench

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"log/slog"
	mrand "math/rand/v2"
	"os"
	"sync"
	"sync/atomic"
	"time"

	"github.com/soulseer/soulseer/internal/account"
	"github.com/soulseer/soulseer/internal/apperr"
	"github.com/soulseer/soulseer/internal/clock"
	"github.com/soulseer/soulseer/internal/db"
	"github.com/soulseer/soulseer/internal/ledger"
	"github.com/soulseer/soulseer/internal/live"
	"github.com/soulseer/soulseer/internal/realtime"
)

// GiftOptions configure the gifts benchmark.
type GiftOptions struct {
	DatabaseURL string        // a PostgreSQL server (any database on it); empty runs SQLite only
	Duration    time.Duration // length of each measurement
	Workers     int           // concurrent senders
	Senders     int           // funded viewers sending gifts
	Readers     int           // readers live at once, each with a stream
}

// DefaultGiftOptions are the settings docs/benchmarks.md reports.
func DefaultGiftOptions() GiftOptions {
	return GiftOptions{Duration: 10 * time.Second, Workers: 8, Senders: 1000, Readers: 1000}
}

// Gifts measures gifts per second through the real live.SendGift, sent by
// opt.Workers goroutines from opt.Senders funded viewers: into one
// reader's stream (one hot earnings account), then spread over opt.Readers
// readers' streams; and, in the same run, plain ledger transfers from the
// same wallets to the same readers' earnings, spread over them (wallet to
// earnings, as the ledger benchmark posts: no account shared by all). It runs on SQLite in
// a temporary directory and, given a PostgreSQL server, in a scratch
// database there. The last line for each engine is the ratio of gifts/s
// into one stream to ledger transfers/s spread over the readers: how much
// one busy stream is held back by its single earnings account.
func Gifts(ctx context.Context, opt GiftOptions, out io.Writer) error {
	dir, err := os.MkdirTemp("", "soulseer-bench-")
	if err != nil {
		return fmt.Errorf("bench: %w", err)
	}
	defer os.RemoveAll(dir)
	lite, err := db.Open(ctx, "", dir, opt.Workers)
	if err != nil {
		return fmt.Errorf("bench: %w", err)
	}
	err = giftCases(ctx, lite, opt, "SQLite", cpuMeter{}, out)
	lite.Close()
	if err != nil || opt.DatabaseURL == "" {
		if err == nil {
			fmt.Fprintln(out, "no PostgreSQL server given (DATABASE_URL or -database-url): PostgreSQL skipped")
		}
		return err
	}
	server, err := connectServer(ctx, opt.DatabaseURL, out)
	if err != nil {
		return err
	}
	defer server.Close()
	pg, name, done, err := openScratch(ctx, server, opt.DatabaseURL, opt.Workers)
	if err != nil {
		return err
	}
	defer done()
	return giftCases(ctx, pg, opt, "PostgreSQL", cpuMeter{server: server, dbname: name}, out)
}

// cpuMeter measures the CPU a measurement costs: this process's and, on
// PostgreSQL, the server's backends serving dbname (SQLite has no server).
type cpuMeter struct {
	server *sql.DB
	dbname string
}

// measure runs f and returns its rate with the CPU per call it cost.
func (m cpuMeter) measure(ctx context.Context, f func() (rate float64, calls int64, err error)) (float64, cpuCost, error) {
	var pg *serverCPU
	if m.server != nil {
		pg = startServerCPU(ctx, m.server, m.dbname)
	}
	self := selfCPU()
	rate, n, err := f()
	var c cpuCost
	used, known := time.Duration(0), true
	if pg != nil {
		used, known = pg.total(ctx)
	}
	c.add(used, selfCPU()-self, known, float64(n))
	return rate, c, err
}

// giftCases seeds d and prints the three measurements and the ratio, each
// with the CPU per gift or transfer it cost (the server's and SoulSeer's),
// which other load on a shared machine moves less than the rates.
func giftCases(ctx context.Context, d *db.DB, opt GiftOptions, engine string, m cpuMeter, out io.Writer) error {
	if err := d.Migrate(ctx, slog.New(slog.DiscardHandler), nil); err != nil {
		return fmt.Errorf("bench: %w", err)
	}
	l := &ledger.Ledger{DB: d, Clock: clock.System{}}
	svc := &live.Service{DB: d, Clock: clock.System{}, Ledger: l, Hub: realtime.NewHub(nil, nil), Log: slog.New(slog.DiscardHandler),
		Config: live.Config{PlatformSharePct: 30, PresenceTimeout: time.Hour, Grace: time.Hour}}
	if err := seedUsers(ctx, d, l, opt.Senders, opt.Readers, 1_000_00, db.Millis(time.Now())); err != nil {
		return err
	}
	streams := make([]int64, opt.Readers)
	for i := range streams {
		st, err := svc.Start(ctx, account.User{ID: int64(opt.Senders + 1 + i), Role: account.RoleReader},
			live.StartInput{Title: fmt.Sprintf("Bench stream %d", i), Visibility: "public"})
		if err != nil {
			return fmt.Errorf("bench: start stream: %w", err)
		}
		streams[i] = st.ID
	}
	gifts, err := svc.Gifts(ctx, false)
	if err != nil || len(gifts) == 0 {
		return fmt.Errorf("bench: gift catalog: %d gifts, %w", len(gifts), err)
	}
	gift := gifts[0].ID
	run := newRunID()
	hot, hotCPU, err := m.measure(ctx, func() (float64, int64, error) {
		return giftRate(ctx, opt, func(rng *mrand.Rand, key string) error {
			return sendGift(ctx, svc, rng, opt, streams[0], gift, key)
		}, run+"-hot")
	})
	if err != nil {
		return err
	}
	spread, spreadCPU, err := m.measure(ctx, func() (float64, int64, error) {
		return giftRate(ctx, opt, func(rng *mrand.Rand, key string) error {
			return sendGift(ctx, svc, rng, opt, streams[rng.IntN(len(streams))], gift, key)
		}, run+"-spread")
	})
	if err != nil {
		return err
	}
	plain, plainCPU, err := m.measure(ctx, func() (float64, int64, error) {
		return giftRate(ctx, opt, func(rng *mrand.Rand, key string) error {
			_, err := l.Transfer(ctx, ledger.Transfer{Key: key, Type: ledger.TypeGift, CauseType: "bench", Postings: []ledger.Posting{
				{Account: ledger.Wallet(int64(1 + rng.IntN(opt.Senders))), Amount: -100},
				{Account: ledger.Earnings(int64(opt.Senders + 1 + rng.IntN(opt.Readers))), Amount: 100}}})
			return err
		}, run+"-plain")
	})
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "gifts on %s, %d senders, %d workers, into 1 stream: %.0f gifts/s (%s)\n", engine, opt.Senders, opt.Workers, hot, hotCPU.perTx())
	fmt.Fprintf(out, "gifts on %s, spread over %d streams: %.0f gifts/s (%s)\n", engine, opt.Readers, spread, spreadCPU.perTx())
	fmt.Fprintf(out, "ledger transfers on %s, spread over %d readers: %.0f transfers/s (%s)\n", engine, opt.Readers, plain, plainCPU.perTx())
	fmt.Fprintf(out, "ratio gifts into 1 stream / transfers over %d readers on %s: %.2f (by CPU per call: %.2f)\n",
		opt.Readers, engine, hot/plain, plainCPU.total()/hotCPU.total())
	return nil
}

// sendGift sends one of gift from a random sender to stream.
func sendGift(ctx context.Context, svc *live.Service, rng *mrand.Rand, opt GiftOptions, stream, gift int64, key string) error {
	sender := account.User{ID: int64(1 + rng.IntN(opt.Senders)), DisplayName: "bench", Role: account.RoleClient}
	_, _, err := svc.SendGift(ctx, sender, stream, live.SendInput{GiftID: gift, Quantity: 1, IdempotencyKey: key})
	return err
}

// giftRate runs send from opt.Workers goroutines for opt.Duration, each
// call with a fresh key, and returns the calls per second that succeeded
// and how many did.
func giftRate(ctx context.Context, opt GiftOptions, send func(rng *mrand.Rand, key string) error, run string) (float64, int64, error) {
	var done atomic.Int64
	var failed error
	var once sync.Once
	var wg sync.WaitGroup
	start := time.Now()
	deadline := start.Add(opt.Duration)
	for worker := range opt.Workers {
		wg.Go(func() {
			rng := mrand.New(mrand.NewPCG(uint64(worker), uint64(start.UnixNano())))
			for n := 0; time.Now().Before(deadline) && ctx.Err() == nil; n++ {
				if err := send(rng, fmt.Sprintf("bench-%s-%d-%d", run, worker, n)); err != nil {
					once.Do(func() { failed = err })
					return
				}
				done.Add(1)
			}
		})
	}
	wg.Wait()
	took := time.Since(start)
	if failed != nil {
		return 0, 0, fmt.Errorf("bench: send failed (%s): %w", apperr.CodeOf(failed), failed)
	}
	if done.Load() == 0 {
		return 0, 0, errors.New("bench: nothing was sent")
	}
	return float64(done.Load()) / took.Seconds(), done.Load(), ctx.Err()
}
