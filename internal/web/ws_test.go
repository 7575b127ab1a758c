package web_test

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/coder/websocket"

	"github.com/soulseer/soulseer/internal/account"
	"github.com/soulseer/soulseer/internal/apptest"
	"github.com/soulseer/soulseer/internal/db"
	"github.com/soulseer/soulseer/internal/realtime"
)

// wsWait bounds every wait for a live event; reaching it fails the test.
const wsWait = 10 * time.Second

// wsURL is the live connection's address on s.
func wsURL(s *apptest.Server) string { return "ws" + strings.TrimPrefix(s.URL, "http") + "/api/v1/ws" }

// wsDial opens the live connection with the given request headers, failing
// the test unless the handshake succeeds. Messages arrive on the returned
// channel, which closes when the connection ends.
func wsDial(t *testing.T, s *apptest.Server, hdr http.Header) <-chan realtime.Message {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), wsWait)
	defer cancel()
	c, res, err := websocket.Dial(ctx, wsURL(s), &websocket.DialOptions{HTTPHeader: hdr})
	if err != nil {
		body := ""
		if res != nil {
			b, _ := io.ReadAll(res.Body)
			body = res.Status + " " + string(b)
		}
		t.Fatalf("dial: %v %s", err, body)
	}
	t.Cleanup(func() { c.CloseNow() })
	return wsMessages(c)
}

// wsMessages delivers the messages c receives on the returned channel,
// which closes when the connection ends.
func wsMessages(c *websocket.Conn) <-chan realtime.Message {
	out := make(chan realtime.Message, 16)
	go func() {
		defer close(out)
		for {
			_, b, err := c.Read(context.Background())
			if err != nil {
				return
			}
			var m realtime.Message
			if json.Unmarshal(b, &m) != nil {
				return
			}
			out <- m
		}
	}()
	return out
}

// wsNext returns the next message that is not a probe.
func wsNext(t *testing.T, c <-chan realtime.Message) realtime.Message {
	t.Helper()
	deadline := time.After(wsWait)
	for {
		select {
		case m, ok := <-c:
			if !ok {
				t.Fatal("live connection closed")
			}
			if m.Type != "probe" {
				return m
			}
		case <-deadline:
			t.Fatal("no live message within", wsWait)
		}
	}
}

// wsCookieHeader logs in as email, as a browser page on s would, and returns
// the handshake headers such a page sends: its session cookie and its origin.
func wsCookieHeader(t *testing.T, s *apptest.Server, c *apptest.Client, email string) http.Header {
	t.Helper()
	res := c.Do("POST", "/api/v1/auth/login", map[string]string{"email": email, "password": apptest.Password})
	cookies := (&http.Response{Header: res.Header}).Cookies()
	if res.Status != http.StatusOK || len(cookies) == 0 {
		t.Fatalf("login %s: %d %s", email, res.Status, res.Body)
	}
	hdr := http.Header{"Origin": {s.URL}}
	for _, ck := range cookies {
		hdr.Add("Cookie", ck.Name+"="+ck.Value)
	}
	return hdr
}

// wsTokenHeader returns the handshake header of an app authenticating with a
// bearer API token of c's user.
func wsTokenHeader(t *testing.T, c *apptest.Client) http.Header {
	t.Helper()
	res := c.Do("POST", "/api/v1/auth/tokens", map[string]string{"name": "live"})
	var tok struct {
		Token string `json:"token"`
	}
	res.JSON(t, &tok)
	if res.Status != http.StatusCreated || tok.Token == "" {
		t.Fatalf("create token: %d %s", res.Status, res.Body)
	}
	return http.Header{"Authorization": {"Bearer " + tok.Token}}
}

type wsBalance struct {
	BalanceCents int64 `json:"balance_cents"`
}

