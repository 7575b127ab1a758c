package realtime_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/coder/websocket"

	"github.com/soulseer/soulseer/internal/apperr"
	"github.com/soulseer/soulseer/internal/realtime"
)

// wsServer serves ServeWS for topics on a test server. Each request reports
// on ended once ServeWS is done with it: its error at once, or nil when
// OnClose says its connection has ended. An error is answered with
// 403/400/503 as the web layer would.
func wsServer(t *testing.T, h *realtime.Hub, topics []string, opts realtime.ServeOptions) (url string, ended <-chan error) {
	t.Helper()
	ch := make(chan error, 16)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		closed := make(chan struct{})
		o := opts
		o.OnClose = func() {
			if opts.OnClose != nil {
				opts.OnClose()
			}
			close(closed)
		}
		if err := h.ServeWS(w, r, topics, o); err != nil {
			status := map[apperr.Code]int{apperr.Invalid: 400, apperr.Forbidden: 403, apperr.Unavailable: 503}[apperr.CodeOf(err)]
			http.Error(w, apperr.MessageOf(err), status)
			<-closed
			ch <- err
			return
		}
		go func() { <-closed; ch <- nil }()
	}))
	t.Cleanup(srv.Close)
	return "ws" + strings.TrimPrefix(srv.URL, "http"), ch
}

func dial(t *testing.T, url string, opts *websocket.DialOptions) *websocket.Conn {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), wait)
	defer cancel()
	c, res, err := websocket.Dial(ctx, url, opts)
	if err != nil {
		status := 0
		if res != nil {
			status = res.StatusCode
		}
		t.Fatalf("dial %s: %v (status %d)", url, err, status)
	}
	t.Cleanup(func() { c.CloseNow() })
	return c
}

// read returns the next message the client receives.
func read(t *testing.T, c *websocket.Conn) realtime.Message {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), wait)
	defer cancel()
	typ, b, err := c.Read(ctx)
	if err != nil {
		t.Fatalf("read: %v", err)
	}
	if typ != websocket.MessageText {
		t.Fatalf("got a %v frame, want text", typ)
	}
	var m realtime.Message
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatalf("frame %q is not a message: %v", b, err)
	}
	return m
}

// closeStatus reads until the connection ends and returns the close status
// the server sent.
func closeStatus(t *testing.T, c *websocket.Conn) websocket.StatusCode {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), wait)
	defer cancel()
	for {
		if _, _, err := c.Read(ctx); err != nil {
			if ctx.Err() != nil {
				t.Fatal("connection still open after", wait)
			}
			return websocket.CloseStatus(err)
		}
	}
}

func ended(t *testing.T, ch <-chan error) error {
	t.Helper()
	select {
	case err := <-ch:
		return err
	case <-time.After(wait):
		t.Fatal("ServeWS did not return within", wait)
	}
	return nil
}

