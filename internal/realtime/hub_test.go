package realtime_test

import (
	"context"
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/soulseer/soulseer/internal/apperr"
	"github.com/soulseer/soulseer/internal/db"
	"github.com/soulseer/soulseer/internal/db/dbtest"
	"github.com/soulseer/soulseer/internal/realtime"
)

// wait bounds every wait for an event; reaching it fails the test.
const wait = 10 * time.Second

// next returns the subscription's next message, failing the test if none
// arrives in time or the subscription ends.
func next(t *testing.T, s *realtime.Subscription) realtime.Message {
	t.Helper()
	select {
	case m, ok := <-s.C():
		if !ok {
			t.Fatalf("subscription ended (dropped=%v)", s.Dropped())
		}
		return m
	case <-time.After(wait):
		t.Fatal("no message within", wait)
	}
	return realtime.Message{}
}

// empty fails the test if the subscription holds a message. Delivery on one
// instance is synchronous, so after Publish returns there is nothing to wait
// for.
func empty(t *testing.T, s *realtime.Subscription) {
	t.Helper()
	select {
	case m := <-s.C():
		t.Fatalf("unexpected message %s %s", m.Type, m.Data)
	default:
	}
}

func TestTopicNames(t *testing.T) {
	for got, want := range map[string]string{
		realtime.UserTopic(7): "user:7", realtime.ReadingTopic(8): "reading:8", realtime.StreamTopic(9): "stream:9",
	} {
		if got != want {
			t.Errorf("topic %q, want %q", got, want)
		}
	}
}

// WAL-6: a message on a topic reaches every subscriber of that topic, and only
// them; a subscription may span several topics.
func TestPublishSubscribe(t *testing.T) {
	h := realtime.NewHub(nil, nil)
	ctx := context.Background()
	userA := h.Subscribe(realtime.UserTopic(1))
	userA2 := h.Subscribe(realtime.UserTopic(1))
	userB := h.Subscribe(realtime.UserTopic(2))
	reading := h.Subscribe(realtime.UserTopic(1), realtime.ReadingTopic(5))

	if err := h.Publish(ctx, realtime.UserTopic(1), "wallet.balance", map[string]int64{"balance_cents": 1250}); err != nil {
		t.Fatal(err)
	}
	if err := h.Publish(ctx, realtime.ReadingTopic(5), "reading.chat", json.RawMessage(`{"text":"hi"}`)); err != nil {
		t.Fatal(err)
	}
	if err := h.Publish(ctx, realtime.StreamTopic(5), "stream.gift", nil); err != nil {
		t.Fatal(err)
	}
	for _, s := range []*realtime.Subscription{userA, userA2, reading} {
		m := next(t, s)
		if m.Type != "wallet.balance" || string(m.Data) != `{"balance_cents":1250}` {
			t.Fatalf("got %s %s", m.Type, m.Data)
		}
	}
	if m := next(t, reading); m.Type != "reading.chat" || string(m.Data) != `{"text":"hi"}` {
		t.Fatalf("got %s %s", m.Type, m.Data)
	}
	for _, s := range []*realtime.Subscription{userA, userA2, userB, reading} {
		empty(t, s)
	}
}

// A subscriber that stops reading is dropped once its buffer is full, and the
// publisher never waits for it; other subscribers keep receiving.
func TestSlowSubscriberDropped(t *testing.T) {
	h := realtime.NewHub(nil, nil)
	topic := realtime.ReadingTopic(1)
	slow := h.Subscribe(topic)
	fast := h.Subscribe(topic)
	done := make(chan error, 1)
	go func() {
		for i := range 10 * realtime.SubscriptionBuffer {
			if err := h.Publish(context.Background(), topic, "tick", i); err != nil {
				done <- err
				return
			}
			if m := <-fast.C(); string(m.Data) != jsonInt(i) {
				done <- errors.New("fast subscriber got " + string(m.Data))
				return
			}
		}
		done <- nil
	}()
	select {
	case err := <-done:
		if err != nil {
			t.Fatal(err)
		}
	case <-time.After(wait):
		t.Fatal("publisher blocked on a subscriber that never reads")
	}
	if !slow.Dropped() || fast.Dropped() {
		t.Fatalf("dropped: slow=%v fast=%v", slow.Dropped(), fast.Dropped())
	}
	n := 0
	for range slow.C() { // buffered messages, then the closed channel
		n++
	}
	if n != realtime.SubscriptionBuffer {
		t.Fatalf("slow subscriber kept %d messages, want %d", n, realtime.SubscriptionBuffer)
	}
	if got := h.Present(topic); got != 1 {
		t.Fatalf("Present = %d after drop, want 1", got)
	}
}

