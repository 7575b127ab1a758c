package realtime

import (
	"context"
	"encoding/json"
	"errors"
	"net"
	"net/http"
	"net/url"
	"runtime/debug"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/coder/websocket"

	"github.com/soulseer/soulseer/internal/apperr"
)

// Defaults of a live connection.
const (
	// DefaultPingInterval is how often a client is pinged; a client that has
	// not answered by the next ping is disconnected.
	DefaultPingInterval = 20 * time.Second
	// writeTimeout bounds how long one message may take to reach a client.
	writeTimeout = 10 * time.Second
	// maxClientMessage bounds what a client may send in one message.
	maxClientMessage = MaxMessageBytes
)

// TypeError is the type of the message a connection receives when something
// it sent was refused; its data is ErrorData.
const TypeError = "error"

// ErrorData tells a client why its message was refused.
type ErrorData struct {
	Code    apperr.Code `json:"code"`
	Message string      `json:"message"`
}

// ServeOptions adjust one live connection.
type ServeOptions struct {
	// Origins are the origins ("https://example.com", scheme, host and
	// port) whose pages may connect — normally the site's base URL. Pages
	// of any other origin, another scheme or port of the same host
	// included, are refused (cross-site WebSocket hijacking); clients that
	// send no Origin, which are not browsers, are accepted.
	Origins []string
	// OnMessage, when set, is called with each text message the client sends,
	// one at a time. An error it returns is reported to this connection as a
	// TypeError message and the connection stays open. It must return
	// promptly: the client's answers to pings are read between messages, so
	// a call longer than PingInterval disconnects the client. Without
	// OnMessage a client that sends anything is disconnected.
	OnMessage func(ctx context.Context, text []byte) error
	// PingInterval overrides DefaultPingInterval.
	PingInterval time.Duration
	// Hello, when set, gives the first message of the connection: the
	// current state of what the topics are about. It is read after the
	// subscription has begun, so a page rendered before a change whose
	// message was published before it connected still learns of the change.
	// An error closes the connection (status 1011); the client reconnects.
	Hello func(ctx context.Context) (typ string, data any, err error)
	// Last, when set, is asked about each message after it reaches the
	// client; a non-empty reason ends the connection there with
	// StatusRefused and that reason (a stream that ended, a viewer who was
	// banned), on whichever instance it is connected to.
	Last func(m Message) (reason string)
	// OnClose, when set, is called once ServeWS is done with the request:
	// when it refuses it, or when the connection it took over has ended and
	// OnMessage is no longer running. What the caller registered for the
	// connection (presence, a viewer count) is released there, since the
	// connection outlives the handler.
	OnClose func()
}

// StatusRefused is the close status of a connection whose client may not
// (or no longer) receive its topics; its reason says why, and a client
// should not reconnect.
const StatusRefused = 4403

// Close reasons a client can act on.
const (
	reasonDropped  = "fell behind and missed messages; reconnect and reload"
	reasonStopping = "server is restarting; reconnect"
	reasonReadOnly = "this connection does not take messages"
	reasonText     = "send text messages"
	reasonHello    = "could not read the current state; reconnect"
)