// WAL-6 OD-9: a connection receives every message of its topics as JSON text
// frames; the text it sends reaches OnMessage, and a refused message comes
// back as an error message without closing the connection.
func TestServeWS(t *testing.T) {
	h := realtime.NewHub(nil, nil)
	ctx := context.Background()
	chat := realtime.ReadingTopic(2)
	url, done := wsServer(t, h, []string{realtime.UserTopic(1), chat}, realtime.ServeOptions{
		OnMessage: func(ctx context.Context, text []byte) error {
			if string(text) == "bad" {
				return apperr.Errorf(apperr.Invalid, "Say something nicer.")
			}
			return h.Publish(ctx, chat, "reading.chat", string(text))
		},
	})
	c := dial(t, url, nil)
	if got := h.Present(chat); got != 1 {
		t.Fatalf("Present = %d while connected, want 1", got)
	}
	if err := h.Publish(ctx, realtime.UserTopic(1), "wallet.balance", map[string]int{"balance_cents": 500}); err != nil {
		t.Fatal(err)
	}
	if err := h.Publish(ctx, realtime.UserTopic(9), "wallet.balance", 1); err != nil {
		t.Fatal(err)
	}
	if m := read(t, c); m.Type != "wallet.balance" || string(m.Data) != `{"balance_cents":500}` {
		t.Fatalf("got %s %s", m.Type, m.Data)
	}
	if err := c.Write(ctx, websocket.MessageText, []byte("hello")); err != nil {
		t.Fatal(err)
	}
	if m := read(t, c); m.Type != "reading.chat" || string(m.Data) != `"hello"` {
		t.Fatalf("got %s %s", m.Type, m.Data)
	}
	if err := c.Write(ctx, websocket.MessageText, []byte("bad")); err != nil {
		t.Fatal(err)
	}
	m := read(t, c)
	var e realtime.ErrorData
	if err := json.Unmarshal(m.Data, &e); err != nil || m.Type != realtime.TypeError || e.Code != apperr.Invalid || e.Message != "Say something nicer." {
		t.Fatalf("got %s %s", m.Type, m.Data)
	}
	if err := h.Publish(ctx, chat, "reading.chat", "still here"); err != nil {
		t.Fatal(err)
	}
	if m := read(t, c); string(m.Data) != `"still here"` {
		t.Fatalf("got %s %s", m.Type, m.Data)
	}
	if err := c.Close(websocket.StatusNormalClosure, ""); err != nil {
		t.Fatal(err)
	}
	if err := ended(t, done); err != nil {
		t.Fatal(err)
	}
	if got := h.Present(chat); got != 0 {
		t.Fatalf("Present = %d after the client left, want 0", got)
	}
}

// LIV-6: the handler's goroutine is not kept for the connection's life:
// ServeWS returns once the connection is open, the connection goes on
// delivering, and OnClose comes when it ends.
func TestServeWSReturnsWhileConnected(t *testing.T) {
	h := realtime.NewHub(nil, nil)
	topic := realtime.StreamTopic(3)
	returned, closed := make(chan error, 1), make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		returned <- h.ServeWS(w, r, []string{topic}, realtime.ServeOptions{OnClose: func() { close(closed) }})
	}))
	t.Cleanup(srv.Close)
	c := dial(t, "ws"+strings.TrimPrefix(srv.URL, "http"), nil)
	select {
	case err := <-returned:
		if err != nil {
			t.Fatal(err)
		}
	case <-time.After(wait):
		t.Fatal("ServeWS still running while the connection is open")
	}
	if err := h.Publish(context.Background(), topic, "stream.chat", "after the handler"); err != nil {
		t.Fatal(err)
	}
	if m := read(t, c); string(m.Data) != `"after the handler"` {
		t.Fatalf("got %s %s", m.Type, m.Data)
	}
	select {
	case <-closed:
		t.Fatal("OnClose before the connection ended")
	default:
	}
	if err := c.Close(websocket.StatusNormalClosure, ""); err != nil {
		t.Fatal(err)
	}
	select {
	case <-closed:
	case <-time.After(wait):
		t.Fatal("OnClose not called after the client left")
	}
	if got := h.Present(topic); got != 0 {
		t.Fatalf("Present = %d after OnClose, want 0", got)
	}
}

