// Command soulseer is the whole SoulSeer platform in one binary.
//
//	soulseer                      serve the site (web UI, API, background jobs)
//	soulseer migrate              apply database migrations and exit
//	soulseer user create …        create a user from the command line
//	soulseer demo                 load a living demo marketplace
//	soulseer ledger verify        prove every balance from the ledger's entries
//	soulseer bench ledger         measure transfers/s against pgbench
//
// Configuration comes from environment variables and flags; see the README.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"os"
	"os/signal"
	"runtime/pprof"
	"strings"
	"syscall"
	"time"

	"github.com/soulseer/soulseer/internal/account"
	"github.com/soulseer/soulseer/internal/app"
	"github.com/soulseer/soulseer/internal/bench"
	"github.com/soulseer/soulseer/internal/config"
	"github.com/soulseer/soulseer/internal/db"
	"github.com/soulseer/soulseer/internal/demo"
	"github.com/soulseer/soulseer/internal/ledger"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := run(ctx, os.Args[1:], os.Getenv, os.Stdout, os.Stderr)
	stop()
	if err != nil {
		fmt.Fprintln(os.Stderr, "soulseer:", err)
		os.Exit(1)
	}
}

const usage = `Usage:
  soulseer [flags]                  serve the site
  soulseer migrate [flags]          apply database migrations
  soulseer user create --email E --password P [--role client|reader|admin] [--name N]
  soulseer demo [flags]             load demo readers, clients and an admin
  soulseer ledger verify [flags]    check the ledger: transfers sum to zero, balances match entries
  soulseer reconcile --month YYYY-MM [flags]
                                    compare a month of top-ups with Stripe's charges
  soulseer bench ledger [-duration 10s] [-rounds 1] [-workers 8] [-wallets 1000] [-pgbench PATH] [-cpuprofile FILE] [flags]
                                    measure ledger transfers/s on SQLite and PostgreSQL beside pgbench
  soulseer bench billing [-readings 10000,100000] [-batch 2000] [flags]
                                    measure one billing sweep over many active readings beside pgbench
  soulseer bench gifts [-duration 10s] [-workers 8] [-senders 1000] [-readers 1000] [flags]
                                    measure gifts/s into one stream beside ledger transfers/s over many readers
  soulseer bench fanout [-viewers 10000] [-rate 5] [-senders 4] [-duration 30s] [-centrifugo PATH] [-cpuprofile FILE] [flags]
                                    measure one stream's chat reaching many WebSocket viewers, beside Centrifugo

Flags (each also an environment variable; see the README):
  -addr, -data-dir, -database-url, -base-url
`

func run(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	cmd := ""
	if len(args) > 0 && !strings.HasPrefix(args[0], "-") {
		cmd, args = args[0], args[1:]
	}
	switch cmd {
	case "", "serve":
		return serve(ctx, args, getenv, stdout, stderr)
	case "migrate":
		return migrate(ctx, args, getenv, stderr)
	case "user":
		if len(args) == 0 || args[0] != "create" {
			return errors.New("usage: soulseer user create --email E --password P [--role R] [--name N]")
		}
		return userCreate(ctx, args[1:], getenv, stdout, stderr)
	case "demo":
		return loadDemo(ctx, args, getenv, stdout, stderr)
	case "ledger":
		if len(args) == 0 || args[0] != "verify" {
			return errors.New("usage: soulseer ledger verify [flags]")
		}
		return ledgerVerify(ctx, args[1:], getenv, stdout)
	case "reconcile":
		return reconcile(ctx, args, getenv, stdout, stderr)
	case "bench":
		if len(args) > 0 && args[0] == "billing" {
			return benchBilling(ctx, args[1:], getenv, stdout)
		}
		if len(args) > 0 && args[0] == "gifts" {
			return benchGifts(ctx, args[1:], getenv, stdout)
		}
		if len(args) > 0 && args[0] == "fanout" {
			return benchFanout(ctx, args[1:], getenv, stdout)
		}
		if len(args) > 0 && (args[0] == "fanout-viewers" || args[0] == "fanout-instance") {
			return benchFanoutChild(ctx, args[0], args[1:], os.Stdin, stdout)
		}
		if len(args) == 0 || args[0] != "ledger" {
			return errors.New("usage: soulseer bench ledger [-duration 10s] [-rounds 1] [-workers 8] [-wallets 1000] [-pgbench PATH] [-cpuprofile FILE] [flags]")
		}
		return benchLedger(ctx, args[1:], getenv, stdout)
	case "help", "-h", "--help":
		fmt.Fprint(stdout, usage)
		return nil
	}
	return fmt.Errorf("unknown command %q\n%s", cmd, usage)
}

