package web_test

import (
	"fmt"
	"net/http"
	"net/netip"
	"net/url"
	"testing"
	"time"

	"github.com/soulseer/soulseer/internal/account"
	"github.com/soulseer/soulseer/internal/apptest"
	"github.com/soulseer/soulseer/internal/clock"
	"github.com/soulseer/soulseer/internal/config"
	"github.com/soulseer/soulseer/internal/db"
	"github.com/soulseer/soulseer/internal/db/dbtest"
)

func loginBody(email, password string) map[string]string {
	return map[string]string{"email": email, "password": password}
}

func formBody(v url.Values) []byte { return []byte(v.Encode()) }

// limited checks a 429 with the Retry-After the test expects.
func limited(t *testing.T, res apptest.Response, retryAfter string) {
	t.Helper()
	if res.Status != http.StatusTooManyRequests {
		t.Fatalf("status %d, want 429: %.200s", res.Status, res.Body)
	}
	if got := res.Header.Get("Retry-After"); got != retryAfter {
		t.Fatalf("Retry-After %q, want %q", got, retryAfter)
	}
}

// SEC-3: from one IP, five login attempts in five minutes are answered; the
// sixth gets 429 with Retry-After, through the API and the form alike, even
// with the right password; after the window it works again.
func TestLoginRateLimit_SEC3(t *testing.T) {
	t.Parallel()
	for _, e := range dbtest.Engines() {
		t.Run(string(e), func(t *testing.T) {
			t.Parallel()
			clk := clock.NewFake(time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC))
			s := apptest.Start(t, e, apptest.WithClock(clk))
			s.CreateUser("cleo@example.com", account.RoleClient)
			c := s.Client()
			for i := range 5 {
				if res := c.Do("POST", "/api/v1/auth/login", loginBody("cleo@example.com", "wrong-password")); res.Status != http.StatusUnauthorized {
					t.Fatalf("attempt %d: %d", i+1, res.Status)
				}
				clk.Advance(10 * time.Second)
			}
			// The first attempt leaves the window 5 minutes after it was made.
			res := c.Do("POST", "/api/v1/auth/login", loginBody("cleo@example.com", apptest.Password))
			limited(t, res, "250")
			p := problemOf(t, res, http.StatusTooManyRequests)
			if p.Code != "rate_limited" || sessionCookie(res) != nil {
				t.Fatalf("limited login = %+v", p)
			}
			res = c.Do("POST", "/login", formBody(url.Values{"email": {"cleo@example.com"}, "password": {apptest.Password}}),
				"Content-Type", "application/x-www-form-urlencoded")
			limited(t, res, "250")
			mustContain(t, res, "Too many attempts", `value="cleo@example.com"`)
			if sessionCookie(res) != nil {
				t.Fatal("a limited form login set a session")
			}

			clk.Advance(250 * time.Second)
			if res := c.Do("POST", "/api/v1/auth/login", loginBody("cleo@example.com", apptest.Password)); res.Status != http.StatusOK {
				t.Fatalf("after the window: %d %s", res.Status, res.Body)
			}
		})
	}
}

// SEC-3: sign-up has the same limit, separate from login's.
func TestSignupRateLimit_SEC3(t *testing.T) {
	t.Parallel()
	for _, e := range dbtest.Engines() {
		t.Run(string(e), func(t *testing.T) {
			t.Parallel()
			s := apptest.Start(t, e)
			c := s.Client()
			for i := range 5 {
				res := c.Do("POST", "/api/v1/auth/signup", map[string]string{"email": fmt.Sprintf("n%d@example.com", i), "password": "long-enough-pw", "display_name": "N"})
				if res.Status != http.StatusCreated {
					t.Fatalf("sign-up %d: %d %s", i+1, res.Status, res.Body)
				}
			}
			res := c.Do("POST", "/api/v1/auth/signup", map[string]string{"email": "n6@example.com", "password": "long-enough-pw", "display_name": "N"})
			problemOf(t, res, http.StatusTooManyRequests)
			if res.Header.Get("Retry-After") == "" {
				t.Fatal("no Retry-After")
			}
			res = c.Do("POST", "/signup", formBody(url.Values{"email": {"n7@example.com"}, "password": {"long-enough-pw"}, "display_name": {"N"}}),
				"Content-Type", "application/x-www-form-urlencoded")
			if res.Status != http.StatusTooManyRequests || res.Header.Get("Retry-After") == "" {
				t.Fatalf("form sign-up: %d", res.Status)
			}
			for _, email := range []string{"n6@example.com", "n7@example.com"} {
				if n := usersWithEmail(t, s, email); n != 0 {
					t.Fatalf("a limited sign-up created %s", email)
				}
			}
			// Login has its own budget.
			if res := c.Do("POST", "/api/v1/auth/login", loginBody("n0@example.com", "long-enough-pw")); res.Status != http.StatusOK {
				t.Fatalf("login after sign-ups: %d", res.Status)
			}
		})
	}
}

