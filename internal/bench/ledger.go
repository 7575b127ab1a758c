// Package bench measures SoulSeer's money path on a real database and sets
// it beside a reference run on the same server. Benchmarks print figures;
// they are never timed assertions in tests.
package bench

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"log/slog"
	mrand "math/rand/v2"
	"net/url"
	"os"
	"os/exec"
	"regexp"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"github.com/soulseer/soulseer/internal/apperr"
	"github.com/soulseer/soulseer/internal/clock"
	"github.com/soulseer/soulseer/internal/db"
	"github.com/soulseer/soulseer/internal/ledger"
)

// LedgerOptions configure the ledger benchmark.
type LedgerOptions struct {
	DatabaseURL string        // a PostgreSQL server (any database on it); empty runs SQLite only
	Duration    time.Duration // length of each measurement
	Workers     int           // concurrent posters, and pgbench clients
	Wallets     int           // funded wallets in the spread-out case
	Readers     int           // earnings accounts receiving the transfers
	Pgbench     string        // the pgbench binary
}

// DefaultLedgerOptions are the settings docs/benchmarks.md reports.
func DefaultLedgerOptions() LedgerOptions {
	return LedgerOptions{Duration: 10 * time.Second, Workers: 8, Wallets: 1000, Readers: 100, Pgbench: "pgbench"}
}

// Ledger measures transfers per second through the real ledger.Transfer —
// random wallet → earnings transfers by opt.Workers goroutines over
// opt.Wallets funded wallets, then over one hot wallet — on SQLite in a
// temporary directory and, given a PostgreSQL server, in a scratch database
// there; then pgbench's TPC-B-like run (scale 10) in another scratch
// database on the same server. The last line printed is the ratio of ours
// to pgbench for the spread-out case. Scratch databases are dropped.
func Ledger(ctx context.Context, opt LedgerOptions, out io.Writer) error {
	dir, err := os.MkdirTemp("", "soulseer-bench-")
	if err != nil {
		return fmt.Errorf("bench: %w", err)
	}
	defer os.RemoveAll(dir)
	lite, err := db.Open(ctx, "", dir, opt.Workers)
	if err != nil {
		return fmt.Errorf("bench: %w", err)
	}
	tps, err := ledgerCase(ctx, lite, opt, opt.Wallets)
	lite.Close()
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "ledger on SQLite, %d wallets, %d workers: %.0f transfers/s\n", opt.Wallets, opt.Workers, tps)
	if opt.DatabaseURL == "" {
		fmt.Fprintln(out, "no PostgreSQL server given (DATABASE_URL or -database-url): PostgreSQL and pgbench skipped")
		return nil
	}

	server, err := sql.Open("pgx", opt.DatabaseURL)
	if err != nil {
		return fmt.Errorf("bench: %w", err)
	}
	defer server.Close()
	var version string
	if err := server.QueryRowContext(ctx, "SHOW server_version").Scan(&version); err != nil {
		return fmt.Errorf("bench: connect to PostgreSQL: %w", err)
	}
	fmt.Fprintf(out, "PostgreSQL %s\n", version)
	ours, err := scratch(ctx, server, opt.DatabaseURL, "soulseer_bench_")
	if err != nil {
		return err
	}
	defer ours.drop()
	pg, err := db.Open(ctx, ours.url, "", opt.Workers)
	if err != nil {
		return fmt.Errorf("bench: %w", err)
	}
	defer pg.Close()
	spread, err := ledgerCase(ctx, pg, opt, opt.Wallets)
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "ledger on PostgreSQL, %d wallets, %d workers: %.0f transfers/s\n", opt.Wallets, opt.Workers, spread)
	hot, err := ledgerCase(ctx, pg, opt, 1)
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "ledger on PostgreSQL, 1 hot wallet, %d workers: %.0f transfers/s\n", opt.Workers, hot)
	if err := pg.Close(); err != nil {
		return fmt.Errorf("bench: %w", err)
	}

	ref, err := scratch(ctx, server, opt.DatabaseURL, "soulseer_pgbench_")
	if err != nil {
		return err
	}
	defer ref.drop()
	pgb, err := pgbench(ctx, opt, ref)
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "pgbench -b tpcb-like -s 10 -c %d -j 2 -T %.0f: %.0f tps\n", opt.Workers, opt.Duration.Seconds(), pgb)
	fmt.Fprintf(out, "ratio ours/pgbench (%d wallets): %.2f\n", opt.Wallets, spread/pgb)
	return nil
}

