package main

import (
	"context"
	"errors"
	"flag"
	"io"
	"strconv"
	"strings"

	"github.com/soulseer/soulseer/internal/bench"
)

// benchBilling runs the billing-sweep benchmark: one sweep over many active
// readings, beside pgbench on the same PostgreSQL server.
func benchBilling(ctx context.Context, args []string, getenv func(string) string, stdout io.Writer) error {
	opt := bench.DefaultBillingOptions()
	fs := flag.NewFlagSet("bench billing", flag.ContinueOnError)
	sizes := fs.String("readings", "10000,100000", "comma-separated sweep sizes (active readings each owing a minute)")
	fs.IntVar(&opt.Batch, "batch", opt.Batch, "readings charged per transaction")
	fs.StringVar(&opt.Pgbench, "pgbench", opt.Pgbench, "the pgbench binary")
	fs.DurationVar(&opt.Duration, "duration", opt.Duration, "length of the pgbench run")
	cfg, err := parseWithConfig(fs, args, getenv)
	if err != nil {
		return err
	}
	opt.Readings = nil
	for _, s := range strings.Split(*sizes, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(s))
		if err != nil || n < 1 {
			return errors.New("bench billing: -readings takes positive numbers, e.g. 10000,100000")
		}
		opt.Readings = append(opt.Readings, n)
	}
	opt.DatabaseURL = cfg.DatabaseURL
	return bench.Billing(ctx, opt, stdout)
}