// ServeWS upgrades the request to a WebSocket and sends it every message of
// topics, each as one JSON text frame, until the client goes away. A client
// that falls behind is closed with status 1013 (try again later), and every
// connection is closed with 1001 (going away) when the hub stops; clients
// reconnect and reload their state. Dead connections are found by pinging.
//
// When the request is not a WebSocket handshake, comes from a page of
// another site, or the hub has stopped, ServeWS writes nothing and returns an
// *apperr.Error for the caller to answer. Otherwise it answers the request
// itself (including handshake errors) and returns nil once the connection is
// open and has had its Hello: from then on the connection is served by
// goroutines of its own, so the handler's goroutine — and the stack it grew
// authenticating the request — ends, and an idle connection costs only what
// it holds. Either way OnClose is called exactly once, when ServeWS is done
// with the request.
func (h *Hub) ServeWS(w http.ResponseWriter, r *http.Request, topics []string, opts ServeOptions) error {
	handedOver := false // to the connection's goroutine, which calls OnClose
	defer func() {
		if !handedOver && opts.OnClose != nil {
			opts.OnClose()
		}
	}()
	if !IsHandshake(r) {
		return apperr.Errorf(apperr.Invalid, "This address takes WebSocket connections only.")
	}
	if !originAllowed(r, opts.Origins) {
		return apperr.Errorf(apperr.Forbidden, "Live connections are only accepted from this site's pages.")
	}
	h.mu.Lock()
	if h.stopped {
		h.mu.Unlock()
		return apperr.Errorf(apperr.Unavailable, "The server is restarting; reconnect in a moment.")
	}
	h.conns.Add(1)
	h.mu.Unlock()

	// Subscribe before the handshake completes, so a message published as soon
	// as the client is connected reaches it.
	lc := &liveConn{hub: h, sub: h.subscribeShared(topics...), opts: opts}
	// The origin was checked above, against the site's origins; Accept's
	// own check knows only the request's host.
	cw := &corkingWriter{ResponseWriter: w}
	c, err := websocket.Accept(cw, r, &websocket.AcceptOptions{InsecureSkipVerify: true})
	if err != nil {
		h.log.Debug("realtime: handshake failed", "err", err)
		lc.sub.Close()
		h.conns.Done()
		return nil
	}
	lc.c, lc.cork = c, cw.conn
	// The request's context ends with the handler; the connection's lasts
	// until the connection ends.
	ctx, cancel := context.WithCancel(context.WithoutCancel(r.Context()))
	lc.cancel = cancel
	// A Hello that fails, or panics, ends the connection here.
	defer func() {
		if !handedOver {
			lc.end()
		}
	}()
	c.SetReadLimit(maxClientMessage)
	if opts.Hello != nil {
		if err := hello(ctx, c, opts.Hello); err != nil {
			h.log.Warn("realtime: first message", "err", err)
			_ = c.Close(websocket.StatusInternalError, reasonHello)
			return nil
		}
	}
	handedOver = true
	go func() {
		// Deferred calls run in reverse: end the connection, call OnClose,
		// and keep a panic in either (or in Last) from taking the process
		// down with it, as the handler's recovery would have.
		defer func() {
			if p := recover(); p != nil {
				h.log.Error("realtime: live connection panicked", "panic", p, "stack", string(debug.Stack()))
			}
		}()
		if opts.OnClose != nil {
			defer opts.OnClose()
		}
		defer lc.end()
		lc.serve(ctx)
	}()
	return nil
}

// liveConn is one connection ServeWS took over.
type liveConn struct {
	hub    *Hub
	sub    *Subscription
	opts   ServeOptions
	c      *websocket.Conn
	cork   *corkConn
	cancel context.CancelFunc
	// wg counts the reader's and the pinger's goroutines.
	wg sync.WaitGroup
}

// end closes the connection, which ends its goroutines, waits for them,
// and lets go of the subscription and the hub.
func (lc *liveConn) end() {
	lc.cancel()
	_ = lc.c.CloseNow()
	lc.wg.Wait()
	lc.sub.Close()
	lc.hub.conns.Done()
}

