// Package stripetest runs a real stripe-mock process for tests, on a free
// loopback port. Install it with
// `go install github.com/stripe/stripe-mock@v0.203.0`; without it tests skip
// (or fail under CI=true), naming what to install.
package stripetest

import (
	"bufio"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/soulseer/soulseer/internal/db/dbtest"
)

// EnvBinary names the variable that may point at the stripe-mock binary.
const EnvBinary = "SOULSEER_STRIPE_MOCK"

func binary() string {
	if p := os.Getenv(EnvBinary); p != "" {
		return p
	}
	if p, err := exec.LookPath("stripe-mock"); err == nil {
		return p
	}
	gopath := os.Getenv("GOPATH")
	if gopath == "" {
		home, _ := os.UserHomeDir()
		gopath = filepath.Join(home, "go")
	}
	p := filepath.Join(gopath, "bin", "stripe-mock")
	if _, err := os.Stat(p); err == nil {
		return p
	}
	return ""
}

// Start runs stripe-mock for the test and returns its base URL
// (http://127.0.0.1:PORT). The process is stopped when the test ends.
func Start(t testing.TB) string {
	t.Helper()
	bin := binary()
	if bin == "" {
		dbtest.SkipOrFail(t, "Stripe tests need stripe-mock: go install github.com/stripe/stripe-mock@v0.203.0 (or set %s)", EnvBinary)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cmd := exec.CommandContext(ctx, bin, "-http-addr", "127.0.0.1:0", "-https-addr", "127.0.0.1:0")
	out, err := cmd.StdoutPipe()
	if err != nil {
		cancel()
		t.Fatal(err)
	}
	cmd.Stderr = cmd.Stdout
	if err := cmd.Start(); err != nil {
		cancel()
		t.Fatalf("start stripe-mock: %v", err)
	}
	t.Cleanup(func() { cancel(); _ = cmd.Wait() })
	addr := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(out)
		for sc.Scan() {
			if a, ok := strings.CutPrefix(sc.Text(), "Listening for HTTP at address: "); ok {
				addr <- a
			}
		}
	}()
	select {
	case a := <-addr:
		return "http://" + strings.TrimSpace(a)
	case <-time.After(60 * time.Second):
		t.Fatal("stripe-mock did not start within 60s")
	}
	return ""
}