func jsonInt(i int) string { b, _ := json.Marshal(i); return string(b) }

// Close unsubscribes from every topic and closes the channel; Present counts
// the local subscriptions of a topic (RDR-3, LIV-7 presence).
func TestCloseAndPresent(t *testing.T) {
	h := realtime.NewHub(nil, nil)
	ctx := context.Background()
	topic := realtime.StreamTopic(3)
	if got := h.Present(topic); got != 0 {
		t.Fatalf("Present = %d on a new hub", got)
	}
	a := h.Subscribe(topic, realtime.UserTopic(1))
	b := h.Subscribe(topic)
	if got := h.Present(topic); got != 2 {
		t.Fatalf("Present = %d, want 2", got)
	}
	a.Close()
	a.Close()
	if got := h.Present(topic); got != 1 {
		t.Fatalf("Present = %d after Close, want 1", got)
	}
	if got := h.Present(realtime.UserTopic(1)); got != 0 {
		t.Fatalf("Present(user) = %d after Close, want 0", got)
	}
	if _, ok := <-a.C(); ok {
		t.Fatal("closed subscription still open")
	}
	if a.Dropped() {
		t.Fatal("closed subscription reports dropped")
	}
	if err := h.Publish(ctx, topic, "viewer.joined", nil); err != nil {
		t.Fatal(err)
	}
	if m := next(t, b); m.Type != "viewer.joined" || m.Data != nil {
		t.Fatalf("got %s %s", m.Type, m.Data)
	}
	b.Close()
	if got := h.Present(topic); got != 0 {
		t.Fatalf("Present = %d after closing all, want 0", got)
	}
}

// Messages over MaxMessageBytes, without a type or topic, or whose data is
// not JSON are refused before anyone receives them.
func TestPublishRefused(t *testing.T) {
	h := realtime.NewHub(nil, nil)
	ctx := context.Background()
	s := h.Subscribe("t")
	err := h.Publish(ctx, "t", "big", strings.Repeat("x", realtime.MaxMessageBytes))
	if apperr.CodeOf(err) != apperr.TooLarge {
		t.Fatalf("oversized message: %v", err)
	}
	if err := h.Publish(ctx, "t", "", nil); err == nil {
		t.Fatal("message without a type accepted")
	}
	if err := h.Publish(ctx, "", "x", nil); err == nil {
		t.Fatal("message without a topic accepted")
	}
	if err := h.Publish(ctx, "t", "x", json.RawMessage("{not json")); err == nil {
		t.Fatal("invalid JSON data accepted")
	}
	empty(t, s)
}

// WAL-6: a change published with PublishOnCommit goes live only once its
// transaction commits, never when it rolls back.
func TestPublishOnCommit(t *testing.T) {
	d := dbtest.Open(t, db.SQLite)
	h := realtime.NewHub(nil, nil)
	s := h.Subscribe(realtime.UserTopic(4))
	ctx := context.Background()
	rollback := errors.New("rolled back")
	err := d.Tx(ctx, func(tx *db.Tx) error {
		if err := h.PublishOnCommit(tx, realtime.UserTopic(4), "wallet.balance", 100); err != nil {
			return err
		}
		return rollback
	})
	if !errors.Is(err, rollback) {
		t.Fatal(err)
	}
	empty(t, s)
	err = d.Tx(ctx, func(tx *db.Tx) error {
		if err := h.PublishOnCommit(tx, realtime.UserTopic(4), "wallet.balance", 200); err != nil {
			return err
		}
		empty(t, s) // not before the commit
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if m := next(t, s); string(m.Data) != "200" {
		t.Fatalf("got %s", m.Data)
	}
	empty(t, s)
	err = d.Tx(ctx, func(tx *db.Tx) error {
		return h.PublishOnCommit(tx, "t", "big", strings.Repeat("x", realtime.MaxMessageBytes))
	})
	if apperr.CodeOf(err) != apperr.TooLarge {
		t.Fatalf("oversized message in a transaction: %v", err)
	}
}

// Run waits for its context with no broker, then returns nil.
func TestRunLocal(t *testing.T) {
	h := realtime.NewHub(nil, nil)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- h.Run(ctx) }()
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Fatal(err)
		}
	case <-time.After(wait):
		t.Fatal("Run did not return after its context ended")
	}
}
