package realtime

import "sync/atomic"

// SubscriptionBuffer is how many messages a subscription holds for its
// reader. A reader that falls this far behind is dropped rather than waited
// on.
const SubscriptionBuffer = 64

// Subscription receives the messages of its topics until it is closed or
// dropped.
type Subscription struct {
	hub    *Hub
	topics []string
	c      chan Message
	// shared, instead of c, takes a live connection's messages: one
	// message shared by every connection, so each connection's buffer holds
	// pointers rather than messages.
	shared chan *Message

	// closed and dropped are guarded by hub.mu.
	closed  bool
	dropped bool
	// behind is set by the delivery that found the buffer full; later
	// deliveries skip it until it is dropped.
	behind atomic.Bool
}

// offer hands m to s without waiting; false means its buffer is full.
func (s *Subscription) offer(m *Message) bool {
	if s.shared != nil {
		select {
		case s.shared <- m:
			return true
		default:
			return false
		}
	}
	select {
	case s.c <- *m:
		return true
	default:
		return false
	}
}

// C delivers the messages. It is closed when the subscription is closed or
// dropped.
func (s *Subscription) C() <-chan Message { return s.c }

// Close unsubscribes from every topic and closes C. Closing twice is harmless.
func (s *Subscription) Close() {
	s.hub.mu.Lock()
	defer s.hub.mu.Unlock()
	s.hub.removeLocked(s, false)
}

// Dropped reports whether the hub dropped the subscription because its
// reader fell behind; the reader then missed messages and should reload its
// state.
func (s *Subscription) Dropped() bool {
	s.hub.mu.Lock()
	defer s.hub.mu.Unlock()
	return s.dropped
}