// SEC-5: browsers may connect only from this site's pages: the origin of
// the site — scheme, host and port — and no other, not even another scheme
// or port of the same host, nor the host the request happened to reach.
// Clients without an Origin are not browsers and may connect; plain HTTP
// requests are refused.
func TestServeWSOrigin(t *testing.T) {
	h := realtime.NewHub(nil, nil)
	url, done := wsServer(t, h, []string{"t"}, realtime.ServeOptions{Origins: []string{"https://soulseer.example"}})
	self := "http://" + strings.TrimPrefix(url, "ws://")
	for _, tc := range []struct {
		origin string
		status int
	}{
		{"", http.StatusSwitchingProtocols},
		{"https://soulseer.example", http.StatusSwitchingProtocols},
		{"https://SoulSeer.example", http.StatusSwitchingProtocols},
		{"HTTPS://soulseer.example:443", http.StatusSwitchingProtocols},
		{self, http.StatusForbidden},
		{"http://soulseer.example", http.StatusForbidden},
		{"http://soulseer.example:443", http.StatusForbidden},
		{"https://soulseer.example:8443", http.StatusForbidden},
		{"wss://soulseer.example", http.StatusForbidden},
		{"https://evil.example", http.StatusForbidden},
		{"https://soulseer.example.evil.example", http.StatusForbidden},
		{"https://evil.example#soulseer.example", http.StatusForbidden},
		{"null", http.StatusForbidden},
	} {
		hdr := http.Header{}
		if tc.origin != "" {
			hdr.Set("Origin", tc.origin)
		}
		ctx, cancel := context.WithTimeout(context.Background(), wait)
		c, res, err := websocket.Dial(ctx, url, &websocket.DialOptions{HTTPHeader: hdr})
		cancel()
		if res == nil || res.StatusCode != tc.status {
			t.Fatalf("origin %q: response %v, err %v; want %d", tc.origin, res, err, tc.status)
		}
		if c != nil {
			c.Close(websocket.StatusNormalClosure, "")
		}
		err = ended(t, done)
		if tc.status == http.StatusForbidden && apperr.CodeOf(err) != apperr.Forbidden {
			t.Fatalf("origin %q: ServeWS returned %v", tc.origin, err)
		}
	}

	res, err := http.Get(self)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if err := ended(t, done); res.StatusCode != http.StatusBadRequest || apperr.CodeOf(err) != apperr.Invalid {
		t.Fatalf("plain GET: %d, ServeWS returned %v", res.StatusCode, err)
	}
}

// A client that answers pings stays connected; one that stops answering is
// disconnected within two ping intervals.
func TestServeWSPing(t *testing.T) {
	h := realtime.NewHub(nil, nil)
	url, done := wsServer(t, h, []string{"t"}, realtime.ServeOptions{PingInterval: 20 * time.Millisecond})

	pings := make(chan struct{}, 100)
	alive := dial(t, url, &websocket.DialOptions{OnPingReceived: func(context.Context, []byte) bool {
		pings <- struct{}{}
		return true
	}})
	received := make(chan realtime.Message, 10)
	go func() { // pongs are sent while the client reads
		defer close(received)
		for {
			_, b, err := alive.Read(context.Background())
			var m realtime.Message
			if err != nil || json.Unmarshal(b, &m) != nil {
				return
			}
			received <- m
		}
	}()
	for range 5 {
		select {
		case <-pings:
		case <-time.After(wait):
			t.Fatal("no ping within", wait)
		}
	}
	if err := h.Publish(context.Background(), "t", "still.alive", nil); err != nil {
		t.Fatal(err)
	}
	select {
	case m, ok := <-received:
		if !ok || m.Type != "still.alive" {
			t.Fatalf("answering client lost its connection after pings (got %+v)", m)
		}
	case <-time.After(wait):
		t.Fatal("no message within", wait)
	}

	dial(t, url, nil) // never reads, so never answers a ping
	if err := ended(t, done); err != nil {
		t.Fatal(err)
	}
	if got := h.Present("t"); got != 1 {
		t.Fatalf("Present = %d, want only the live client", got)
	}
}

// A connection whose client falls behind is dropped and closed with 1013
// (try again later), while publishing carries on.
func TestServeWSDropsSlowClient(t *testing.T) {
	h := realtime.NewHub(nil, nil)
	url, done := wsServer(t, h, []string{"t"}, realtime.ServeOptions{})
	c := dial(t, url, nil)
	c.SetReadLimit(-1)
	big := strings.Repeat("x", realtime.MaxMessageBytes-100)
	deadline := time.Now().Add(wait)
	for h.Present("t") > 0 { // fill the socket, then the subscription buffer
		if time.Now().After(deadline) {
			t.Fatal("a client that never reads was not dropped within", wait)
		}
		if err := h.Publish(context.Background(), "t", "filler", big); err != nil {
			t.Fatal(err)
		}
	}
	if got := closeStatus(t, c); got != websocket.StatusTryAgainLater {
		t.Fatalf("close status %v, want %v", got, websocket.StatusTryAgainLater)
	}
	if err := ended(t, done); err != nil {
		t.Fatal(err)
	}
}

