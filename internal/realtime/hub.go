// Package realtime is SoulSeer's live channel: an in-process hub of topics
// (one per user, reading and livestream) that server code publishes to and
// WebSocket connections subscribe to. Slow subscribers are dropped, never
// waited on. With several instances on PostgreSQL, a Broker carries every
// message to the other instances through LISTEN/NOTIFY, so a WebSocket
// connected to any instance sees what any instance publishes.
//
// Delivery is live only: a message published while a client is disconnected,
// or while an instance's broker is reconnecting, is not replayed. Pages load
// their state over HTTP and use the hub for changes from then on.
package realtime

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"slices"
	"sync"
	"time"

	"github.com/soulseer/soulseer/internal/db"
)

// Hub delivers messages to subscribers of topics in this process and, through
// its broker, to the hubs of every other instance. Create it with NewHub.
type Hub struct {
	log    *slog.Logger
	broker Broker

	// mu guards topics: deliveries share it, so messages published at the
	// same moment reach their subscribers side by side; subscribing and
	// unsubscribing take it alone.
	mu     sync.RWMutex
	topics map[string]map[*Subscription]struct{}

	// stopped is set, and stop closed, when Run ends; live connections then
	// close and no new ones are accepted.
	stopped bool
	stop    chan struct{}
	conns   sync.WaitGroup
}

// NewHub returns a hub that fans out through b to other instances; b nil
// means a single instance (SQLite), where local delivery is everything.
func NewHub(log *slog.Logger, b Broker) *Hub {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return &Hub{log: log, broker: b, topics: map[string]map[*Subscription]struct{}{}, stop: make(chan struct{})}
}

// Run receives other instances' messages through the broker until ctx ends
// (with no broker it just waits). Then it closes every live WebSocket
// connection with "going away", so clients reconnect to a running instance,
// and returns once they are closed. Call it once. It returns an error only
// when the broker cannot work at all; lost connections are retried.
func (h *Hub) Run(ctx context.Context) error {
	var err error
	if h.broker == nil {
		<-ctx.Done()
	} else {
		err = h.broker.Listen(ctx, h.deliverRemote)
	}
	h.mu.Lock()
	h.stopped = true
	close(h.stop)
	h.mu.Unlock()
	h.conns.Wait()
	if ctx.Err() != nil {
		return nil
	}
	return err
}

// Close releases the broker's connections. Call it after Run has returned and
// nothing publishes any more.
func (h *Hub) Close() error {
	if c, ok := h.broker.(io.Closer); ok {
		return c.Close()
	}
	return nil
}

// Publish sends a message of type typ with data (encoded as JSON) to every
// subscriber of topic: at once to this instance's subscribers, and through
// the broker to every other instance, each of which delivers it exactly once.
// It never waits for a subscriber. Messages over MaxMessageBytes are refused
// before anyone receives them. An error after local delivery means other
// instances may have missed the message.
func (h *Hub) Publish(ctx context.Context, topic, typ string, data any) error {
	m, b, err := encode(typ, data)
	if err != nil {
		return err
	}
	return h.publish(ctx, topic, m, b)
}

// PublishOnCommit publishes once tx commits and never if it rolls back, so a
// live update announces only what is durable (WAL-6: a balance change reaches
// the user's pages after the ledger transaction commits). The message is
// encoded now, so an unencodable or oversized message fails the caller; a
// delivery failure after the commit is logged.
func (h *Hub) PublishOnCommit(tx *db.Tx, topic, typ string, data any) error {
	m, b, err := encode(typ, data)
	if err != nil {
		return err
	}
	tx.OnCommit(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		if err := h.publish(ctx, topic, m, b); err != nil {
			h.log.Warn("realtime: publish after commit", "topic", topic, "type", typ, "err", err)
		}
	})
	return nil
}

func (h *Hub) publish(ctx context.Context, topic string, m Message, b []byte) error {
	if topic == "" {
		return errors.New("realtime: topic is empty")
	}
	h.deliver(topic, m)
	if h.broker == nil {
		return nil
	}
	if err := h.broker.Publish(ctx, topic, b); err != nil {
		return fmt.Errorf("realtime: publish %s to other instances: %w", m.Type, err)
	}
	return nil
}

// deliverRemote delivers a message (or a batch of them) another instance
// published.
func (h *Hub) deliverRemote(topic string, payload []byte) {
	if topic == batchTopic {
		var es []envelope
		if err := json.Unmarshal(payload, &es); err != nil {
			h.log.Warn("realtime: ignoring malformed batch from another instance", "err", err)
			return
		}
		for _, e := range es {
			if e.Topic != "" && e.Message.Type != "" {
				h.deliver(e.Topic, e.Message)
			}
		}
		return
	}
	var m Message
	if err := json.Unmarshal(payload, &m); err != nil || m.Type == "" {
		h.log.Warn("realtime: ignoring malformed message from another instance", "topic", topic, "err", err)
		return
	}
	h.deliver(topic, m)
}

// deliver hands m to every local subscriber of topic without waiting: a
// subscriber whose buffer is full is dropped. m is encoded once here, if it
// was not already, rather than once per subscriber.
func (h *Hub) deliver(topic string, m Message) {
	if m.frame == nil {
		b, err := json.Marshal(m)
		if err != nil {
			h.log.Warn("realtime: dropping an unencodable message", "topic", topic, "type", m.Type, "err", err)
			return
		}
		m.frame = b
	}
	shared := &m
	var behind []*Subscription
	h.mu.RLock()
	for s := range h.topics[topic] {
		if s.behind.Load() {
			continue
		}
		if !s.offer(shared) {
			// It gets nothing more, so what it got is what was published
			// until it fell behind.
			s.behind.Store(true)
			behind = append(behind, s)
		}
	}
	h.mu.RUnlock()
	if len(behind) == 0 {
		return
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	for _, s := range behind {
		h.log.Info("realtime: dropping a subscriber that fell behind", "topic", topic)
		h.removeLocked(s, true)
	}
}

// Subscribe returns a subscription to messages of every topic given, in the
// order they were published on this instance. Its buffer holds
// SubscriptionBuffer messages; a subscriber that lets it fill is dropped (its
// channel closes and Dropped reports true), so a slow reader never holds up a
// publisher. Close it when done.
func (h *Hub) Subscribe(topics ...string) *Subscription {
	return h.subscribe(&Subscription{hub: h, topics: slices.Clone(topics), c: make(chan Message, SubscriptionBuffer)})
}

// subscribeShared is Subscribe for a live connection: its messages arrive
// on s.shared.
func (h *Hub) subscribeShared(topics ...string) *Subscription {
	return h.subscribe(&Subscription{hub: h, topics: slices.Clone(topics), shared: make(chan *Message, SubscriptionBuffer)})
}

func (h *Hub) subscribe(s *Subscription) *Subscription {
	h.mu.Lock()
	defer h.mu.Unlock()
	for _, t := range s.topics {
		subs := h.topics[t]
		if subs == nil {
			subs = map[*Subscription]struct{}{}
			h.topics[t] = subs
		}
		subs[s] = struct{}{}
	}
	return s
}

// removeLocked unsubscribes s from every topic and closes its channel.
// h.mu must be held.
func (h *Hub) removeLocked(s *Subscription, dropped bool) {
	if s.closed {
		return
	}
	s.closed, s.dropped = true, dropped
	for _, t := range s.topics {
		subs := h.topics[t]
		delete(subs, s)
		if len(subs) == 0 {
			delete(h.topics, t)
		}
	}
	if s.shared != nil {
		close(s.shared)
	} else {
		close(s.c)
	}
}
