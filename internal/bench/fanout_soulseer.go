package bench

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net"
	"os"
	"runtime"
	"strconv"
	"sync"
	"time"

	"github.com/coder/websocket"

	"github.com/soulseer/soulseer/internal/account"
	"github.com/soulseer/soulseer/internal/app"
	"github.com/soulseer/soulseer/internal/config"
	"github.com/soulseer/soulseer/internal/db"
	"github.com/soulseer/soulseer/internal/live"
	"github.com/soulseer/soulseer/internal/realtime"
)

// instance is one SoulSeer serving on loopback.
type instance struct {
	app  *app.App
	url  string
	stop func()
}

// startInstance starts SoulSeer on databaseURL (SQLite in dir when empty)
// on a free loopback port, logging errors to stderr.
func startInstance(ctx context.Context, databaseURL, dir string) (*instance, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, fmt.Errorf("bench: %w", err)
	}
	cfg, err := config.Load(func(string) string { return "" }, nil)
	if err != nil {
		ln.Close()
		return nil, err
	}
	cfg.Addr, cfg.BaseURL = ln.Addr().String(), "http://"+ln.Addr().String()
	cfg.DatabaseURL, cfg.DataDir = databaseURL, dir
	// The chat load is the benchmark's to choose, not the per-user limit's.
	cfg.MessageRateLimit, cfg.MessageRateWindow = 1<<30, time.Second
	// The reader does not connect; the stream must not end as gone.
	cfg.ReadingGrace = time.Hour
	log := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelError}))
	a, err := app.New(ctx, cfg, log, app.Options{})
	if err != nil {
		ln.Close()
		return nil, fmt.Errorf("bench: start SoulSeer: %w", err)
	}
	sctx, cancel := context.WithCancel(context.WithoutCancel(ctx))
	done := make(chan struct{})
	go func() {
		defer close(done)
		if err := a.Serve(sctx, ln); err != nil {
			log.Error("bench: serve", "err", err)
		}
	}()
	return &instance{app: a, url: "http://" + ln.Addr().String(), stop: func() { cancel(); <-done; a.Close() }}, nil
}

// fanoutSoulSeer measures SoulSeer: on SQLite, or on two instances sharing
// a scratch PostgreSQL database when opt.DatabaseURL is set.
func fanoutSoulSeer(ctx context.Context, opt FanoutOptions, out io.Writer) (fanoutResult, error) {
	dir, err := os.MkdirTemp("", "soulseer-bench-")
	if err != nil {
		return fanoutResult{}, fmt.Errorf("bench: %w", err)
	}
	defer os.RemoveAll(dir)
	res := fanoutResult{name: "SoulSeer on SQLite"}
	dbURL := ""
	if opt.DatabaseURL != "" {
		server, err := connectServer(ctx, opt.DatabaseURL, out)
		if err != nil {
			return res, err
		}
		defer server.Close()
		sc, err := scratch(ctx, server, opt.DatabaseURL, "soulseer_bench_")
		if err != nil {
			return res, err
		}
		defer sc.drop()
		dbURL, res.name = sc.url, "SoulSeer on PostgreSQL (2 instances)"
	}
	chat, err := startInstance(ctx, dbURL, dir)
	if err != nil {
		return res, err
	}
	defer chat.stop()
	watch := chat
	if dbURL != "" {
		if watch, err = startInstance(ctx, dbURL, dir); err != nil {
			return res, err
		}
		defer watch.stop()
	}
	stream, tokens, err := seedStream(ctx, chat.app, opt.Viewers+opt.Senders)
	if err != nil {
		return res, err
	}
	plan := viewerPlan{URL: wsURL(watch.url, stream), ReadyAfter: `"stream.state"`, Auth: make([]string, opt.Viewers)}
	for i := range plan.Auth {
		plan.Auth[i] = "Bearer " + tokens[opt.Senders+i]
	}
	rss0, heap0 := selfMemory()
	began := time.Now()
	viewers, ready, err := startViewers(ctx, opt, plan)
	if err != nil {
		return res, err
	}
	defer viewers.stop()
	res.viewers = ready
	fmt.Fprintf(out, "%s: %d viewers connected in %.1fs\n", res.name, ready.Connected, time.Since(began).Seconds())
	rss1, heap1 := selfMemory()
	if ready.Connected > 0 {
		res.rssPerConn, res.heapPerCon = (rss1-rss0)/float64(ready.Connected), (heap1-heap0)/float64(ready.Connected)
	}
	senders, err := dialSenders(ctx, chat.url, stream, tokens[:opt.Senders])
	if err != nil {
		return res, err
	}
	defer senders.close()
	sent, start, err := pace(ctx, opt, func(s int, body string) error {
		m, _ := json.Marshal(map[string]string{"type": "chat.message", "body": body})
		return senders.conns[s].Write(ctx, websocket.MessageText, m)
	})
	if err != nil {
		return res, fmt.Errorf("bench fanout: send chat: %w", err)
	}
	if res.sent, err = accepted(ctx, chat.app.DB, stream, sent, senders); err != nil {
		return res, err
	}
	if res.got, err = viewers.results(res.sent); err != nil {
		return res, err
	}
	res.took = time.Unix(0, res.got.LastAt).Sub(start)
	return res, nil
}

