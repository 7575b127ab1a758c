package crashtest

import (
	"io"
	"net"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// Proxy puts several instances behind one address, as a load balancer does
// in production: each new TCP connection goes to the next instance in turn
// that accepts it, skipping any that refuse (one stopping or stopped), so a
// client that reconnects while an instance restarts reaches a running one.
type Proxy struct {
	URL string

	ln       net.Listener
	backends []string
	next     atomic.Uint64
	wg       sync.WaitGroup

	mu     sync.Mutex
	conns  map[net.Conn]struct{}
	closed bool
}

// NewProxy listens on a free local address and forwards to backends
// (host:port each) until the test ends.
func NewProxy(t testing.TB, backends ...string) *Proxy {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	p := &Proxy{URL: "http://" + ln.Addr().String(), ln: ln, backends: backends, conns: map[net.Conn]struct{}{}}
	p.wg.Go(p.accept)
	t.Cleanup(func() {
		ln.Close()
		p.mu.Lock()
		p.closed = true
		for c := range p.conns {
			c.Close()
		}
		p.mu.Unlock()
		p.wg.Wait()
	})
	return p
}

func (p *Proxy) accept() {
	for {
		c, err := p.ln.Accept()
		if err != nil {
			return
		}
		p.wg.Go(func() { p.forward(c) })
	}
}

// forward connects c to the first backend, from the next in turn, that
// accepts a connection, and copies both ways until both sides are done; c is
// closed at once when none accepts.
func (p *Proxy) forward(c net.Conn) {
	start := p.next.Add(1)
	var b net.Conn
	for i := range uint64(len(p.backends)) {
		var err error
		if b, err = net.DialTimeout("tcp", p.backends[(start+i)%uint64(len(p.backends))], 2*time.Second); err == nil {
			break
		}
	}
	if b == nil {
		c.Close()
		return
	}
	if !p.track(c, b) {
		return
	}
	defer p.untrack(c, b)
	var both sync.WaitGroup
	both.Go(func() { pipe(b, c) })
	both.Go(func() { pipe(c, b) })
	both.Wait()
}

// pipe copies src to dst until src ends, then ends dst's writing side, so
// the other direction can still finish (a WebSocket's closing handshake).
func pipe(dst, src net.Conn) {
	if _, err := io.Copy(dst, src); err != nil {
		src.Close()
		dst.Close()
		return
	}
	if cw, ok := dst.(interface{ CloseWrite() error }); ok {
		_ = cw.CloseWrite()
	}
}

// track records an open pair so the test's end closes it; once the proxy
// has closed it closes the pair instead and reports false.
func (p *Proxy) track(c, b net.Conn) bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.closed {
		c.Close()
		b.Close()
		return false
	}
	p.conns[c], p.conns[b] = struct{}{}, struct{}{}
	return true
}

// untrack closes a finished pair and forgets it.
func (p *Proxy) untrack(c, b net.Conn) {
	c.Close()
	b.Close()
	p.mu.Lock()
	defer p.mu.Unlock()
	delete(p.conns, c)
	delete(p.conns, b)
}