// LIV-7: a viewer whose connection never reads does not hold up the
// others: while broadcasts fill its socket and then its buffer, a viewer
// that reads gets every broadcast, in order, as it is sent, and the stuck
// one is dropped.
func TestServeWSStuckViewerDoesNotDelayOthers(t *testing.T) {
	h := realtime.NewHub(nil, nil)
	url, _ := wsServer(t, h, []string{"stream"}, realtime.ServeOptions{})
	stuck := dial(t, url, nil)
	reader := dial(t, url, nil)
	reader.SetReadLimit(-1)
	if n := h.Present("stream"); n != 2 { // ServeWS subscribes before the handshake ends
		t.Fatalf("%d viewers subscribed, want 2", n)
	}
	big := strings.Repeat("x", realtime.MaxMessageBytes-100)
	deadline := time.Now().Add(wait)
	sent := 0
	for h.Present("stream") > 1 {
		if time.Now().After(deadline) {
			t.Fatal("the stuck viewer was not dropped within", wait)
		}
		if err := h.Publish(context.Background(), "stream", "chat", map[string]any{"n": sent, "pad": big}); err != nil {
			t.Fatal(err)
		}
		m := read(t, reader) // each broadcast reaches the reading viewer before the next is sent
		if m.Type != "chat" || !strings.HasPrefix(string(m.Data), fmt.Sprintf(`{"n":%d,`, sent)) {
			t.Fatalf("broadcast %d reached the reading viewer as %s %.40s", sent, m.Type, m.Data)
		}
		sent++
	}
	if sent < realtime.SubscriptionBuffer {
		t.Fatalf("the stuck viewer was dropped after %d broadcasts, fewer than its buffer of %d", sent, realtime.SubscriptionBuffer)
	}
	if got := closeStatus(t, stuck); got != websocket.StatusTryAgainLater {
		t.Fatalf("the stuck viewer's close status %v, want %v", got, websocket.StatusTryAgainLater)
	}
}

// A client must send text, and only to a connection that takes messages.
func TestServeWSRefusesClientMessages(t *testing.T) {
	h := realtime.NewHub(nil, nil)
	readOnly, done1 := wsServer(t, h, []string{"t"}, realtime.ServeOptions{})
	chat, done2 := wsServer(t, h, []string{"t"}, realtime.ServeOptions{OnMessage: func(context.Context, []byte) error { return nil }})
	for _, tc := range []struct {
		url  string
		done <-chan error
		typ  websocket.MessageType
		want websocket.StatusCode
	}{
		{readOnly, done1, websocket.MessageText, websocket.StatusPolicyViolation},
		{chat, done2, websocket.MessageBinary, websocket.StatusUnsupportedData},
	} {
		c := dial(t, tc.url, nil)
		if err := c.Write(context.Background(), tc.typ, []byte("hi")); err != nil {
			t.Fatal(err)
		}
		if got := closeStatus(t, c); got != tc.want {
			t.Fatalf("close status %v, want %v", got, tc.want)
		}
		if err := ended(t, tc.done); err != nil {
			t.Fatal(err)
		}
	}
}

