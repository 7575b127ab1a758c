package realtime

import (
	"context"
	"encoding/json"
	"sync"
	"time"
)

// batchTopic carries several messages in one broker notification; its
// payload is a JSON array of envelopes. Real topics always contain a colon.
const batchTopic = "batch"

// envelope is one message inside a batch.
type envelope struct {
	Topic   string  `json:"t"`
	Message Message `json:"m"`
}

// Latest publishes, for values that change quickly and where only the newest
// matters — a wallet balance during a reading charged every minute, or a
// billing sweep that changes 100,000 balances at once — the newest value of
// each topic and type at most once per interval. Setting a value never waits
// on the database; deliveries to other instances are packed many to a
// notification.
type Latest struct {
	hub      *Hub
	interval time.Duration

	mu      sync.Mutex
	pending map[[2]string]any // (topic, type) → newest data
}

// Latest returns a Latest publishing through h every interval; run it with Run.
func (h *Hub) Latest(interval time.Duration) *Latest {
	return &Latest{hub: h, interval: interval, pending: map[[2]string]any{}}
}

// Set records the newest data of type typ for topic; it is published at the
// next flush, replacing anything set before for the same topic and type.
func (l *Latest) Set(topic, typ string, data any) {
	l.mu.Lock()
	l.pending[[2]string{topic, typ}] = data
	l.mu.Unlock()
}

// Run flushes every interval until ctx ends, then once more.
func (l *Latest) Run(ctx context.Context) {
	t := time.NewTicker(l.interval)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			l.flush(context.Background())
			return
		case <-t.C:
			l.flush(ctx)
		}
	}
}

func (l *Latest) flush(ctx context.Context) {
	l.mu.Lock()
	pending := l.pending
	if len(pending) == 0 {
		l.mu.Unlock()
		return
	}
	l.pending = map[[2]string]any{}
	l.mu.Unlock()
	out := make([]envelope, 0, len(pending))
	for k, data := range pending {
		m, _, err := encode(k[1], data)
		if err != nil {
			l.hub.log.Warn("realtime: dropping unencodable latest value", "topic", k[0], "type", k[1], "err", err)
			continue
		}
		out = append(out, envelope{Topic: k[0], Message: m})
	}
	if err := l.hub.publishMany(ctx, out); err != nil {
		l.hub.log.Warn("realtime: publish latest values to other instances", "err", err)
	}
}

// publishMany delivers envelopes locally and sends them to other instances
// packed into as few broker notifications as fit.
func (h *Hub) publishMany(ctx context.Context, es []envelope) error {
	for _, e := range es {
		h.deliver(e.Topic, e.Message)
	}
	if h.broker == nil {
		return nil
	}
	const room = MaxMessageBytes - 64 // the broker's own header
	var batch []byte
	flush := func() error {
		if len(batch) == 0 {
			return nil
		}
		batch = append(batch, ']')
		err := h.broker.Publish(ctx, batchTopic, batch)
		batch = nil
		return err
	}
	for _, e := range es {
		b, err := json.Marshal(e)
		if err != nil {
			return err
		}
		if len(batch)+len(b)+2 > room {
			if err := flush(); err != nil {
				return err
			}
		}
		if len(batch) == 0 {
			batch = append(batch, '[')
		} else {
			batch = append(batch, ',')
		}
		batch = append(batch, b...)
	}
	return flush()
}
