package crashtest

import (
	"context"
	"encoding/json"
	"errors"
	"math/rand/v2"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/coder/websocket"
)

// Closed is how the server ended one live connection.
type Closed struct {
	Status websocket.StatusCode // -1: no closing handshake (a bare drop)
	Reason string
}

// Live holds a live connection open the way the site's pages do
// (SoulSeer.backoff in app.js): it reads until the server closes the
// connection, then reconnects — within a second, at a random moment, after
// a close for a restart (1001); after a growing back-off otherwise — and
// records how each connection began and ended.
type Live struct {
	url    string
	header http.Header

	mu        sync.Mutex
	connected bool
	connects  int
	closes    []Closed
	firsts    []json.RawMessage // the first message of each connection
}

// OpenLive connects to path (such as /api/v1/ws) under base with header,
// and keeps reconnecting until the test ends.
func OpenLive(t testing.TB, base, path string, header http.Header) *Live {
	l := &Live{url: strings.Replace(base, "http://", "ws://", 1) + path, header: header}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { defer close(done); l.run(ctx) }()
	t.Cleanup(func() { cancel(); <-done })
	return l
}

func (l *Live) run(ctx context.Context) {
	delay := time.Second
	for ctx.Err() == nil {
		opened, restart := l.connectOnce(ctx)
		if opened {
			delay = time.Second
		}
		var wait time.Duration
		if restart {
			wait = rand.N(time.Second)
		} else {
			wait = delay/2 + rand.N(delay)
			delay = min(2*delay, 15*time.Second)
		}
		select {
		case <-ctx.Done():
		case <-time.After(wait):
		}
	}
}

// connectOnce dials and reads until the connection ends; it reports whether
// the connection opened and whether the server closed it for a restart.
func (l *Live) connectOnce(ctx context.Context) (opened, restart bool) {
	c, _, err := websocket.Dial(ctx, l.url, &websocket.DialOptions{HTTPHeader: l.header})
	if err != nil {
		return false, false
	}
	defer c.CloseNow()
	l.mu.Lock()
	l.connected, l.connects = true, l.connects+1
	l.mu.Unlock()
	for first := true; ; first = false {
		_, b, err := c.Read(ctx)
		if err == nil {
			if first {
				l.mu.Lock()
				l.firsts = append(l.firsts, b)
				l.mu.Unlock()
			}
			continue
		}
		l.mu.Lock()
		defer l.mu.Unlock()
		l.connected = false
		if ctx.Err() != nil {
			return true, false
		}
		closed := Closed{Status: websocket.CloseStatus(err)}
		var ce websocket.CloseError
		if errors.As(err, &ce) {
			closed.Reason = ce.Reason
		}
		l.closes = append(l.closes, closed)
		return true, closed.Status == websocket.StatusGoingAway
	}
}

// Connects reports how many connections were opened and whether one is open
// now.
func (l *Live) Connects() (n int, open bool) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.connects, l.connected
}

// Closes lists how the server ended each connection so far.
func (l *Live) Closes() []Closed {
	l.mu.Lock()
	defer l.mu.Unlock()
	return append([]Closed(nil), l.closes...)
}

// Firsts lists the first message of each connection so far.
func (l *Live) Firsts() []json.RawMessage {
	l.mu.Lock()
	defer l.mu.Unlock()
	return append([]json.RawMessage(nil), l.firsts...)
}
