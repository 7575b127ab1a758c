package realtime_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/soulseer/soulseer/internal/db/dbtest"
	"github.com/soulseer/soulseer/internal/realtime"
)

// WAL-6: a quickly changing value reaches subscribers as its newest value,
// once per flush, without the setter ever waiting.
func TestLatestPublishesNewest(t *testing.T) {
	h := realtime.NewHub(testLog(), nil)
	l := h.Latest(20 * time.Millisecond)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go l.Run(ctx)
	s := h.Subscribe("user:1", "user:2")
	defer s.Close()
	for i := range 100 {
		l.Set("user:1", "wallet.balance", i)
	}
	l.Set("user:2", "wallet.balance", 7)
	got := map[string]bool{}
	for range 2 {
		got[string(next(t, s).Data)] = true
	}
	if !got["99"] || !got["7"] {
		t.Fatalf("got %v, want the newest values 99 and 7", got)
	}
	empty(t, s)
}

// WAL-6 OPS-1: on PostgreSQL, thousands of latest values reach another
// instance packed many to a notification, each exactly once.
func TestLatestAcrossInstances(t *testing.T) {
	url := dbtest.NewPostgresDatabase(t)
	a, b := startHub(t, url), startHub(t, url)
	linked(t, a, b)
	l := a.Latest(10 * time.Millisecond)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go l.Run(ctx)
	const n = 3000
	topics := make([]string, n)
	for i := range topics {
		topics[i] = fmt.Sprintf("user:%d", 1000+i)
	}
	s := b.Subscribe(topics...)
	defer s.Close()
	// The subscription's buffer is small; read as they come.
	seen := map[string]int{}
	done := make(chan struct{})
	go func() {
		defer close(done)
		for m := range s.C() {
			seen[string(m.Data)]++
			if len(seen) == n {
				return
			}
		}
	}()
	for i, topic := range topics {
		l.Set(topic, "wallet.balance", i)
	}
	select {
	case <-done:
	case <-time.After(wait):
		t.Fatalf("%d of %d values arrived", len(seen), n)
	}
	for v, c := range seen {
		if c != 1 {
			t.Fatalf("value %s arrived %d times", v, c)
		}
	}
}