// serve sends the subscription's messages to the client until the
// connection ends one way or another.
func (lc *liveConn) serve(ctx context.Context) {
	h, c, sub, opts := lc.hub, lc.c, lc.sub, lc.opts
	interval := opts.PingInterval
	if interval <= 0 {
		interval = DefaultPingInterval
	}
	readDone := make(chan error, 1)
	lc.wg.Go(func() { readDone <- h.readLoop(ctx, c, opts.OnMessage) })
	// The client is pinged every interval from here, one ping at a time in
	// a goroutine that lasts as long as the ping, so an idle connection
	// keeps only its reader's goroutine and this one.
	ping := time.NewTicker(interval)
	defer ping.Stop()
	pong, pinging := make(chan error, 1), false
	out := newFrameWriter(c, lc.cork)

	for {
		select {
		case m, ok := <-sub.shared:
			// The messages queued behind m go out with it, in one write.
			for ; ok; m, ok = <-sub.shared {
				more := len(sub.shared) > 0
				if err := out.write(*m, more); err != nil {
					h.log.Debug("realtime: write failed; closing", "err", err)
					return
				}
				if opts.Last != nil {
					if reason := opts.Last(*m); reason != "" {
						_ = out.flush()
						_ = c.Close(StatusRefused, closeReason(reason))
						return
					}
				}
				if !more {
					break
				}
			}
			if !ok {
				_ = out.flush()
				_ = c.Close(websocket.StatusTryAgainLater, reasonDropped)
				return
			}
		case err := <-readDone:
			h.log.Debug("realtime: connection ended", "status", websocket.CloseStatus(err), "err", err)
			return
		case <-ping.C:
			if !pinging {
				pinging = true
				lc.wg.Go(func() { pong <- pingOnce(ctx, c, interval) })
			}
		case err := <-pong:
			pinging = false
			if err != nil {
				if ctx.Err() == nil {
					h.log.Debug("realtime: client stopped answering pings", "err", err)
				}
				return
			}
		case <-h.stop:
			_ = c.Close(websocket.StatusGoingAway, reasonStopping)
			return
		}
	}
}

// RefuseWS answers a WebSocket handshake from one of origins (as
// ServeOptions.Origins) with a connection that gets one message, of type
// typ with data, and is then closed with StatusRefused and reason — so a
// browser, which cannot read a refused handshake's answer, learns why it
// may not connect (a stream that has ended, a viewer who is banned). A
// request that is not a handshake (see IsHandshake), or from another
// site's page, gets an *apperr.Error for the caller to answer, as ServeWS
// does.
func (h *Hub) RefuseWS(w http.ResponseWriter, r *http.Request, origins []string, typ string, data any, reason string) error {
	if !IsHandshake(r) {
		return apperr.Errorf(apperr.Invalid, "This address takes WebSocket connections only.")
	}
	if !originAllowed(r, origins) {
		return apperr.Errorf(apperr.Forbidden, "Live connections are only accepted from this site's pages.")
	}
	m, _, err := encode(typ, data)
	if err != nil {
		return err
	}
	c, err := websocket.Accept(w, r, &websocket.AcceptOptions{InsecureSkipVerify: true})
	if err != nil {
		h.log.Debug("realtime: handshake failed", "err", err)
		return nil
	}
	defer c.CloseNow()
	if err := write(r.Context(), c, m); err == nil {
		_ = c.Close(StatusRefused, closeReason(reason))
	}
	return nil
}

// closeReason fits reason into a close frame, which holds 123 bytes.
func closeReason(reason string) string {
	for len(reason) > 123 {
		_, size := utf8.DecodeLastRuneInString(reason)
		reason = reason[:len(reason)-size]
	}
	return reason
}

// hello sends the message opts.Hello gives.
func hello(ctx context.Context, c *websocket.Conn, f func(context.Context) (string, any, error)) error {
	typ, data, err := f(ctx)
	if err != nil {
		return err
	}
	m, _, err := encode(typ, data)
	if err != nil {
		return err
	}
	return write(ctx, c, m)
}

// write sends one message as a JSON text frame.
func write(ctx context.Context, c *websocket.Conn, m Message) error {
	b, err := m.encoded()
	if err != nil {
		return err
	}
	wctx, cancel := context.WithTimeout(ctx, writeTimeout)
	defer cancel()
	return c.Write(wctx, websocket.MessageText, b)
}

// frameWriter sends a connection's broadcasts, each as one JSON text frame
// encoded once for every subscriber, through the connection's corkConn:
// a frame goes out in one write however the library splits it, and frames
// written while more are queued are held back and sent together with the
// last. A write that takes
// longer than writeTimeout closes the connection. One timer per
// connection, reset for each write, bounds them all, so a broadcast to many
// connections costs no timer or context per connection.
type frameWriter struct {
	c     *websocket.Conn
	cork  *corkConn
	timer *time.Timer
}

