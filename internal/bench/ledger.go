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
	Rounds      int           // the spread-out case and pgbench alternate in this many slices of Duration
	Workers     int           // concurrent posters, and pgbench clients
	Wallets     int           // funded wallets in the spread-out case
	Readers     int           // earnings accounts receiving the transfers
	Pgbench     string        // the pgbench binary
}

// DefaultLedgerOptions are the settings docs/benchmarks.md reports.
func DefaultLedgerOptions() LedgerOptions {
	return LedgerOptions{Duration: 10 * time.Second, Rounds: 1, Workers: 8, Wallets: 1000, Readers: 100, Pgbench: "pgbench"}
}

// Ledger measures transfers per second through the real ledger.Transfer —
// random wallet → earnings transfers by opt.Workers goroutines over
// opt.Wallets funded wallets, then over one hot wallet — on SQLite in a
// temporary directory and, given a PostgreSQL server, in a scratch database
// there; and pgbench's TPC-B-like run (scale 10) in another scratch database
// on the same server. With opt.Rounds > 1 the spread-out case and pgbench
// take turns in shorter slices, so that other load on the machine falls on
// both alike. The last line printed is the ratio of ours to pgbench for the
// spread-out case. Scratch databases are dropped.
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

	server, err := connectServer(ctx, opt.DatabaseURL, out)
	if err != nil {
		return err
	}
	defer server.Close()
	pg, ours, done, err := openScratch(ctx, server, opt.DatabaseURL, opt.Workers)
	if err != nil {
		return err
	}
	defer done()
	ref, err := scratch(ctx, server, opt.DatabaseURL, "soulseer_pgbench_")
	if err != nil {
		return err
	}
	defer ref.drop()
	spread, err := fund(ctx, pg, opt.Wallets)
	if err != nil {
		return err
	}
	pgb := pgbench{opt: opt, db: ref}
	if err := pgb.init(ctx); err != nil {
		return err
	}
	slice := opt.Duration / time.Duration(opt.Rounds)
	var oursN, refN float64
	var oursT, refT time.Duration
	var oursCPU, refCPU cpuCost
	for range opt.Rounds {
		meter, self := startServerCPU(ctx, server, ours), selfCPU()
		n, took, err := measure(ctx, spread, opt, slice)
		if err != nil {
			return err
		}
		used, known := meter.total(ctx)
		oursCPU.add(used, selfCPU()-self, known, float64(n))
		oursN, oursT = oursN+float64(n), oursT+took

		meter = startServerCPU(ctx, server, ref.name)
		tps, client, err := pgb.run(ctx, slice)
		if err != nil {
			return err
		}
		used, known = meter.total(ctx)
		refCPU.add(used, client, known, tps*slice.Seconds())
		refN, refT = refN+tps*slice.Seconds(), refT+slice
	}
	ourTPS, refTPS := oursN/oursT.Seconds(), refN/refT.Seconds()
	fmt.Fprintf(out, "ledger on PostgreSQL, %d wallets, %d workers: %.0f transfers/s (%s)\n", opt.Wallets, opt.Workers, ourTPS, oursCPU.perTx())
	hot, err := ledgerCase(ctx, pg, opt, 1)
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "ledger on PostgreSQL, 1 hot wallet, %d workers: %.0f transfers/s\n", opt.Workers, hot)
	fmt.Fprintf(out, "pgbench -b tpcb-like -s 10 -c %d -j 2 -T %.0f (%d× in turn with ours): %.0f tps (%s)\n",
		opt.Workers, slice.Seconds(), opt.Rounds, refTPS, refCPU.perTx())
	if oursCPU.known && refCPU.known {
		fmt.Fprintf(out, "CPU per transaction ours/pgbench: %.2f (below 1: ours costs less)\n", oursCPU.total()/refCPU.total())
	}
	fmt.Fprintf(out, "ratio ours/pgbench (%d wallets): %.2f\n", opt.Wallets, ourTPS/refTPS)
	return nil
}

// ledgerCase funds wallets wallets in d and returns the transfers per
// second measured over them for opt.Duration.
func ledgerCase(ctx context.Context, d *db.DB, opt LedgerOptions, wallets int) (float64, error) {
	w, err := fund(ctx, d, wallets)
	if err != nil {
		return 0, err
	}
	n, took, err := measure(ctx, w, opt, opt.Duration)
	if err != nil {
		return 0, err
	}
	return float64(n) / took.Seconds(), nil
}

// funded is a set of wallets with money to spend.
type funded struct {
	l       *ledger.Ledger
	run     string // keeps this set's keys apart from every other's
	base    int64  // user ids base … base+wallets-1
	wallets int
}

// fund migrates d (if needed) and tops up wallets fresh wallets with far
// more than any measurement spends.
func fund(ctx context.Context, d *db.DB, wallets int) (funded, error) {
	if err := d.Migrate(ctx, slog.New(slog.DiscardHandler), nil); err != nil {
		return funded{}, fmt.Errorf("bench: %w", err)
	}
	f := funded{l: &ledger.Ledger{DB: d, Clock: clock.System{}}, run: newRunID(),
		base: int64(mrand.IntN(1_000_000)+1) * 10_000, wallets: wallets}
	ts := make([]ledger.Transfer, wallets)
	for w := range ts {
		ts[w] = ledger.Transfer{Key: fmt.Sprintf("bench-%s-fund-%d", f.run, w), Type: ledger.TypeTopUp, CauseType: "bench",
			Postings: []ledger.Posting{{Account: ledger.StripeClearing(), Amount: -1_000_000_00}, {Account: ledger.Wallet(f.base + int64(w)), Amount: 1_000_000_00}}}
	}
	err := d.Tx(ctx, func(tx *db.Tx) error {
		_, errs, err := f.l.PostBatch(ctx, tx, ts)
		return errors.Join(append(errs, err)...)
	})
	if err != nil {
		return funded{}, fmt.Errorf("bench: fund wallets: %w", err)
	}
	return f, nil
}