func newLogger(cfg config.Config, w io.Writer) *slog.Logger {
	var level slog.Level
	_ = level.UnmarshalText([]byte(cfg.LogLevel))
	opts := &slog.HandlerOptions{Level: level}
	if cfg.LogFormat == "json" {
		return slog.New(slog.NewJSONHandler(w, opts))
	}
	return slog.New(slog.NewTextHandler(w, opts))
}

func serve(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	cfg, err := config.Load(getenv, args)
	if err != nil {
		return err
	}
	log := newLogger(cfg, stderr)
	a, err := app.New(ctx, cfg, log, app.Options{})
	if err != nil {
		return err
	}
	defer a.Close()
	ln, err := net.Listen("tcp", cfg.Addr)
	if err != nil {
		return err
	}
	banner(stdout, cfg, ln.Addr())
	return a.Serve(ctx, ln)
}

func migrate(ctx context.Context, args []string, getenv func(string) string, stderr io.Writer) error {
	cfg, err := config.Load(getenv, args)
	if err != nil {
		return err
	}
	d, err := db.Open(ctx, cfg.DatabaseURL, cfg.DataDir, cfg.DBMaxConns)
	if err != nil {
		return err
	}
	defer d.Close()
	return app.Migrate(ctx, d, newLogger(cfg, stderr))
}

func userCreate(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("user create", flag.ContinueOnError)
	email := fs.String("email", "", "email address")
	password := fs.String("password", "", "password (at least 8 characters, not a common one)")
	roleName := fs.String("role", "client", "client, reader or admin")
	name := fs.String("name", "", "display name (default: the part of the email before @)")
	rest := splitFlags(args, fs)
	if err := fs.Parse(rest.own); err != nil {
		return err
	}
	role, ok := account.ParseRole(*roleName)
	if !ok {
		return fmt.Errorf("--role must be client, reader or admin")
	}
	if *name == "" {
		*name, _, _ = strings.Cut(*email, "@")
	}
	a, err := openApp(ctx, rest.config, getenv, stderr)
	if err != nil {
		return err
	}
	defer a.Close()
	u, err := a.Accounts.Create(ctx, account.SignUpInput{Email: *email, Password: *password, DisplayName: *name}, role)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "created %s %s (id %d)\n", u.Role, u.Email, u.ID)
	return nil
}

func loadDemo(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	a, err := openApp(ctx, args, getenv, stderr)
	if err != nil {
		return err
	}
	defer a.Close()
	return demo.Load(ctx, a, stdout)
}

// ledgerVerify proves every balance from the ledger's entries and fails when
// any invariant is broken (WAL-3). A check never changes the database: on a
// schema with migrations not yet applied it refuses and says to run
// `soulseer migrate`. It reads only SoulSeer's ledger tables, never the job
// queue's, so River's schema does not matter to it.
func ledgerVerify(ctx context.Context, args []string, getenv func(string) string, stdout io.Writer) error {
	cfg, err := config.Load(getenv, args)
	if err != nil {
		return err
	}
	d, err := db.Open(ctx, cfg.DatabaseURL, cfg.DataDir, cfg.DBMaxConns)
	if err != nil {
		return err
	}
	defer d.Close()
	pending, err := d.Pending(ctx)
	if err != nil {
		return err
	}
	if len(pending) > 0 {
		return fmt.Errorf("ledger verify: the database schema is out of date (%d migration(s) not applied, the first %s); "+
			"run `soulseer migrate` with the same settings, then verify again (a check never changes the database)",
			len(pending), pending[0].Name)
	}
	r, err := ledger.Verify(ctx, d)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "checked %d transfers, %d postings, %d accounts: %s\n", r.Transfers, r.Postings, r.Accounts, ledger.Checked())
	for _, p := range r.Problems {
		fmt.Fprintln(stdout, "PROBLEM:", p)
	}
	if len(r.Problems) > 0 {
		return fmt.Errorf("ledger verify: %d problem(s) found", len(r.Problems))
	}
	fmt.Fprintln(stdout, "ledger OK")
	return nil
}

