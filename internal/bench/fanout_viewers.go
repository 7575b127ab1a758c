package bench

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strconv"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/coder/websocket"
)

// sentAtMarker precedes, in every chat message the fan-out benchmark sends,
// the time it was sent (Unix nanoseconds), so a viewer that receives it
// knows the message's delivery latency whatever the server wraps it in.
const sentAtMarker = "fanout-sent-at:"

// viewerPlan tells the viewers' process where to connect and how: one
// viewer per entry of Auth.
type viewerPlan struct {
	URL string `json:"url"`
	// Auth is each viewer's Authorization header; empty sends none.
	Auth []string `json:"auth"`
	// Hello is each viewer's first frame, sent once connected; empty sends
	// nothing.
	Hello []string `json:"hello"`
	// ReadyAfter is text in the frame that tells a viewer it is subscribed.
	ReadyAfter string `json:"ready_after"`
	// Pong answers a frame holding a line "{}" with "{}" (Centrifugo's
	// application-level ping).
	Pong bool `json:"pong"`
}

// viewersReady is the viewers' process's answer once every viewer has
// connected or failed.
type viewersReady struct {
	Connected int    `json:"connected"`
	Failed    int    `json:"failed"`
	FirstErr  string `json:"first_error,omitempty"`
}

// viewersExpect tells the viewers' process how many marked messages each
// viewer should receive; it then waits for them (or for deliveries to stop).
type viewersExpect struct {
	Messages int `json:"messages"`
}

// viewersResult is what the viewers received.
type viewersResult struct {
	Deliveries int64 `json:"deliveries"`
	// LastAt is when the last delivery arrived (Unix nanoseconds).
	LastAt int64 `json:"last_at"`
	// Dropped counts viewers whose connection ended before the end.
	Dropped int     `json:"dropped"`
	P50     float64 `json:"p50_ms"`
	P99     float64 `json:"p99_ms"`
	Max     float64 `json:"max_ms"`
}

// drainIdle is how long the viewers wait for further deliveries once
// deliveries stop before reporting what they have.
const drainIdle = 5 * time.Second

