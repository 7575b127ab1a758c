package bench

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"time"

	"github.com/soulseer/soulseer/internal/clock"
	"github.com/soulseer/soulseer/internal/db"
	"github.com/soulseer/soulseer/internal/ledger"
	"github.com/soulseer/soulseer/internal/reader"
	"github.com/soulseer/soulseer/internal/reading"
	"github.com/soulseer/soulseer/internal/realtime"
)

// BillingOptions configure the billing benchmark.
type BillingOptions struct {
	DatabaseURL string // a PostgreSQL server (any database on it); empty runs SQLite only
	Readings    []int  // sweep sizes: active readings each owing one minute
	Batch       int    // readings billed per transaction (the app's SweepBatch)
	Sweepers    int    // parallel billing transactions on PostgreSQL (SQLite has one writer)
	Pgbench     string
	Workers     int           // pgbench clients
	Duration    time.Duration // pgbench run
}

// DefaultBillingOptions are the settings docs/benchmarks.md reports.
func DefaultBillingOptions() BillingOptions {
	return BillingOptions{Readings: []int{10_000, 100_000}, Batch: reading.DefaultSweepBatch, Sweepers: reading.DefaultSweepWorkers,
		Pgbench: "pgbench", Workers: 8, Duration: 10 * time.Second}
}

// Billing measures one billing sweep of the real reading.Service over many
// active readings that each owe one minute — on SQLite in a temporary
// directory and, given a PostgreSQL server, in a scratch database there —
// and pgbench's TPC-B-like run on the same server. It prints the sweep time
// and charges per second of each case and, last, the ratio of charges per
// second (largest PostgreSQL case) to pgbench's transactions per second.
func Billing(ctx context.Context, opt BillingOptions, out io.Writer) error {
	dir, err := os.MkdirTemp("", "soulseer-bench-")
	if err != nil {
		return fmt.Errorf("bench: %w", err)
	}
	defer os.RemoveAll(dir)
	for _, n := range opt.Readings {
		lite, err := db.Open(ctx, "", dir+fmt.Sprintf("/sqlite-%d", n), 8)
		if err != nil {
			return fmt.Errorf("bench: %w", err)
		}
		took, charged, err := billingCase(ctx, lite, opt, n)
		lite.Close()
		if err != nil {
			return err
		}
		fmt.Fprintf(out, "billing sweep on SQLite, %d readings: %.2f s, %d charges, %.0f charges/s\n", n, took.Seconds(), charged, float64(charged)/took.Seconds())
	}
	if opt.DatabaseURL == "" {
		fmt.Fprintln(out, "no PostgreSQL server given (DATABASE_URL or -database-url): PostgreSQL and pgbench skipped")
		return nil
	}
	server, err := connectServer(ctx, opt.DatabaseURL, out)
	if err != nil {
		return err
	}
	defer server.Close()
	var last float64
	for _, n := range opt.Readings {
		pg, _, done, err := openScratch(ctx, server, opt.DatabaseURL, 8)
		if err != nil {
			return err
		}
		took, charged, err := billingCase(ctx, pg, opt, n)
		done()
		if err != nil {
			return err
		}
		last = float64(charged) / took.Seconds()
		fmt.Fprintf(out, "billing sweep on PostgreSQL, %d readings: %.2f s, %d charges, %.0f charges/s\n", n, took.Seconds(), charged, last)
	}
	ref, err := scratch(ctx, server, opt.DatabaseURL, "soulseer_pgbench_")
	if err != nil {
		return err
	}
	defer ref.drop()
	pgb := pgbench{opt: LedgerOptions{Workers: opt.Workers, Pgbench: opt.Pgbench}, db: ref}
	if err := pgb.init(ctx); err != nil {
		return err
	}
	tps, _, err := pgb.run(ctx, opt.Duration)
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "pgbench -b tpcb-like -s 10 -c %d -j 2 -T %.0f: %.0f tps\n", opt.Workers, opt.Duration.Seconds(), tps)
	fmt.Fprintf(out, "ratio charges/s ÷ pgbench tps (%d readings): %.2f\n", opt.Readings[len(opt.Readings)-1], last/tps)
	return nil
}

