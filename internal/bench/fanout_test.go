package bench

import (
	"bytes"
	"context"
	"io"
	"os"
	"regexp"
	"strconv"
	"testing"
	"time"

	"github.com/soulseer/soulseer/internal/db"
	"github.com/soulseer/soulseer/internal/db/dbtest"
)

// TestMain lets the test binary be the fan-out benchmark's viewers'
// process and its second instance's, as the soulseer binary is for the
// real benchmark.
func TestMain(m *testing.M) {
	child := map[string]func(context.Context, io.Reader, io.Writer) error{
		"fanout-viewers": FanoutViewers, "fanout-instance": FanoutInstance}
	if len(os.Args) > 1 && child[os.Args[1]] != nil {
		if err := child[os.Args[1]](context.Background(), os.Stdin, os.Stdout); err != nil {
			os.Stderr.WriteString(err.Error() + "\n")
			os.Exit(1)
		}
		os.Exit(0)
	}
	os.Exit(m.Run())
}

var deliveriesLine = regexp.MustCompile(`deliveries: (\d+) of (\d+) \(lost (\d+)`)

// LIV-7: the fan-out benchmark's plumbing, small: 50 viewers in a child
// process watch a stream over WebSocket while two senders chat through
// SoulSeer (on PostgreSQL through a second instance in a process of its
// own, so through NOTIFY),
// and every message reaches every viewer exactly once.
func TestFanoutDeliversEveryMessageToEveryViewer(t *testing.T) {
	for _, e := range dbtest.Engines() {
		t.Run(string(e), func(t *testing.T) {
			opt := FanoutOptions{Viewers: 50, Senders: 2, Rate: 20, Duration: time.Second, MinDelivered: 1,
				ViewerCommand: []string{os.Args[0], "fanout-viewers"}, InstanceCommand: []string{os.Args[0], "fanout-instance"}}
			if e == db.Postgres {
				if opt.DatabaseURL = os.Getenv(dbtest.EnvPostgres); opt.DatabaseURL == "" {
					dbtest.SkipOrFail(t, "%s is not set", dbtest.EnvPostgres)
					return
				}
			}
			var out bytes.Buffer
			if err := Fanout(context.Background(), opt, &out); err != nil {
				t.Fatalf("%v\n%s", err, out.String())
			}
			m := deliveriesLine.FindStringSubmatch(out.String())
			if m == nil {
				t.Fatalf("no deliveries line in:\n%s", out.String())
			}
			got, _ := strconv.Atoi(m[1])
			want, _ := strconv.Atoi(m[2])
			if want != 20*opt.Viewers || got != want || m[3] != "0" {
				t.Fatalf("%d deliveries of %d expected (20 messages × %d viewers wanted):\n%s", got, want, opt.Viewers, out.String())
			}
		})
	}
}