// ledgerCase migrates d (if needed), funds wallets wallets and opt.Readers
// readers' earnings, and returns the transfers per second opt.Workers
// goroutines achieve with random wallet → earnings transfers for
// opt.Duration. Wallets and keys are numbered apart per case, so cases can
// share a database.
func ledgerCase(ctx context.Context, d *db.DB, opt LedgerOptions, wallets int) (float64, error) {
	if err := d.Migrate(ctx, slog.New(slog.DiscardHandler), nil); err != nil {
		return 0, fmt.Errorf("bench: %w", err)
	}
	l := &ledger.Ledger{DB: d, Clock: clock.System{}}
	run := newRunID()
	base := int64(mrand.IntN(1_000_000)+1) * 10_000 // this case's user ids
	funding := make([]ledger.Transfer, wallets)
	for w := range funding {
		funding[w] = ledger.Transfer{Key: fmt.Sprintf("bench-%s-fund-%d", run, w), Type: ledger.TypeTopUp, CauseType: "bench",
			Postings: []ledger.Posting{{Account: ledger.StripeClearing(), Amount: -1_000_000_00}, {Account: ledger.Wallet(base + int64(w)), Amount: 1_000_000_00}}}
	}
	err := d.Tx(ctx, func(tx *db.Tx) error {
		_, errs, err := l.PostBatch(ctx, tx, funding)
		return errors.Join(append(errs, err)...)
	})
	if err != nil {
		return 0, fmt.Errorf("bench: fund wallets: %w", err)
	}
	var done atomic.Int64
	var failed error
	var once sync.Once
	var wg sync.WaitGroup
	deadline := time.Now().Add(opt.Duration)
	start := time.Now()
	for worker := range opt.Workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			rng := mrand.New(mrand.NewPCG(uint64(worker), uint64(base)))
			for n := 0; time.Now().Before(deadline) && ctx.Err() == nil; n++ {
				amount := rng.Int64N(100) + 1
				_, err := l.Transfer(ctx, ledger.Transfer{
					Key:  fmt.Sprintf("bench-%s-%d-%d", run, worker, n),
					Type: ledger.TypeReadingCharge, CauseType: "bench",
					Postings: []ledger.Posting{
						{Account: ledger.Wallet(base + rng.Int64N(int64(wallets))), Amount: -amount},
						{Account: ledger.Earnings(base + rng.Int64N(int64(opt.Readers))), Amount: amount},
					}})
				if err != nil {
					once.Do(func() { failed = err })
					return
				}
				done.Add(1)
			}
		}()
	}
	wg.Wait()
	elapsed := time.Since(start)
	if failed != nil {
		return 0, fmt.Errorf("bench: transfer failed (%s): %w", apperr.CodeOf(failed), failed)
	}
	if err := ctx.Err(); err != nil {
		return 0, err
	}
	return float64(done.Load()) / elapsed.Seconds(), nil
}

func newRunID() string {
	var b [4]byte
	_, _ = rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

// scratchDB is a database created for one measurement.
type scratchDB struct {
	name, url string
	drop      func()
}

// scratch creates an empty database on the server behind server and
// returns it with a function that drops it.
func scratch(ctx context.Context, server *sql.DB, serverURL, prefix string) (scratchDB, error) {
	name := prefix + newRunID()
	if _, err := server.ExecContext(ctx, "CREATE DATABASE "+name); err != nil {
		return scratchDB{}, fmt.Errorf("bench: create scratch database: %w", err)
	}
	u, err := url.Parse(serverURL)
	if err != nil {
		return scratchDB{}, fmt.Errorf("bench: database URL: %w", err)
	}
	u.Path = "/" + name
	return scratchDB{name: name, url: u.String(), drop: func() {
		_, _ = server.ExecContext(context.Background(), "DROP DATABASE IF EXISTS "+name+" WITH (FORCE)")
	}}, nil
}

var tpsLine = regexp.MustCompile(`tps = ([0-9.]+) \(without initial connection time\)`)

// pgbench initialises scale 10 in the scratch database and runs the TPC-B-like
// script with opt.Workers clients for opt.Duration, returning its tps.
func pgbench(ctx context.Context, opt LedgerOptions, target scratchDB) (float64, error) {
	u, err := url.Parse(target.url)
	if err != nil {
		return 0, fmt.Errorf("bench: database URL: %w", err)
	}
	env := os.Environ()
	if h := u.Hostname(); h != "" {
		env = append(env, "PGHOST="+h)
	}
	if p := u.Port(); p != "" {
		env = append(env, "PGPORT="+p)
	}
	if n := u.User.Username(); n != "" {
		env = append(env, "PGUSER="+n)
	}
	if pw, ok := u.User.Password(); ok {
		env = append(env, "PGPASSWORD="+pw)
	}
	if m := u.Query().Get("sslmode"); m != "" {
		env = append(env, "PGSSLMODE="+m)
	}
	run := func(args ...string) (string, error) {
		cmd := exec.CommandContext(ctx, opt.Pgbench, append(args, target.name)...)
		cmd.Env = env
		b, err := cmd.CombinedOutput()
		if err != nil {
			return "", fmt.Errorf("bench: %s %v: %w\n%s", opt.Pgbench, args, err, b)
		}
		return string(b), nil
	}
	if _, err := run("-i", "-s", "10", "-q"); err != nil {
		return 0, err
	}
	res, err := run("-b", "tpcb-like", "-c", strconv.Itoa(opt.Workers), "-j", "2", "-T", strconv.Itoa(int(opt.Duration.Seconds())))
	if err != nil {
		return 0, err
	}
	m := tpsLine.FindStringSubmatch(res)
	if m == nil {
		return 0, fmt.Errorf("bench: no tps in pgbench output:\n%s", res)
	}
	return strconv.ParseFloat(m[1], 64)
}
