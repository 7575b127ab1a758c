package web_test

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/soulseer/soulseer/internal/account"
	"github.com/soulseer/soulseer/internal/app"
	"github.com/soulseer/soulseer/internal/apptest"
	"github.com/soulseer/soulseer/internal/realtime"
)

// shortTimeouts stand in for the server's timeouts so a test sees them act
// within a second.
var shortTimeouts = app.Timeouts{ReadHeader: 300 * time.Millisecond, Read: 300 * time.Millisecond, Write: time.Second, Idle: time.Second}

// trickle opens a raw connection, sends head at once and then one byte of
// drip every 20 ms until the server closes the connection, and returns how
// many drip bytes it sent. A server that keeps the connection for the
// test's 30 s safety margin fails the test.
func trickle(t *testing.T, s *apptest.Server, head, drip string) int64 {
	t.Helper()
	conn, err := net.Dial("tcp", strings.TrimPrefix(s.URL, "http://"))
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	if _, err := io.WriteString(conn, head); err != nil {
		t.Fatal(err)
	}
	var sent atomic.Int64
	stop := make(chan struct{})
	defer close(stop)
	go func() {
		tick := time.NewTicker(20 * time.Millisecond)
		defer tick.Stop()
		for i := 0; ; i++ {
			select {
			case <-stop:
				return
			case <-tick.C:
			}
			if _, err := conn.Write([]byte{drip[i%len(drip)]}); err != nil {
				return
			}
			sent.Add(1)
		}
	}()
	if err := conn.SetReadDeadline(time.Now().Add(30 * time.Second)); err != nil {
		t.Fatal(err)
	}
	_, err = io.ReadAll(conn)
	var ne net.Error
	if errors.As(err, &ne) && ne.Timeout() {
		t.Fatalf("the server kept a trickling connection open for 30 s (%d bytes trickled)", sent.Load())
	}
	return sent.Load()
}

// SEC-5: a client that sends its headers or its body a byte at a time is
// cut off by the server's read timeouts instead of holding a connection for
// ever; a live WebSocket connection outlasts both the read and the write
// timeout.
func TestServerTimeouts_SEC5(t *testing.T) {
	eachApp(t, func(t *testing.T, s *apptest.Server) {
		host := strings.TrimPrefix(s.URL, "http://")
		body := trickle(t, s, "POST /api/v1/auth/login HTTP/1.1\r\nHost: "+host+
			"\r\nContent-Type: application/json\r\nContent-Length: 1000000\r\n\r\n{\"email\": \"", "a")
		if body < 1 {
			t.Fatal("the body trickle sent nothing before the connection closed")
		}
		hdr := trickle(t, s, "GET /healthz HTTP/1.1\r\nHost: "+host+"\r\n", "X-Slow: yes\r\n")
		if hdr < 1 {
			t.Fatal("the header trickle sent nothing before the connection closed")
		}

		u := s.CreateUser("live@example.com", account.RoleClient)
		msgs := wsDial(t, s, http.Header{"Authorization": {"Bearer " + bearer(t, s, u).Token}})
		// Let both the read and the write deadline of the handshake pass.
		time.Sleep(shortTimeouts.Write + shortTimeouts.Read)
		if err := s.App.Hub.Publish(context.Background(), realtime.UserTopic(u.ID), "wallet.balance", wsBalance{4321}); err != nil {
			t.Fatal(err)
		}
		var b wsBalance
		if m := wsNext(t, msgs); json.Unmarshal(m.Data, &b) != nil || b.BalanceCents != 4321 {
			t.Fatalf("live connection got %s %s", m.Type, m.Data)
		}
	}, apptest.WithTimeouts(shortTimeouts))
}