// WAL-6: a message on a user's topic reaches every open connection of that
// user — a browser page with its session cookie and an app with a bearer
// token — and no one else's.
func TestWSUserTopic(t *testing.T) {
	eachEngine(t, func(t *testing.T, s *apptest.Server) {
		c, u := s.LoginAs("x@example.com", account.RoleClient)
		oc, other := s.LoginAs("y@example.com", account.RoleClient)
		page := wsDial(t, s, wsCookieHeader(t, s, c, "x@example.com"))
		app := wsDial(t, s, wsTokenHeader(t, c))
		otherPage := wsDial(t, s, wsTokenHeader(t, oc))

		ctx := context.Background()
		if err := s.App.Hub.Publish(ctx, realtime.UserTopic(u.ID), "wallet.balance", wsBalance{1234}); err != nil {
			t.Fatal(err)
		}
		if err := s.App.Hub.Publish(ctx, realtime.UserTopic(other.ID), "wallet.balance", wsBalance{1}); err != nil {
			t.Fatal(err)
		}
		for name, conn := range map[string]<-chan realtime.Message{"page": page, "app": app} {
			var b wsBalance
			m := wsNext(t, conn)
			if err := json.Unmarshal(m.Data, &b); err != nil || m.Type != "wallet.balance" || b.BalanceCents != 1234 {
				t.Fatalf("%s got %s %s", name, m.Type, m.Data)
			}
		}
		var b wsBalance
		if m := wsNext(t, otherPage); json.Unmarshal(m.Data, &b) != nil || b.BalanceCents != 1 {
			t.Fatalf("other user's page got %s %s", m.Type, m.Data)
		}
	})
}

// ACC-3 SEC-5: the live connection needs a signed-in user, refuses pages of
// other sites (and of the site's host on another scheme) even with the
// user's cookie, and answers plain HTTP with a problem document.
func TestWSRefused(t *testing.T) {
	eachEngine(t, func(t *testing.T, s *apptest.Server) {
		c, _ := s.LoginAs("x@example.com", account.RoleClient)
		crossSite := wsCookieHeader(t, s, c, "x@example.com")
		crossSite.Set("Origin", "https://evil.example")
		otherScheme := crossSite.Clone()
		otherScheme.Set("Origin", "https"+strings.TrimPrefix(s.URL, "http"))
		for _, tc := range []struct {
			name   string
			hdr    http.Header
			status int
		}{
			{"anonymous", nil, http.StatusUnauthorized},
			{"bad token", http.Header{"Authorization": {"Bearer nope"}}, http.StatusUnauthorized},
			{"cross-site page", crossSite, http.StatusForbidden},
			{"page of the site's host on another scheme", otherScheme, http.StatusForbidden},
		} {
			ctx, cancel := context.WithTimeout(context.Background(), wsWait)
			conn, res, err := websocket.Dial(ctx, wsURL(s), &websocket.DialOptions{HTTPHeader: tc.hdr})
			cancel()
			if conn != nil {
				conn.CloseNow()
				t.Fatalf("%s: connection accepted", tc.name)
			}
			if res == nil || res.StatusCode != tc.status || res.Header.Get("Content-Type") != "application/problem+json" {
				t.Fatalf("%s: %v %v, want %d problem+json", tc.name, res, err, tc.status)
			}
		}
		res := c.Do("GET", "/api/v1/ws", nil) // signed in by its cookie jar
		if res.Status != http.StatusBadRequest || res.Header.Get("Content-Type") != "application/problem+json" {
			t.Fatalf("plain GET: %d %s", res.Status, res.Body)
		}
	})
}

// WAL-6 OPS-1: with two instances on one PostgreSQL database, a
// message published on one reaches the user's connection on the other,
// exactly once.
func TestWSAcrossInstances(t *testing.T) {
	t.Parallel()
	one := apptest.Start(t, db.Postgres)
	two := apptest.Start(t, db.Postgres, apptest.SharingDatabase(one))
	c, u := one.LoginAs("x@example.com", account.RoleClient)
	live := wsDial(t, two, wsTokenHeader(t, c))
	ctx := context.Background()
	topic := realtime.UserTopic(u.ID)

	// Instance two's listener connects in the background: probe until it does.
	deadline := time.After(wsWait)
	for linked := false; !linked; {
		if err := one.App.Hub.Publish(ctx, topic, "probe", nil); err != nil {
			t.Fatal(err)
		}
		select {
		case m := <-live:
			linked = m.Type == "probe"
		case <-time.After(50 * time.Millisecond):
		case <-deadline:
			t.Fatal("instances not linked within", wsWait)
		}
	}
	for _, typ := range []string{"wallet.balance", "fence"} {
		if err := one.App.Hub.Publish(ctx, topic, typ, wsBalance{777}); err != nil {
			t.Fatal(err)
		}
	}
	for _, want := range []string{"wallet.balance", "fence"} {
		if m := wsNext(t, live); m.Type != want {
			t.Fatalf("got %s %s, want %s", m.Type, m.Data, want)
		}
	}
}