func newFrameWriter(c *websocket.Conn, cork *corkConn) *frameWriter {
	t := time.AfterFunc(time.Hour, func() { _ = c.CloseNow() })
	t.Stop()
	return &frameWriter{c: c, cork: cork, timer: t}
}

// write sends m, or holds it back while more messages follow.
func (w *frameWriter) write(m Message, more bool) error {
	b, err := m.encoded()
	if err != nil {
		return err
	}
	w.timer.Reset(writeTimeout)
	defer w.timer.Stop()
	w.cork.cork()
	// The timer, not a context, ends a stuck write. What was held back goes
	// out even when the write failed: a close frame another goroutine wrote
	// meanwhile is among it.
	err = w.c.Write(context.Background(), websocket.MessageText, b)
	if err != nil || !more {
		err = errors.Join(err, w.cork.uncork())
	}
	return err
}

// flush sends what write held back.
func (w *frameWriter) flush() error {
	w.timer.Reset(writeTimeout)
	defer w.timer.Stop()
	return w.cork.uncork()
}

// readLoop reads the client's messages until the connection ends, handing
// text to onMessage and reporting its errors back to the client.
func (h *Hub) readLoop(ctx context.Context, c *websocket.Conn, onMessage func(context.Context, []byte) error) error {
	for {
		typ, b, err := c.Read(ctx)
		if err != nil {
			return err
		}
		switch {
		case typ != websocket.MessageText:
			_ = c.Close(websocket.StatusUnsupportedData, reasonText)
			return errors.New("client sent a binary message")
		case onMessage == nil:
			_ = c.Close(websocket.StatusPolicyViolation, reasonReadOnly)
			return errors.New("client sent a message to a connection that takes none")
		}
		if err := onMessage(ctx, b); err != nil {
			if apperr.CodeOf(err) == apperr.Internal {
				h.log.Error("realtime: handling a client message", "err", err)
			}
			data, _ := json.Marshal(ErrorData{Code: apperr.CodeOf(err), Message: apperr.MessageOf(err)})
			if err := write(ctx, c, Message{Type: TypeError, Data: data}); err != nil {
				return err
			}
		}
	}
}

// pingOnce pings the client and waits up to interval for its answer.
func pingOnce(ctx context.Context, c *websocket.Conn, interval time.Duration) error {
	pctx, cancel := context.WithTimeout(ctx, interval)
	defer cancel()
	return c.Ping(pctx)
}

// IsHandshake reports whether r asks for a WebSocket upgrade.
func IsHandshake(r *http.Request) bool {
	return headerHasToken(r.Header, "Connection", "upgrade") && headerHasToken(r.Header, "Upgrade", "websocket")
}

func headerHasToken(h http.Header, key, token string) bool {
	for _, v := range h.Values(key) {
		for t := range strings.SplitSeq(v, ",") {
			if strings.EqualFold(strings.TrimSpace(t), token) {
				return true
			}
		}
	}
	return false
}

// originAllowed reports whether the request comes from a client that is
// not a browser (no Origin) or from a page of one of origins.
func originAllowed(r *http.Request, origins []string) bool {
	origin := r.Header.Get("Origin")
	if origin == "" {
		return true
	}
	o, ok := originOf(origin)
	if !ok {
		return false
	}
	for _, allowed := range origins {
		if a, ok := originOf(allowed); ok && a == o {
			return true
		}
	}
	return false
}

// originOf is the scheme, host and port of an http(s) URL, lower-cased and
// with the scheme's default port made explicit, so equal origins compare
// equal.
func originOf(raw string) (string, bool) {
	u, err := url.Parse(raw)
	if err != nil || u.Hostname() == "" || (u.Scheme != "http" && u.Scheme != "https") {
		return "", false
	}
	port := u.Port()
	if port == "" {
		port = map[string]string{"http": "80", "https": "443"}[u.Scheme]
	}
	return u.Scheme + "://" + net.JoinHostPort(strings.ToLower(u.Hostname()), port), true
}