// measure runs opt.Workers goroutines posting random wallet → earnings
// transfers through ledger.Transfer for d and returns how many committed
// and how long that took.
func measure(ctx context.Context, f funded, opt LedgerOptions, d time.Duration) (int64, time.Duration, error) {
	var done atomic.Int64
	var failed error
	var once sync.Once
	var wg sync.WaitGroup
	round := newRunID()
	start := time.Now()
	deadline := start.Add(d)
	for worker := range opt.Workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			rng := mrand.New(mrand.NewPCG(uint64(worker), uint64(start.UnixNano())))
			for n := 0; time.Now().Before(deadline) && ctx.Err() == nil; n++ {
				amount := rng.Int64N(100) + 1
				_, err := f.l.Transfer(ctx, ledger.Transfer{
					Key:  fmt.Sprintf("bench-%s-%s-%d-%d", f.run, round, worker, n),
					Type: ledger.TypeReadingCharge, CauseType: "bench",
					Postings: []ledger.Posting{
						{Account: ledger.Wallet(f.base + rng.Int64N(int64(f.wallets))), Amount: -amount},
						{Account: ledger.Earnings(f.base + rng.Int64N(int64(opt.Readers))), Amount: amount},
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
	took := time.Since(start)
	if failed != nil {
		return 0, 0, fmt.Errorf("bench: transfer failed (%s): %w", apperr.CodeOf(failed), failed)
	}
	return done.Load(), took, ctx.Err()
}

func newRunID() string {
	var b [4]byte
	_, _ = rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

// connectServer connects to the PostgreSQL server at serverURL and prints
// its version.
func connectServer(ctx context.Context, serverURL string, out io.Writer) (*sql.DB, error) {
	server, err := sql.Open("pgx", serverURL)
	if err != nil {
		return nil, fmt.Errorf("bench: %w", err)
	}
	var version string
	if err := server.QueryRowContext(ctx, "SHOW server_version").Scan(&version); err != nil {
		server.Close()
		return nil, fmt.Errorf("bench: connect to PostgreSQL: %w", err)
	}
	fmt.Fprintf(out, "PostgreSQL %s\n", version)
	return server, nil
}

// scratchDB is a database created for one measurement.
type scratchDB struct {
	name, url string
	drop      func()
}

// openScratch creates an empty database on the server behind server and
// opens it with at most conns connections; name is its name (to meter its
// backends), done closes and drops it.
func openScratch(ctx context.Context, server *sql.DB, serverURL string, conns int) (d *db.DB, name string, done func(), err error) {
	sc, err := scratch(ctx, server, serverURL, "soulseer_bench_")
	if err != nil {
		return nil, "", nil, err
	}
	d, err = db.Open(ctx, sc.url, "", conns)
	if err != nil {
		sc.drop()
		return nil, "", nil, fmt.Errorf("bench: %w", err)
	}
	return d, sc.name, func() { d.Close(); sc.drop() }, nil
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

// pgbench runs the pgbench binary against a scratch database.
type pgbench struct {
	opt LedgerOptions
	db  scratchDB
}

// init loads pgbench's tables at scale 10.
func (p pgbench) init(ctx context.Context) error {
	_, _, err := p.exec(ctx, "-i", "-s", "10", "-q")
	return err
}

// run runs the TPC-B-like script with opt.Workers clients for d and
// returns its transactions per second and the CPU time pgbench itself used.
func (p pgbench) run(ctx context.Context, d time.Duration) (tps float64, client time.Duration, err error) {
	res, client, err := p.exec(ctx, "-b", "tpcb-like", "-c", strconv.Itoa(p.opt.Workers), "-j", "2", "-T", strconv.Itoa(int(d.Seconds())))
	if err != nil {
		return 0, 0, err
	}
	m := tpsLine.FindStringSubmatch(res)
	if m == nil {
		return 0, 0, fmt.Errorf("bench: no tps in pgbench output:\n%s", res)
	}
	tps, err = strconv.ParseFloat(m[1], 64)
	return tps, client, err
}

// exec runs pgbench with args, reaching the server with the host, port,
// user, password and sslmode of the scratch database's URL, and returns its
// output and the CPU time it used.
func (p pgbench) exec(ctx context.Context, args ...string) (string, time.Duration, error) {
	u, err := url.Parse(p.db.url)
	if err != nil {
		return "", 0, fmt.Errorf("bench: database URL: %w", err)
	}
	env := os.Environ()
	if h := u.Hostname(); h != "" {
		env = append(env, "PGHOST="+h)
	}
	if port := u.Port(); port != "" {
		env = append(env, "PGPORT="+port)
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
	cmd := exec.CommandContext(ctx, p.opt.Pgbench, append(args, p.db.name)...)
	cmd.Env = env
	b, err := cmd.CombinedOutput()
	if err != nil {
		return "", 0, fmt.Errorf("bench: %s %v: %w\n%s", p.opt.Pgbench, args, err, b)
	}
	return string(b), rusageCPU(cmd.ProcessState), nil
}