// billingCase creates n active readings (n clients, n readers) that each owe their second minute,
// runs one sweep and returns how long it took and how many minutes it
// charged.
func billingCase(ctx context.Context, d *db.DB, opt BillingOptions, n int) (time.Duration, int, error) {
	if err := d.Migrate(ctx, slog.New(slog.DiscardHandler), nil); err != nil {
		return 0, 0, fmt.Errorf("bench: %w", err)
	}
	// Readings started a billed minute and a second ago owe exactly their
	// second minute; a long period keeps it so however long seeding takes.
	const period = time.Hour
	clk := clock.System{}
	l := &ledger.Ledger{DB: d, Clock: clk}
	readers := n // a reader runs one reading at a time
	if err := seedReadings(ctx, d, l, n, readers, period); err != nil {
		return 0, 0, err
	}
	svc := &reading.Service{DB: d, Clock: clk, Ledger: l, Hub: realtime.NewHub(nil, nil),
		Readers: &reader.Service{DB: d, Clock: clk}, Log: slog.New(slog.DiscardHandler),
		Config: reading.Config{Period: period, PlatformSharePct: 30, RequestTTL: time.Minute, Grace: 5 * time.Minute,
			PresenceTimeout: time.Hour, ReconnectLimit: 5, ReconnectWindow: 10 * time.Minute, SweepBatch: opt.Batch, SweepWorkers: 1}}
	if d.Engine == db.Postgres {
		svc.Config.SweepWorkers = opt.Sweepers
	}
	start := time.Now()
	st, err := svc.Sweep(ctx)
	took := time.Since(start)
	if err != nil {
		return 0, 0, fmt.Errorf("bench: sweep: %w", err)
	}
	if st.Charges != n {
		return 0, 0, fmt.Errorf("bench: the sweep charged %d minutes, want %d", st.Charges, n)
	}
	return took, st.Charges, nil
}

// seedReadings inserts users, funded wallets and n active readings started a
// period and a second ago (one minute already billed), spread over readers
// readers.
func seedReadings(ctx context.Context, d *db.DB, l *ledger.Ledger, n, readers int, period time.Duration) error {
	at := db.Millis(time.Now().Add(-period - time.Second))
	if err := seedUsers(ctx, d, l, n, readers, 10_000, at); err != nil {
		return err
	}
	users := make([]int64, n)
	for i := range users {
		users[i] = int64(i + 1)
	}
	err := d.Tx(ctx, func(tx *db.Tx) error {
		for _, chunk := range db.Chunks(users, 3) {
			args := make([]any, 0, 3*len(chunk))
			for _, id := range chunk {
				args = append(args, id, int64(n)+1+(id-1)%int64(readers), at)
			}
			if _, err := tx.ExecContext(ctx, `INSERT INTO readings (client_id, reader_id, modality, rate_cents, platform_share_pct, period_ms, state,
				activated_at, active_since, billed_minutes, next_charge_at, total_cents, reader_earnings_cents, client_seen_at, reader_seen_at,
				created_at, updated_at)
				SELECT v.column1, v.column2, 'text', 100, 30, `+fmt.Sprint(period.Milliseconds())+`, 'active', v.column3, v.column3, 1,
				v.column3 + `+fmt.Sprint(period.Milliseconds())+`, 100, 70, v.column3 + 3600000, v.column3 + 3600000, v.column3, v.column3
				FROM (VALUES `+db.Values(len(chunk), 3, true)+`) AS v`, args...); err != nil {
				return fmt.Errorf("bench: readings: %w", err)
			}
		}
		return nil
	})
	if err != nil {
		return err
	}
	if err := chargeFirstMinutes(ctx, d, l); err != nil {
		return err
	}
	// A real database keeps its statistics current (autovacuum, or SQLite's
	// optimize); freshly loaded tables need them gathered once.
	_, err = d.Writer.ExecContext(ctx, "ANALYZE")
	return err
}

// valuesTyped is a VALUES list of (id, text, text, ms) rows for the users insert.
func valuesTyped(n int) string {
	var b []byte
	for i := range n {
		if i > 0 {
			b = append(b, ", "...)
		}
		p := 4*i + 1
		b = fmt.Appendf(b, "(CAST($%d AS BIGINT), CAST($%d AS TEXT), CAST($%d AS TEXT), CAST($%d AS BIGINT))", p, p+1, p+2, p+3)
	}
	return string(b)
}

