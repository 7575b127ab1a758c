package ratelimit_test

import (
	"context"
	"io"
	"log/slog"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/soulseer/soulseer/internal/apperr"
	"github.com/soulseer/soulseer/internal/clock"
	"github.com/soulseer/soulseer/internal/db"
	"github.com/soulseer/soulseer/internal/db/dbtest"
	"github.com/soulseer/soulseer/internal/ratelimit"
)

var ctx = context.Background()

var t0 = time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)

// refused fails the test unless err is a RateLimited error asking to wait
// exactly retry.
func refused(t *testing.T, err error, retry time.Duration) {
	t.Helper()
	e := apperr.As(err)
	if e == nil || e.Code != apperr.RateLimited {
		t.Fatalf("error = %v, want rate_limited", err)
	}
	if e.RetryAfter != retry {
		t.Fatalf("RetryAfter = %s, want %s", e.RetryAfter, retry)
	}
}

func allowed(t *testing.T, l *ratelimit.Limiter, key string, rule ratelimit.Rule) {
	t.Helper()
	if err := l.Allow(ctx, key, rule); err != nil {
		t.Fatalf("at %s: %v", l.Clock.Now().Sub(t0), err)
	}
}

// SEC-3: at most Limit requests in any Window: a hit counts until exactly
// Window after it; refused requests do not count; Retry-After is the time
// until the oldest counted hit leaves the window, rounded up to a second.
func TestSlidingWindow_SEC3(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		clk := clock.NewFake(t0)
		l := &ratelimit.Limiter{DB: d, Clock: clk}
		rule := ratelimit.Rule{Limit: 3, Window: time.Minute}

		allowed(t, l, "k", rule) // t0
		clk.Advance(10 * time.Second)
		allowed(t, l, "k", rule) // t0+10s
		clk.Advance(10 * time.Second)
		allowed(t, l, "k", rule) // t0+20s
		clk.Advance(10 * time.Second)
		refused(t, l.Allow(ctx, "k", rule), 30*time.Second) // oldest (t0) leaves at t0+60s
		clk.Advance(500 * time.Millisecond)
		refused(t, l.Allow(ctx, "k", rule), 30*time.Second) // 29.5s, rounded up
		clk.Set(t0.Add(time.Minute - time.Millisecond))
		refused(t, l.Allow(ctx, "k", rule), time.Second)

		// Other keys have their own budget.
		allowed(t, l, "other", rule)

		clk.Set(t0.Add(time.Minute))
		allowed(t, l, "k", rule) // t0 has left; t0+10s, t0+20s, t0+60s count
		refused(t, l.Allow(ctx, "k", rule), 10*time.Second)
		clk.Set(t0.Add(70 * time.Second))
		allowed(t, l, "k", rule)
		// The refusals above were not counted: the window holds exactly
		// t0+20s, t0+60s, t0+70s.
		clk.Set(t0.Add(80 * time.Second))
		allowed(t, l, "k", rule)

		var hits int
		if err := d.Read().QueryRowContext(ctx, `SELECT count(*) FROM rate_limit_hits WHERE key = 'k'`).Scan(&hits); err != nil {
			t.Fatal(err)
		}
		if hits != 6 {
			t.Fatalf("%d hits stored, want 6 (refusals are not stored)", hits)
		}

		if err := l.Allow(ctx, "k", ratelimit.Rule{Limit: 1, Window: 25 * time.Hour}); err == nil || apperr.CodeOf(err) == apperr.RateLimited {
			t.Fatalf("a window longer than the retention was accepted: %v", err)
		}
	})
}

// SEC-3: the limit is exact under concurrency, also between two instances
// (two connection pools) on one PostgreSQL database.
func TestConcurrentExact_SEC3(t *testing.T) {
	t.Parallel()
	for _, e := range dbtest.Engines() {
		t.Run(string(e), func(t *testing.T) {
			t.Parallel()
			url, dir := dbtest.URL(t, e)
			log := slog.New(slog.NewTextHandler(io.Discard, nil))
			pools := 1
			if e == db.Postgres {
				pools = 2
			}
			var limiters []*ratelimit.Limiter
			clk := clock.NewFake(t0)
			for i := range pools {
				d, err := db.Open(ctx, url, dir, 8)
				if err != nil {
					t.Fatal(err)
				}
				t.Cleanup(func() { d.Close() })
				if i == 0 {
					if err := d.Migrate(ctx, log, nil); err != nil {
						t.Fatal(err)
					}
				}
				limiters = append(limiters, &ratelimit.Limiter{DB: d, Clock: clk})
			}
			rule := ratelimit.Rule{Limit: 5, Window: 5 * time.Minute}
			var ok, limited atomic.Int32
			var wg sync.WaitGroup
			for i := range 24 {
				wg.Go(func() {
					err := limiters[i%len(limiters)].Allow(ctx, "login:198.51.100.7", rule)
					switch apperr.CodeOf(err) {
					case "":
						ok.Add(1)
					case apperr.RateLimited:
						limited.Add(1)
					default:
						t.Errorf("Allow: %v", err)
					}
				})
			}
			wg.Wait()
			if ok.Load() != 5 || limited.Load() != 19 {
				t.Fatalf("%d allowed, %d limited; want 5 and 19", ok.Load(), limited.Load())
			}
		})
	}
}

// SEC-3: Purge removes hits and buckets past the retention and keeps recent
// ones, so the periodic cleanup does not reset live limits.
func TestPurge_SEC3(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		clk := clock.NewFake(t0)
		l := &ratelimit.Limiter{DB: d, Clock: clk}
		rule := ratelimit.Rule{Limit: 2, Window: 24 * time.Hour}
		allowed(t, l, "old", rule)
		allowed(t, l, "old", rule)
		clk.Advance(23 * time.Hour)
		allowed(t, l, "new", rule)
		clk.Advance(time.Hour + time.Millisecond)
		n, err := l.Purge(ctx)
		if err != nil || n != 2 {
			t.Fatalf("purged %d (%v), want 2", n, err)
		}
		var hits, buckets int
		if err := d.Read().QueryRowContext(ctx, `SELECT (SELECT count(*) FROM rate_limit_hits), (SELECT count(*) FROM rate_limit_buckets)`).Scan(&hits, &buckets); err != nil {
			t.Fatal(err)
		}
		if hits != 1 || buckets != 1 {
			t.Fatalf("after purge: %d hits, %d buckets; want 1 and 1", hits, buckets)
		}
		// "new" still counts its hit: one more is allowed, then refused.
		allowed(t, l, "new", rule)
		if err := l.Allow(ctx, "new", rule); apperr.CodeOf(err) != apperr.RateLimited {
			t.Fatalf("after purge the live limit was reset: %v", err)
		}
	})
}
