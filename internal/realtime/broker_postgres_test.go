package realtime_test

import (
	"context"
	"database/sql"
	"fmt"
	"io"
	"log/slog"
	"os"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/soulseer/soulseer/internal/db/dbtest"
	"github.com/soulseer/soulseer/internal/realtime"
)

func testLog() *slog.Logger {
	var out io.Writer = io.Discard
	if os.Getenv("SOULSEER_TEST_LOG") == "1" {
		out = os.Stderr
	}
	return slog.New(slog.NewTextHandler(out, &slog.HandlerOptions{Level: slog.LevelDebug}))
}

// startHub runs a hub with a PostgresBroker on the database at url, as one
// instance would, until the test ends.
func startHub(t *testing.T, url string) *realtime.Hub {
	t.Helper()
	h := realtime.NewHub(testLog(), realtime.NewPostgresBroker(url, testLog()))
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- h.Run(ctx) }()
	t.Cleanup(func() {
		cancel()
		select {
		case err := <-done:
			if err != nil {
				t.Error(err)
			}
		case <-time.After(wait):
			t.Error("Run did not return after its context ended")
		}
		h.Close()
	})
	return h
}

var probes atomic.Int64

// linked waits until from's messages reach to, which happens once to's
// listener is connected. It publishes probes on a topic of their own until
// one arrives.
func linked(t *testing.T, from, to *realtime.Hub) {
	t.Helper()
	topic := fmt.Sprintf("probe:%d", probes.Add(1))
	s := to.Subscribe(topic)
	defer s.Close()
	deadline := time.After(wait)
	for {
		_ = from.Publish(context.Background(), topic, "probe", nil) // fails while connections are re-established
		select {
		case <-s.C():
			return
		case <-time.After(50 * time.Millisecond):
		case <-deadline:
			t.Fatal("instances not linked within", wait)
		}
	}
}

// collect reads s until it has seen every type in want, and fails unless each
// arrived exactly once.
func collect(t *testing.T, name string, s *realtime.Subscription, want ...string) {
	t.Helper()
	seen := map[string]int{}
	var got []string
	for missing := len(want); missing > 0; {
		m := next(t, s)
		got = append(got, m.Type)
		seen[m.Type]++
		if seen[m.Type] == 1 {
			missing--
		}
	}
	if len(got) != len(want) {
		t.Fatalf("%s received %v, want each of %v exactly once", name, got, want)
	}
}

// exactlyOnce publishes alternately on a and b and checks that every
// subscriber, local or on the other instance, receives each message exactly
// once. NOTIFY delivers in commit order, so a duplicate of an instance's own
// message would arrive before the other instance's later message.
func exactlyOnce(t *testing.T, a, b *realtime.Hub, topic string) {
	t.Helper()
	onA, onA2, onB := a.Subscribe(topic), a.Subscribe(topic), b.Subscribe(topic)
	defer onA.Close()
	defer onA2.Close()
	defer onB.Close()
	ctx := context.Background()
	order := []*realtime.Hub{a, b, a, b}
	var types []string
	for i, h := range order {
		typ := fmt.Sprintf("m%d", i+1)
		types = append(types, typ)
		if err := h.Publish(ctx, topic, typ, map[string]int{"n": i}); err != nil {
			t.Fatal(err)
		}
	}
	collect(t, "subscriber on A", onA, types...)
	collect(t, "second subscriber on A", onA2, types...)
	collect(t, "subscriber on B", onB, types...)
}

// WAL-6 OPS-1: two instances on one PostgreSQL database; a message
// published on either reaches subscribers on both exactly once.
func TestPostgresBrokerCrossInstance(t *testing.T) {
	url := dbtest.NewPostgresDatabase(t)
	a, b := startHub(t, url), startHub(t, url)
	linked(t, a, b)
	linked(t, b, a)
	exactlyOnce(t, a, b, realtime.UserTopic(42))
}

// The listener reconnects after its connection is killed and delivery
// resumes, still exactly once.
func TestPostgresBrokerReconnects(t *testing.T) {
	url := dbtest.NewPostgresDatabase(t)
	a, b := startHub(t, url), startHub(t, url)
	linked(t, a, b)
	linked(t, b, a)

	conn, err := sql.Open("pgx", url)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	var killed int
	// The timeout makes pg_terminate_backend wait until the backend is gone,
	// so any later delivery comes over a new connection.
	err = conn.QueryRow(`WITH listener AS MATERIALIZED (
			SELECT pid FROM pg_stat_activity
			WHERE datname = current_database() AND application_name = 'soulseer realtime listener')
		SELECT count(*) FROM listener WHERE pg_terminate_backend(pid, 5000)`).Scan(&killed)
	if err != nil {
		t.Fatal(err)
	}
	if killed != 2 {
		t.Fatalf("terminated %d listener connections, want 2", killed)
	}
	linked(t, a, b)
	linked(t, b, a)
	exactlyOnce(t, a, b, realtime.ReadingTopic(7))
}

// A notification over PostgreSQL's 8000-byte limit is refused with a clear
// error; the hub refuses oversized messages before they reach the broker.
func TestPostgresBrokerPayloadLimit(t *testing.T) {
	url := dbtest.NewPostgresDatabase(t)
	b := realtime.NewPostgresBroker(url, testLog())
	defer b.Close()
	err := b.Publish(context.Background(), "t", []byte(strings.Repeat("x", 7990)))
	if err == nil || !strings.Contains(err.Error(), "limit") {
		t.Fatalf("oversized notification: %v", err)
	}
	if err := b.Publish(context.Background(), "t", []byte(`{"type":"x"}`)); err != nil {
		t.Fatal(err)
	}
	if err := b.Publish(context.Background(), "bad\ntopic", []byte(`{}`)); err == nil {
		t.Fatal("topic with a newline accepted")
	}
	if err := b.Publish(context.Background(), "t", []byte("\x00")); err == nil {
		t.Fatal("payload with a NUL byte accepted")
	}
}

// A database URL that cannot be parsed stops Run with an error instead of
// retrying forever.
func TestPostgresBrokerBadURL(t *testing.T) {
	h := realtime.NewHub(testLog(), realtime.NewPostgresBroker("postgres://%zz", testLog()))
	ctx, cancel := context.WithTimeout(context.Background(), wait)
	defer cancel()
	if err := h.Run(ctx); err == nil || ctx.Err() != nil {
		t.Fatalf("Run = %v, want a configuration error at once", err)
	}
	if err := h.Publish(ctx, "t", "x", nil); err == nil {
		t.Fatal("Publish through a misconfigured broker succeeded")
	}
}