// OPS-3: when the hub stops (the instance shuts down), live connections are closed
// with 1001 (going away) so clients reconnect elsewhere, Run returns after
// they are closed, and new connections are refused.
func TestServeWSHubStop(t *testing.T) {
	h := realtime.NewHub(nil, nil)
	ctx, cancel := context.WithCancel(context.Background())
	running := make(chan error, 1)
	go func() { running <- h.Run(ctx) }()
	url, done := wsServer(t, h, []string{"t"}, realtime.ServeOptions{})
	c := dial(t, url, nil)
	cancel()
	if got := closeStatus(t, c); got != websocket.StatusGoingAway {
		t.Fatalf("close status %v, want %v", got, websocket.StatusGoingAway)
	}
	select {
	case err := <-running:
		if err != nil {
			t.Fatal(err)
		}
	case <-time.After(wait):
		t.Fatal("Run did not return after its context ended")
	}
	if err := ended(t, done); err != nil {
		t.Fatal(err)
	}
	dctx, dcancel := context.WithTimeout(context.Background(), wait)
	defer dcancel()
	_, res, err := websocket.Dial(dctx, url, nil)
	if res == nil || res.StatusCode != http.StatusServiceUnavailable {
		t.Fatalf("dial after stop: %v, %v", res, err)
	}
	if err := ended(t, done); apperr.CodeOf(err) != apperr.Unavailable {
		t.Fatalf("ServeWS after stop returned %v", err)
	}
}

// A Hello that panics (the handler's recovery answers it) still ends the
// connection, its subscription and its count on the hub, and calls
// OnClose, so the hub can stop.
func TestServeWSHelloPanics(t *testing.T) {
	h := realtime.NewHub(nil, nil)
	ctx, cancel := context.WithCancel(context.Background())
	running := make(chan error, 1)
	go func() { running <- h.Run(ctx) }()
	topic := realtime.StreamTopic(4)
	closed := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer func() { _ = recover() }()
		_ = h.ServeWS(w, r, []string{topic}, realtime.ServeOptions{
			Hello:   func(context.Context) (string, any, error) { panic("reading the state") },
			OnClose: func() { close(closed) },
		})
	}))
	t.Cleanup(srv.Close)
	c := dial(t, "ws"+strings.TrimPrefix(srv.URL, "http"), nil)
	closeStatus(t, c)
	select {
	case <-closed:
	case <-time.After(wait):
		t.Fatal("OnClose not called after Hello panicked")
	}
	if got := h.Present(topic); got != 0 {
		t.Fatalf("Present = %d after Hello panicked, want 0", got)
	}
	cancel()
	select {
	case err := <-running:
		if err != nil {
			t.Fatal(err)
		}
	case <-time.After(wait):
		t.Fatal("Run did not return: the connection still counts on the hub")
	}
}

// OD-9: Hello's message comes first and is read after the subscription
// began, so a change published while it is being read still arrives after
// it; a Hello that fails closes the connection with 1011 for the client to
// reconnect.
func TestServeWSHello(t *testing.T) {
	h := realtime.NewHub(nil, nil)
	topic := realtime.ReadingTopic(3)
	state := "waiting"
	url, _ := wsServer(t, h, []string{topic}, realtime.ServeOptions{
		Hello: func(ctx context.Context) (string, any, error) {
			// A change that lands while the state is being read.
			if err := h.Publish(ctx, topic, "reading.accepted", map[string]string{"state": "active"}); err != nil {
				return "", nil, err
			}
			return "reading.state", map[string]string{"state": state}, nil
		},
	})
	c := dial(t, url, nil)
	if m := read(t, c); m.Type != "reading.state" || string(m.Data) != `{"state":"waiting"}` {
		t.Fatalf("first message %s %s, want the state", m.Type, m.Data)
	}
	if m := read(t, c); m.Type != "reading.accepted" || string(m.Data) != `{"state":"active"}` {
		t.Fatalf("second message %s %s, want the change published during Hello", m.Type, m.Data)
	}

	failing, done := wsServer(t, h, []string{topic}, realtime.ServeOptions{
		Hello: func(context.Context) (string, any, error) { return "", nil, errors.New("database is away") },
	})
	if got := closeStatus(t, dial(t, failing, nil)); got != websocket.StatusInternalError {
		t.Fatalf("close status %v after a failed Hello, want %v", got, websocket.StatusInternalError)
	}
	if err := ended(t, done); err != nil {
		t.Fatal(err)
	}
}