// SEC-3: the limit holds across two app instances on one PostgreSQL
// database: attempts spread over both are counted together.
func TestRateLimitAcrossInstances_SEC3(t *testing.T) {
	t.Parallel()
	first := apptest.Start(t, db.Postgres) // skips, naming what to set, without PostgreSQL
	second := apptest.Start(t, db.Postgres, apptest.SharingDatabase(first))
	first.CreateUser("cleo@example.com", account.RoleClient)
	instances := []*apptest.Client{first.Client(), second.Client()}
	for i := range 5 {
		if res := instances[i%2].Do("POST", "/api/v1/auth/login", loginBody("cleo@example.com", "wrong-password")); res.Status != http.StatusUnauthorized {
			t.Fatalf("attempt %d on instance %d: %d", i+1, i%2+1, res.Status)
		}
	}
	for i, c := range instances {
		res := c.Do("POST", "/api/v1/auth/login", loginBody("cleo@example.com", apptest.Password))
		problemOf(t, res, http.StatusTooManyRequests)
		if res.Header.Get("Retry-After") == "" {
			t.Fatalf("instance %d: no Retry-After", i+1)
		}
	}
}

// SEC-3: with SOULSEER_TRUSTED_PROXIES covering the peer, X-Forwarded-For
// decides the client IP for the limit (and the session record); without it
// the header is ignored, so spoofing it does not escape the limit.
func TestForwardedFor_SEC3(t *testing.T) {
	t.Parallel()
	for _, e := range dbtest.Engines() {
		t.Run(string(e), func(t *testing.T) {
			t.Parallel()
			proxied := apptest.Start(t, e, apptest.WithConfig(func(c *config.Config) {
				c.TrustedProxies = []netip.Prefix{netip.MustParsePrefix("127.0.0.0/8"), netip.MustParsePrefix("10.0.0.0/8")}
			}))
			proxied.CreateUser("cleo@example.com", account.RoleClient)
			c := proxied.Client()
			attempt := func(xff, password string) apptest.Response {
				return c.Do("POST", "/api/v1/auth/login", loginBody("cleo@example.com", password), "X-Forwarded-For", xff)
			}
			for i := range 5 {
				if res := attempt("203.0.113.7", "wrong-password"); res.Status != http.StatusUnauthorized {
					t.Fatalf("attempt %d: %d", i+1, res.Status)
				}
			}
			for _, xff := range []string{"203.0.113.7", "203.0.113.7, 10.1.2.3", "198.51.100.1, 203.0.113.7"} {
				problemOf(t, attempt(xff, apptest.Password), http.StatusTooManyRequests)
			}
			res := attempt("203.0.113.8", apptest.Password)
			if res.Status != http.StatusOK {
				t.Fatalf("another client behind the proxy: %d %s", res.Status, res.Body)
			}
			var ip string
			if err := proxied.App.DB.Read().QueryRowContext(ctx, `SELECT ip FROM sessions`).Scan(&ip); err != nil || ip != "203.0.113.8" {
				t.Fatalf("session ip %q (%v), want 203.0.113.8", ip, err)
			}

			direct := apptest.Start(t, e)
			direct.CreateUser("cleo@example.com", account.RoleClient)
			d := direct.Client()
			for i := range 6 {
				res := d.Do("POST", "/api/v1/auth/login", loginBody("cleo@example.com", "wrong-password"), "X-Forwarded-For", fmt.Sprintf("198.51.100.%d", i+1))
				want := http.StatusUnauthorized
				if i == 5 {
					want = http.StatusTooManyRequests
				}
				if res.Status != want {
					t.Fatalf("attempt %d with a spoofed X-Forwarded-For: %d, want %d", i+1, res.Status, want)
				}
			}
		})
	}
}
