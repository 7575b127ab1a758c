// Package sentrytest stands in for Sentry in tests: an HTTP server on
// 127.0.0.1 that takes the envelopes a Sentry SDK sends to a DSN naming
// it, and hands each error event to the test.
package sentrytest

import (
	"bufio"
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

// Server is a fake Sentry ingestion endpoint.
type Server struct {
	// DSN points an SDK at the server: http://key@127.0.0.1:port/1.
	DSN    string
	events chan Envelope
}

// Envelope is one envelope that carried an error event: Raw is every byte
// the SDK sent, so a test can check what is absent anywhere in it.
type Envelope struct {
	Raw   []byte
	Event Event
}

// Event is the part of a Sentry error event tests look at.
type Event struct {
	Level       string                    `json:"level"`
	Release     string                    `json:"release"`
	Environment string                    `json:"environment"`
	Tags        map[string]string         `json:"tags"`
	Exception   []Exception               `json:"exception"`
	Contexts    map[string]map[string]any `json:"contexts"`
	Request     json.RawMessage           `json:"request"`
}

// Exception is an error or panic of an event.
type Exception struct {
	Type       string `json:"type"`
	Value      string `json:"value"`
	Stacktrace *struct {
		Frames []Frame `json:"frames"`
	} `json:"stacktrace"`
}

// Frame is one call of an exception's stack.
type Frame struct {
	Function string `json:"function"`
	Module   string `json:"module"`
}

// Start runs a server until the test ends.
func Start(t testing.TB) *Server {
	t.Helper()
	s := &Server{events: make(chan Envelope, 100)}
	ts := httptest.NewServer(http.HandlerFunc(s.receive))
	t.Cleanup(ts.Close)
	s.DSN = "http://key@" + strings.TrimPrefix(ts.URL, "http://") + "/1"
	return s
}

// receive takes one envelope: a header line, then items, each a header
// line and a payload (of the header's length, or up to the next newline).
func (s *Server) receive(w http.ResponseWriter, r *http.Request) {
	raw, err := io.ReadAll(r.Body)
	if err != nil || r.URL.Path != "/api/1/envelope/" {
		http.Error(w, "bad envelope", http.StatusBadRequest)
		return
	}
	br := bufio.NewReader(bytes.NewReader(raw))
	if _, err := br.ReadBytes('\n'); err != nil {
		http.Error(w, "no envelope header", http.StatusBadRequest)
		return
	}
	for {
		line, err := br.ReadBytes('\n')
		if len(bytes.TrimSpace(line)) == 0 {
			break
		}
		var item struct {
			Type   string `json:"type"`
			Length int    `json:"length"`
		}
		if json.Unmarshal(line, &item) != nil {
			http.Error(w, "bad item header", http.StatusBadRequest)
			return
		}
		var payload []byte
		if item.Length > 0 {
			payload = make([]byte, item.Length)
			_, err = io.ReadFull(br, payload)
			_, _ = br.ReadBytes('\n')
		} else {
			payload, err = br.ReadBytes('\n')
		}
		if item.Type == "event" {
			var e Event
			if json.Unmarshal(payload, &e) == nil {
				select {
				case s.events <- Envelope{Raw: raw, Event: e}:
				default: // a test that has stopped reading does not hold up the SDK
				}
			}
		}
		if err != nil {
			break
		}
	}
	w.WriteHeader(http.StatusOK)
}

// Next waits up to 30 s for the next envelope that match accepts, passing
// over others, and fails the test when none comes.
func (s *Server) Next(t testing.TB, match func(Envelope) bool) Envelope {
	t.Helper()
	timeout := time.After(30 * time.Second)
	for {
		select {
		case e := <-s.events:
			if match(e) {
				return e
			}
		case <-timeout:
			t.Fatal("no matching error event reached the fake Sentry within 30 s")
			return Envelope{}
		}
	}
}
