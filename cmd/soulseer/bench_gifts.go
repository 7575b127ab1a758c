package main

import (
	"context"
	"flag"
	"io"

	"github.com/soulseer/soulseer/internal/bench"
)

// benchGifts runs the gifts benchmark: gifts into one busy stream beside
// ledger transfers spread over many readers.
func benchGifts(ctx context.Context, args []string, getenv func(string) string, stdout io.Writer) error {
	opt := bench.DefaultGiftOptions()
	fs := flag.NewFlagSet("bench gifts", flag.ContinueOnError)
	fs.DurationVar(&opt.Duration, "duration", opt.Duration, "length of each measurement")
	fs.IntVar(&opt.Workers, "workers", opt.Workers, "concurrent senders")
	fs.IntVar(&opt.Senders, "senders", opt.Senders, "funded viewers sending gifts")
	fs.IntVar(&opt.Readers, "readers", opt.Readers, "readers live at once")
	cfg, err := parseWithConfig(fs, args, getenv)
	if err != nil {
		return err
	}
	opt.DatabaseURL = cfg.DatabaseURL
	return bench.Gifts(ctx, opt, stdout)
}