// seedStream creates users demo-style viewers (clients with a little money
// in their wallets) and a verified reader live with a public stream, and
// returns the stream and an API token for each viewer.
func seedStream(ctx context.Context, a *app.App, viewers int) (int64, []string, error) {
	if err := seedUsers(ctx, a.DB, a.Ledger, viewers, 1, 5_00, db.Millis(time.Now())); err != nil {
		return 0, nil, err
	}
	st, err := a.Live.Start(ctx, account.User{ID: int64(viewers + 1), Role: account.RoleReader},
		live.StartInput{Title: "Full moon tarot for everyone", Visibility: "public"})
	if err != nil {
		return 0, nil, fmt.Errorf("bench: start stream: %w", err)
	}
	tokens := make([]string, viewers)
	next := make(chan int)
	var wg sync.WaitGroup
	var mu sync.Mutex
	var failed error
	for range 8 {
		wg.Go(func() {
			for i := range next {
				t, err := a.Accounts.CreateAPIToken(ctx, int64(i+1), account.TokenInput{Name: "bench"})
				if err != nil {
					mu.Lock()
					failed = err
					mu.Unlock()
					continue
				}
				tokens[i] = t.Secret
			}
		})
	}
	for i := range tokens {
		next <- i
	}
	close(next)
	wg.Wait()
	if failed != nil {
		return 0, nil, fmt.Errorf("bench: api tokens: %w", failed)
	}
	return st.ID, tokens, nil
}

// wsURL is the address of stream's live connection on the server at base.
func wsURL(base string, stream int64) string {
	return "ws" + base[len("http"):] + "/api/v1/streams/" + strconv.FormatInt(stream, 10) + "/ws"
}

// chatSenders are the senders' live connections; they read what the server
// sends them and count the refusals.
type chatSenders struct {
	conns   []*websocket.Conn
	mu      sync.Mutex
	refused int
	wg      sync.WaitGroup
	cancel  context.CancelFunc
}

// dialSenders connects one live connection per token to stream.
func dialSenders(ctx context.Context, base string, stream int64, tokens []string) (*chatSenders, error) {
	rctx, cancel := context.WithCancel(ctx)
	s := &chatSenders{cancel: cancel}
	for _, tok := range tokens {
		c, _, err := websocket.Dial(ctx, wsURL(base, stream), &websocket.DialOptions{HTTPHeader: map[string][]string{"Authorization": {"Bearer " + tok}}})
		if err != nil {
			s.close()
			return nil, fmt.Errorf("bench fanout: connect a sender: %w", err)
		}
		c.SetReadLimit(1 << 20)
		s.conns = append(s.conns, c)
		s.wg.Go(func() {
			for {
				_, b, err := c.Read(rctx)
				if err != nil {
					return
				}
				var m realtime.Message
				if json.Unmarshal(b, &m) == nil && m.Type == realtime.TypeError {
					s.mu.Lock()
					s.refused++
					s.mu.Unlock()
				}
			}
		})
	}
	return s, nil
}

func (s *chatSenders) refusals() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.refused
}

func (s *chatSenders) close() {
	s.cancel()
	for _, c := range s.conns {
		c.CloseNow()
	}
	s.wg.Wait()
}

// accepted waits until every one of the sent chat messages is either
// stored or refused, and returns how many were stored. It gives up when
// none is taken for acceptWait.
func accepted(ctx context.Context, d *db.DB, stream int64, sent int, s *chatSenders) (int, error) {
	const acceptWait = 10 * time.Second
	last, lastAt := -1, time.Now()
	for {
		var n int
		if err := d.Read().QueryRowContext(ctx, `SELECT COUNT(*) FROM stream_messages WHERE stream_id = $1`, stream).Scan(&n); err != nil {
			return 0, fmt.Errorf("bench fanout: count chat: %w", err)
		}
		if n+s.refusals() >= sent {
			return n, nil
		}
		if n != last {
			last, lastAt = n, time.Now()
		} else if time.Since(lastAt) > acceptWait {
			return n, fmt.Errorf("bench fanout: of %d chat messages sent, the server stored %d and refused %d, then none for %s", sent, n, s.refusals(), acceptWait)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// selfMemory is this process's resident memory and its Go heap and
// goroutine stacks in use, after a collection, in bytes.
func selfMemory() (rss, heap float64) {
	runtime.GC()
	rss, _ = procRSS(os.Getpid())
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return rss, float64(m.HeapInuse + m.StackInuse)
}