// benchLedger measures the ledger's transfers per second beside pgbench.
func benchLedger(ctx context.Context, args []string, getenv func(string) string, stdout io.Writer) error {
	opt := bench.DefaultLedgerOptions()
	fs := flag.NewFlagSet("bench ledger", flag.ContinueOnError)
	fs.DurationVar(&opt.Duration, "duration", opt.Duration, "length of each measurement")
	fs.IntVar(&opt.Rounds, "rounds", opt.Rounds, "alternate the 1,000-wallet case and pgbench in this many slices of -duration")
	fs.IntVar(&opt.Workers, "workers", opt.Workers, "concurrent transfers (and pgbench clients)")
	fs.IntVar(&opt.Wallets, "wallets", opt.Wallets, "funded wallets in the spread-out case")
	fs.StringVar(&opt.Pgbench, "pgbench", opt.Pgbench, "the pgbench binary")
	profile := fs.String("cpuprofile", "", "write a CPU profile of the whole run to this file")
	cfg, err := parseWithConfig(fs, args, getenv)
	if err != nil {
		return err
	}
	if opt.Workers < 1 || opt.Wallets < 1 || opt.Rounds < 1 || opt.Duration < time.Duration(opt.Rounds)*time.Second {
		return errors.New("bench ledger: -workers, -wallets and -rounds must be positive, -duration at least 1s per round")
	}
	opt.DatabaseURL = cfg.DatabaseURL
	stop, err := cpuProfile(*profile)
	if err != nil {
		return err
	}
	defer stop()
	return bench.Ledger(ctx, opt, stdout)
}

// cpuProfile writes a CPU profile of this process to path until stop is
// called; an empty path profiles nothing.
func cpuProfile(path string) (stop func(), err error) {
	if path == "" {
		return func() {}, nil
	}
	f, err := os.Create(path)
	if err != nil {
		return nil, err
	}
	if err := pprof.StartCPUProfile(f); err != nil {
		f.Close()
		return nil, err
	}
	return func() { pprof.StopCPUProfile(); f.Close() }, nil
}

func openApp(ctx context.Context, args []string, getenv func(string) string, stderr io.Writer) (*app.App, error) {
	cfg, err := config.Load(getenv, args)
	if err != nil {
		return nil, err
	}
	cfg.LogLevel = "warn"
	return app.New(ctx, cfg, newLogger(cfg, stderr), app.Options{})
}

// parseWithConfig parses args: a subcommand's own flags into fs, the rest
// as the configuration's flags over getenv.
func parseWithConfig(fs *flag.FlagSet, args []string, getenv func(string) string) (config.Config, error) {
	rest := splitFlags(args, fs)
	if err := fs.Parse(rest.own); err != nil {
		return config.Config{}, err
	}
	return config.Load(getenv, rest.config)
}

// splitFlags separates a subcommand's own flags from the global config flags
// (-addr, -data-dir, -database-url, -base-url) so both can be given.
type flagSplit struct{ own, config []string }

func splitFlags(args []string, own *flag.FlagSet) flagSplit {
	var out flagSplit
	for i := 0; i < len(args); i++ {
		name := strings.TrimLeft(args[i], "-")
		name, _, hasValue := strings.Cut(name, "=")
		dst := &out.config
		if own.Lookup(name) != nil {
			dst = &out.own
		}
		*dst = append(*dst, args[i])
		if !hasValue && i+1 < len(args) && strings.HasPrefix(args[i], "-") {
			i++
			*dst = append(*dst, args[i])
		}
	}
	return out
}
