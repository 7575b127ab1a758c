package main

import (
	"context"
	"errors"
	"flag"
	"io"
	"os"

	"github.com/soulseer/soulseer/internal/bench"
)

// benchFanout runs the fan-out benchmark: one stream's chat delivered to
// many WebSocket viewers, beside Centrifugo when given.
func benchFanout(ctx context.Context, args []string, getenv func(string) string, stdout io.Writer) error {
	opt := bench.DefaultFanoutOptions()
	fs := flag.NewFlagSet("bench fanout", flag.ContinueOnError)
	fs.IntVar(&opt.Viewers, "viewers", opt.Viewers, "WebSocket viewers of the stream")
	fs.IntVar(&opt.Senders, "senders", opt.Senders, "users sending the chat")
	fs.Float64Var(&opt.Rate, "rate", opt.Rate, "chat messages per second, all senders together")
	fs.DurationVar(&opt.Duration, "duration", opt.Duration, "how long the chat is sent")
	fs.StringVar(&opt.Centrifugo, "centrifugo", "", "a Centrifugo v6 binary to measure under the same load")
	profile := fs.String("cpuprofile", "", "write a CPU profile of the server's process to this file")
	cfg, err := parseWithConfig(fs, args, getenv)
	if err != nil {
		return err
	}
	self, err := os.Executable()
	if err != nil {
		return err
	}
	opt.DatabaseURL = cfg.DatabaseURL
	opt.ViewerCommand = []string{self, "bench", "fanout-viewers"}
	opt.InstanceCommand = []string{self, "bench", "fanout-instance"}
	stop, err := cpuProfile(*profile)
	if err != nil {
		return err
	}
	defer stop()
	return bench.Fanout(ctx, opt, stdout)
}

// benchFanoutChild is one of the fan-out benchmark's child processes,
// started by benchFanout and speaking JSON on its standard input and
// output: the viewers' ("fanout-viewers") or the second instance's
// ("fanout-instance").
func benchFanoutChild(ctx context.Context, name string, args []string, stdin io.Reader, stdout io.Writer) error {
	if len(args) > 0 {
		return errors.New("bench " + name + " takes no arguments; bench fanout starts it")
	}
	if name == "fanout-instance" {
		return bench.FanoutInstance(ctx, stdin, stdout)
	}
	return bench.FanoutViewers(ctx, stdin, stdout)
}
