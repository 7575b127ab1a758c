package realtime

import (
	"bufio"
	"net"
	"net/http"
	"sync"
)

// corkConn is a connection that holds back what is written to it while it
// is corked and sends it all in one write when uncorked: the broadcasts
// queued for a client that fell behind reach it in one system call rather
// than one each, which is what lets a busy instance catch up.
type corkConn struct {
	net.Conn

	mu     sync.Mutex
	corked bool
	held   []byte
}

// maxHeldKept bounds the buffer a connection keeps between batches; a
// larger one goes back to the pool.
const maxHeldKept = 64 << 10

var heldPool = sync.Pool{New: func() any { return new([]byte) }}

// Write sends p, or holds it while the connection is corked.
func (c *corkConn) Write(p []byte) (int, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.corked {
		if c.held == nil {
			c.held = (*heldPool.Get().(*[]byte))[:0]
		}
		c.held = append(c.held, p...)
		return len(p), nil
	}
	return c.Conn.Write(p)
}

// cork holds back writes until uncork.
func (c *corkConn) cork() {
	c.mu.Lock()
	c.corked = true
	c.mu.Unlock()
}

// uncork sends what was held back in one write and lets writes through
// again.
func (c *corkConn) uncork() error {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.corked = false
	if c.held == nil {
		return nil
	}
	_, err := c.Conn.Write(c.held)
	b := c.held[:0]
	c.held = nil
	if cap(b) <= maxHeldKept {
		heldPool.Put(&b)
	}
	return err
}

// Buffers of a connection the WebSocket library takes over, for as long as
// it lasts. net/http's are 4 KiB each; a broadcast goes out through the
// corkConn, which holds it in a pooled buffer, so these need only hold a
// frame's header and a client's short messages.
const (
	readBufferSize  = 512
	writeBufferSize = 512
)

// corkingWriter hands the WebSocket library a corkConn when it takes over
// the connection.
type corkingWriter struct {
	http.ResponseWriter
	conn *corkConn
}

// Hijack takes over the connection, wrapped in a corkConn, with small
// buffers of its own: net/http's writer would write past the cork, to the
// connection itself. Its reader is kept only while it holds bytes the
// client sent after the handshake.
func (w *corkingWriter) Hijack() (net.Conn, *bufio.ReadWriter, error) {
	c, brw, err := http.NewResponseController(w.ResponseWriter).Hijack()
	if err != nil {
		return nil, nil, err
	}
	w.conn = &corkConn{Conn: c}
	br := brw.Reader
	if br.Buffered() == 0 {
		br = bufio.NewReaderSize(w.conn, readBufferSize)
	}
	return w.conn, bufio.NewReadWriter(br, bufio.NewWriterSize(w.conn, writeBufferSize)), nil
}
