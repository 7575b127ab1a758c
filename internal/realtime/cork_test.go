package realtime

import (
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"
)

// countingConn counts the writes that reach the connection itself.
type countingConn struct {
	net.Conn
	writes atomic.Int32
}

func (c *countingConn) Write(p []byte) (int, error) {
	c.writes.Add(1)
	return c.Conn.Write(p)
}

// The buffered writer a hijacked connection is handed writes through the
// cork: what it flushes while corked reaches the connection in one write
// at uncork, and its buffers are the small ones, not net/http's 4 KiB.
func TestCorkingWriterHijack(t *testing.T) {
	writes := make(chan int32, 1)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		cw := &corkingWriter{ResponseWriter: w}
		_, brw, err := cw.Hijack()
		if err != nil {
			t.Error(err)
			return
		}
		counted := &countingConn{Conn: cw.conn.Conn}
		cw.conn.Conn = counted
		defer counted.Close()
		if brw.Reader.Size() != readBufferSize || brw.Writer.Size() != writeBufferSize {
			t.Errorf("buffers of %d and %d bytes, want %d and %d", brw.Reader.Size(), brw.Writer.Size(), readBufferSize, writeBufferSize)
		}
		cw.conn.cork()
		for _, s := range []string{"one ", "two ", "three"} {
			_, _ = brw.WriteString(s)
			if err := brw.Flush(); err != nil {
				t.Error(err)
			}
		}
		before := counted.writes.Load()
		if err := cw.conn.uncork(); err != nil {
			t.Error(err)
		}
		writes <- before*100 + counted.writes.Load()
	}))
	defer srv.Close()
	c, err := net.Dial("tcp", srv.Listener.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if _, err := io.WriteString(c, "GET / HTTP/1.1\r\nHost: x\r\n\r\n"); err != nil {
		t.Fatal(err)
	}
	got, err := io.ReadAll(c)
	if err != nil {
		t.Fatal(err)
	}
	if string(got) != "one two three" {
		t.Fatalf("client read %q", got)
	}
	if n := <-writes; n != 1 {
		t.Fatalf("writes while corked*100 + after uncork = %d, want 0*100 + 1", n)
	}
}