// FanoutViewers is the viewers' side of the fan-out benchmark, run in a
// process of its own so the server's and the viewers' connections do not
// share one process's open-file limit. It reads a plan from in, connects
// every viewer, writes how many connected, reads how many messages to
// expect, waits for them, and writes the deliveries and their latencies; it
// then closes every connection when in ends.
func FanoutViewers(ctx context.Context, in io.Reader, out io.Writer) error {
	raiseFileLimit()
	dec := json.NewDecoder(bufio.NewReader(in))
	enc := json.NewEncoder(out)
	var plan viewerPlan
	if err := dec.Decode(&plan); err != nil {
		return fmt.Errorf("bench viewers: read plan: %w", err)
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	vs := make([]*viewer, len(plan.Auth))
	var wg sync.WaitGroup
	var total, lastAt atomic.Int64
	ready := connectViewers(ctx, plan, vs, &wg, &total, &lastAt)
	if err := enc.Encode(ready); err != nil {
		return err
	}
	var expect viewersExpect
	if err := dec.Decode(&expect); err != nil {
		return fmt.Errorf("bench viewers: read expectation: %w", err)
	}
	want := int64(expect.Messages) * int64(ready.Connected)
	idle, seen := time.Now(), total.Load()
	for total.Load() < want && time.Since(idle) < drainIdle && ctx.Err() == nil {
		time.Sleep(20 * time.Millisecond)
		if n := total.Load(); n != seen {
			idle, seen = time.Now(), n
		}
	}
	res := viewersResult{Deliveries: total.Load(), LastAt: lastAt.Load()}
	cancel()
	wg.Wait()
	var lat []int32
	for _, v := range vs {
		if v == nil {
			continue
		}
		lat = append(lat, v.lat...)
		if v.dropped {
			res.Dropped++
		}
	}
	slices.Sort(lat)
	if len(lat) > 0 {
		ms := func(q float64) float64 { return float64(lat[int(q*float64(len(lat)-1))]) / 1000 }
		res.P50, res.P99, res.Max = ms(0.50), ms(0.99), ms(1)
	}
	if err := enc.Encode(res); err != nil {
		return err
	}
	_, _ = io.Copy(io.Discard, in)
	return nil
}

// viewer is one connection of the viewers' process.
type viewer struct {
	c       *websocket.Conn
	lat     []int32 // delivery latencies, µs
	dropped bool    // the connection ended before the viewers were told to stop
}

// dialers is how many viewers connect at once.
const dialers = 32

// connectViewers connects every viewer of plan, at most dialers at a time,
// and starts reading each once it is subscribed.
func connectViewers(ctx context.Context, plan viewerPlan, vs []*viewer, wg *sync.WaitGroup, total, lastAt *atomic.Int64) viewersReady {
	var mu sync.Mutex
	var res viewersReady
	next := make(chan int)
	var dials sync.WaitGroup
	for range dialers {
		dials.Go(func() {
			for i := range next {
				v, err := dialViewer(ctx, plan, i)
				mu.Lock()
				if err != nil {
					res.Failed++
					if res.FirstErr == "" {
						res.FirstErr = err.Error()
					}
				} else {
					res.Connected++
					vs[i] = v
				}
				mu.Unlock()
				if err == nil {
					wg.Go(func() { v.read(ctx, plan.Pong, total, lastAt) })
				}
			}
		})
	}
	for i := range plan.Auth {
		next <- i
	}
	close(next)
	dials.Wait()
	return res
}

// dialViewer connects viewer i and waits until it is subscribed.
func dialViewer(ctx context.Context, plan viewerPlan, i int) (*viewer, error) {
	dctx, cancel := context.WithTimeout(ctx, time.Minute)
	defer cancel()
	var h http.Header
	if plan.Auth[i] != "" {
		h = http.Header{"Authorization": {plan.Auth[i]}}
	}
	c, _, err := websocket.Dial(dctx, plan.URL, &websocket.DialOptions{HTTPHeader: h})
	if err != nil {
		return nil, err
	}
	c.SetReadLimit(1 << 20)
	if len(plan.Hello) > i && plan.Hello[i] != "" {
		if err := c.Write(dctx, websocket.MessageText, []byte(plan.Hello[i])); err != nil {
			c.CloseNow()
			return nil, err
		}
	}
	for {
		_, b, err := c.Read(dctx)
		if err != nil {
			c.CloseNow()
			return nil, err
		}
		if bytes.Contains(b, []byte(plan.ReadyAfter)) {
			return &viewer{c: c}, nil
		}
	}
}

// read counts the marked messages the viewer receives and their latency
// until ctx ends.
func (v *viewer) read(ctx context.Context, pong bool, total, lastAt *atomic.Int64) {
	defer v.c.CloseNow()
	var buf bytes.Buffer
	marker := []byte(sentAtMarker)
	for {
		_, r, err := v.c.Reader(ctx)
		if err == nil {
			buf.Reset()
			_, err = buf.ReadFrom(r)
		}
		if err != nil {
			v.dropped = ctx.Err() == nil
			return
		}
		b := buf.Bytes()
		if pong && isPing(b) {
			if err := v.c.Write(ctx, websocket.MessageText, []byte("{}")); err != nil {
				v.dropped = ctx.Err() == nil
				return
			}
		}
		now := time.Now().UnixNano()
		n := 0
		for {
			at := bytes.Index(b, marker)
			if at < 0 {
				break
			}
			b = b[at+len(marker):]
			end := 0
			for end < len(b) && b[end] >= '0' && b[end] <= '9' {
				end++
			}
			sent, err := strconv.ParseInt(string(b[:end]), 10, 64)
			if err != nil {
				continue
			}
			v.lat = append(v.lat, int32(min((now-sent)/1000, 1<<31-1)))
			n++
		}
		if n > 0 {
			total.Add(int64(n))
			lastAt.Store(now)
		}
	}
}

// isPing reports whether a Centrifugo frame, one or more commands a line,
// holds a ping (an empty command).
func isPing(frame []byte) bool {
	for line := range bytes.SplitSeq(frame, []byte("\n")) {
		if string(line) == "{}" {
			return true
		}
	}
	return false
}

// raiseFileLimit lifts this process's open-file limit to its hard limit:
// every connection of the benchmark is an open file.
func raiseFileLimit() {
	var l syscall.Rlimit
	if syscall.Getrlimit(syscall.RLIMIT_NOFILE, &l) == nil && l.Cur < l.Max {
		l.Cur = l.Max
		_ = syscall.Setrlimit(syscall.RLIMIT_NOFILE, &l)
	}
}
