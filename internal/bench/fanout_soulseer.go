package bench

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"runtime"
	"strconv"
	"sync"
	"time"

	"github.com/soulseer/soulseer/internal/account"
	"github.com/soulseer/soulseer/internal/app"
	"github.com/soulseer/soulseer/internal/config"
	"github.com/soulseer/soulseer/internal/db"
	"github.com/soulseer/soulseer/internal/live"
)

// instance is one SoulSeer serving on loopback.
type instance struct {
	app  *app.App // nil for an instance in another process
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
// a scratch PostgreSQL database when opt.DatabaseURL is set — the viewers'
// in this process, where its memory is measured, and the one the chat is
// sent through in a process of its own.
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
	watch, err := startInstance(ctx, dbURL, dir)
	if err != nil {
		return res, err
	}
	defer watch.stop()
	chat := watch
	if dbURL != "" {
		if chat, err = startChildInstance(ctx, opt.InstanceCommand, dbURL, dir); err != nil {
			return res, err
		}
		defer chat.stop()
	}
	stream, tokens, err := seedStream(ctx, watch.app, opt.Viewers+opt.Senders)
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
	client := senderClient()
	chatURL := chat.url + "/api/v1/streams/" + strconv.FormatInt(stream, 10) + "/messages"
	pace(ctx, opt, &res, func(s int, body string) error {
		b, _ := json.Marshal(map[string]string{"body": body})
		status, answer, err := postJSON(ctx, client, chatURL, http.Header{"Authorization": {"Bearer " + tokens[s]}}, b)
		if err == nil && status != http.StatusCreated {
			err = fmt.Errorf("chat: %d %s", status, answer)
		}
		return err
	})
	if res.got, err = viewers.results(res.sent); err != nil {
		return res, err
	}
	res.took = time.Unix(0, res.got.LastAt).Sub(res.start)
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

// selfMemory is this process's resident memory and its Go heap and
// goroutine stacks in use, after a collection, in bytes.
func selfMemory() (rss, heap float64) {
	runtime.GC()
	rss, _ = procRSS(os.Getpid())
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return rss, float64(m.HeapInuse + m.StackInuse)
}