// chargeFirstMinutes posts every seeded reading's first minute, as accepting
// it would have, so the sweep finds the ledger as it would be in service:
// the readers' earnings accounts exist and each reading's next minute is due.
func chargeFirstMinutes(ctx context.Context, d *db.DB, l *ledger.Ledger) error {
	rows, err := d.Read().QueryContext(ctx, `SELECT id, client_id, reader_id FROM readings ORDER BY id`)
	if err != nil {
		return fmt.Errorf("bench: readings: %w", err)
	}
	var ts []ledger.Transfer
	for rows.Next() {
		var id, client, rdr int64
		if err := rows.Scan(&id, &client, &rdr); err != nil {
			rows.Close()
			return err
		}
		ts = append(ts, ledger.Transfer{Key: fmt.Sprintf("reading:%d:minute:0", id), Type: ledger.TypeReadingCharge,
			CauseType: "reading", CauseID: fmt.Sprint(id), Postings: []ledger.Posting{
				{Account: ledger.Wallet(client), Amount: -100}, {Account: ledger.Earnings(rdr), Amount: 70},
				{Account: ledger.PlatformRevenue(), Amount: 30}}})
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	for _, chunk := range db.Chunks(ts, 15) {
		if err := d.Tx(ctx, func(tx *db.Tx) error {
			_, errs, err := l.PostBatch(ctx, tx, chunk)
			return errors.Join(append(errs, err)...)
		}); err != nil {
			return fmt.Errorf("bench: first minutes: %w", err)
		}
	}
	return nil
}

// seedUsers inserts clients clients (ids 1 … clients), each with fund cents
// in their wallet, and readers verified readers after them (text at $1 a
// minute), all created at at, into a fresh database.
func seedUsers(ctx context.Context, d *db.DB, l *ledger.Ledger, clients, readers int, fund int64, at int64) error {
	users := make([]int64, clients+readers)
	for i := range users {
		users[i] = int64(i + 1)
	}
	err := d.Tx(ctx, func(tx *db.Tx) error {
		for _, chunk := range db.Chunks(users, 4) {
			args := make([]any, 0, 4*len(chunk))
			for _, id := range chunk {
				role := "client"
				if id > int64(clients) {
					role = "reader"
				}
				args = append(args, id, fmt.Sprintf("u%d@bench.test", id), role, at)
			}
			if _, err := tx.ExecContext(ctx, `INSERT INTO users (id, email, display_name, role, created_at, updated_at)
				SELECT v.column1, v.column2, v.column2, v.column3, v.column4, v.column4 FROM (VALUES `+valuesTyped(len(chunk))+`) AS v`, args...); err != nil {
				return fmt.Errorf("bench: users: %w", err)
			}
		}
		for _, chunk := range db.Chunks(users[clients:], 2) {
			args := make([]any, 0, 2*len(chunk))
			for _, id := range chunk {
				args = append(args, id, at)
			}
			if _, err := tx.ExecContext(ctx, `INSERT INTO reader_profiles (user_id, status_changed_at, created_at, updated_at, rate_text_cents, is_verified)
				SELECT v.column1, v.column2, v.column2, v.column2, 100, TRUE FROM (VALUES `+db.Values(len(chunk), 2, true)+`) AS v`, args...); err != nil {
				return fmt.Errorf("bench: readers: %w", err)
			}
		}
		return nil
	})
	if err != nil {
		return err
	}
	for _, chunk := range db.Chunks(users[:clients], 200) {
		ts := make([]ledger.Transfer, len(chunk))
		for i, id := range chunk {
			ts[i] = ledger.Transfer{Key: fmt.Sprintf("bench-fund-%d", id), Type: ledger.TypeTopUp, CauseType: "bench",
				Postings: []ledger.Posting{{Account: ledger.StripeClearing(), Amount: -fund}, {Account: ledger.Wallet(id), Amount: fund}}}
		}
		if err := d.Tx(ctx, func(tx *db.Tx) error {
			_, errs, err := l.PostBatch(ctx, tx, ts)
			return errors.Join(append(errs, err)...)
		}); err != nil {
			return fmt.Errorf("bench: fund: %w", err)
		}
	}
	return nil
}
