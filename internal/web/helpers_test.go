package web_test

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"testing"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/soulseer/soulseer/internal/account"
	"github.com/soulseer/soulseer/internal/apptest"
	"github.com/soulseer/soulseer/internal/config"
	"github.com/soulseer/soulseer/internal/db"
	"github.com/soulseer/soulseer/internal/db/dbtest"
	"github.com/soulseer/soulseer/internal/reader"
	"github.com/soulseer/soulseer/internal/web"
)

var ctx = context.Background()

// roomyLimits lifts the login/sign-up limit so tests that sign many users
// in from 127.0.0.1 are not refused; the limit itself (SEC-3) is tested
// with the default configuration.
func roomyLimits() apptest.Option {
	return apptest.WithConfig(func(c *config.Config) { c.AuthRateLimit = 10_000 })
}

// eachApp runs f in parallel against a fresh app on every engine, with
// roomy login limits unless opts say otherwise.
func eachApp(t *testing.T, f func(t *testing.T, s *apptest.Server), opts ...apptest.Option) {
	t.Helper()
	t.Parallel()
	opts = append([]apptest.Option{roomyLimits()}, opts...)
	for _, e := range dbtest.Engines() {
		t.Run(string(e), func(t *testing.T) {
			t.Parallel()
			f(t, apptest.Start(t, e, opts...))
		})
	}
}

// problem is the application/problem+json document of an API error.
type problem struct {
	Type   string            `json:"type"`
	Title  string            `json:"title"`
	Status int               `json:"status"`
	Detail string            `json:"detail"`
	Code   string            `json:"code"`
	Errors map[string]string `json:"errors"`
}

// problemOf checks that res is a problem document with the status and a
// clear detail, and returns it.
func problemOf(t *testing.T, res apptest.Response, status int) problem {
	t.Helper()
	if res.Status != status {
		t.Fatalf("status %d, want %d: %s", res.Status, status, res.Body)
	}
	if ct := res.Header.Get("Content-Type"); ct != "application/problem+json" {
		t.Fatalf("Content-Type %q, want application/problem+json: %s", ct, res.Body)
	}
	var p problem
	if err := json.Unmarshal(res.Body, &p); err != nil {
		t.Fatalf("problem body %q: %v", res.Body, err)
	}
	if p.Status != status || p.Detail == "" || p.Title == "" || p.Code == "" {
		t.Fatalf("problem = %+v", p)
	}
	if status < 500 && strings.Contains(strings.ToLower(p.Detail), "something went wrong") {
		t.Fatalf("a %d answered with the internal-error message: %+v", status, p)
	}
	return p
}

// fingerprint summarises every row of every table SoulSeer keeps, so a
// test can prove a refused request changed nothing. Left out: rate-limit
// records (counting refused attempts is their job), the job queue's tables
// and the migration record.
func fingerprint(t *testing.T, s *apptest.Server) string {
	t.Helper()
	list := `SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name`
	if s.App.DB.Engine == db.Postgres {
		list = `SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() ORDER BY table_name`
	}
	rows, err := s.App.DB.Read().QueryContext(ctx, list)
	if err != nil {
		t.Fatal(err)
	}
	var tables []string
	for rows.Next() {
		var name string
		if err := rows.Scan(&name); err != nil {
			t.Fatal(err)
		}
		if !strings.HasPrefix(name, "river_") && !strings.HasPrefix(name, "rate_limit_") && !strings.HasPrefix(name, "sqlite_") && name != "schema_migrations" &&
			name != "live_instances" { // each instance's heartbeat, not anyone's doing

			tables = append(tables, name)
		}
	}
	rows.Close()
	if len(tables) < 25 {
		t.Fatalf("fingerprint found only %d tables: %v", len(tables), tables)
	}
	h := sha256.New()
	for _, table := range tables {
		rows, err := s.App.DB.Read().QueryContext(ctx, "SELECT * FROM "+table+" ORDER BY 1, 2")
		if err != nil {
			t.Fatalf("fingerprint %s: %v", table, err)
		}
		cols, _ := rows.Columns()
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		fmt.Fprintf(h, "%s:", table)
		for rows.Next() {
			if err := rows.Scan(ptrs...); err != nil {
				t.Fatal(err)
			}
			fmt.Fprintf(h, "%v;", vals)
		}
		rows.Close()
	}
	return hex.EncodeToString(h.Sum(nil))
}

// world is an app with one user of each kind, each with a client that
// signs in with an API token (no password hashing, so worlds are cheap): an
// admin, a client, a verified reader with rates and an unverified reader.
type world struct {
	s                              *apptest.Server
	admin, client, reader, pending account.User
	extra                          account.User               // a client without a client of its own, for tests to change
	as                             map[string]*apptest.Client // by "anon", "client", "reader", "pending", "admin"
	last                           *apptest.Client            // the client the latest scenario used
	lastSession                    string                     // the session token of an "own" scenario
	ids                            map[string]int64           // objects scenarios made, for path placeholders such as {topup}
	keys                           map[string]string          // objects with text ids scenarios made, for placeholders such as {token}
}

func newWorld(t *testing.T, s *apptest.Server) *world {
	t.Helper()
	w := &world{s: s, as: map[string]*apptest.Client{"anon": s.Client()}, ids: map[string]int64{}, keys: map[string]string{}}
	w.admin = s.CreateUser("ada@example.com", account.RoleAdmin)
	w.client = s.CreateUser("cleo@example.com", account.RoleClient)
	w.reader = s.CreateUser("luna@example.com", account.RoleReader)
	w.pending = s.CreateUser("nova@example.com", account.RoleReader)
	for name, u := range map[string]account.User{"admin": w.admin, "client": w.client, "reader": w.reader, "pending": w.pending} {
		w.as[name] = bearer(t, s, u)
	}
	w.profile(t, w.reader, "Luna Vale", []string{"tarot", "love"}, reader.RatesInput{Text: cents(199), Voice: cents(399)})
	w.profile(t, w.pending, "Nova Pending", []string{"tarot"}, reader.RatesInput{Text: cents(150)})
	if _, err := s.App.Readers.SetVerified(ctx, w.admin, w.reader.ID, true); err != nil {
		t.Fatal(err)
	}
	// Luna counts as connected, so her chosen status is what clients see
	// (RDR-3 shows online only readers with a live connection).
	if _, err := s.App.DB.Writer.ExecContext(ctx, `UPDATE reader_profiles SET simulated_presence = TRUE WHERE user_id = $1`, w.reader.ID); err != nil {
		t.Fatal(err)
	}
	return w
}

// login returns a client that logged in with email and password through
// the API, holding a session cookie as a browser would, and the session
// token.
func (w *world) login(t *testing.T, email string) (*apptest.Client, string) {
	t.Helper()
	c := w.s.Client()
	u, err := w.s.App.Accounts.GetByEmail(ctx, email)
	if err != nil {
		t.Fatal(err)
	}
	res := c.LogIn(u)
	if res.Status != http.StatusOK || sessionCookie(res) == nil {
		t.Fatalf("login %s: %d %s", email, res.Status, res.Body)
	}
	return c, sessionCookie(res).Value
}

func cents(v int64) *int64 { return &v }

// profile sets a reader's profile through the service.
func (w *world) profile(t *testing.T, u account.User, name string, specs []string, rates reader.RatesInput) {
	t.Helper()
	if _, err := w.s.App.Readers.UpdateProfile(ctx, u.ID, reader.ProfileInput{DisplayName: name, Specialties: &specs, Rates: rates}); err != nil {
		t.Fatal(err)
	}
}

// routeTable returns the route table of a server built without the rest of
// the app: building the table needs no database.
func routeTable(t *testing.T) []web.RouteInfo {
	t.Helper()
	cfg, err := config.Load(func(string) string { return "" }, nil)
	if err != nil {
		t.Fatal(err)
	}
	srv, err := web.New(web.Deps{Config: cfg, Log: slog.New(slog.DiscardHandler), Metrics: prometheus.NewRegistry()})
	if err != nil {
		t.Fatal(err)
	}
	return web.RouteTable(srv)
}

// bearer returns a client that authenticates with a new API token of u and
// keeps no cookies.
func bearer(t *testing.T, s *apptest.Server, u account.User) *apptest.Client {
	t.Helper()
	tok, err := s.App.Accounts.CreateAPIToken(ctx, u.ID, account.TokenInput{Name: "test"})
	if err != nil {
		t.Fatal(err)
	}
	c := s.Client()
	c.Token = tok.Secret
	return c
}

// sessionCookie returns the session cookie a response sets, or nil.
func sessionCookie(res apptest.Response) *http.Cookie {
	for _, c := range (&http.Response{Header: res.Header}).Cookies() {
		if c.Name == "soulseer_session" {
			return c
		}
	}
	return nil
}

func id(n int64) string { return fmt.Sprint(n) }

// role returns the user's role as stored.
func role(t *testing.T, s *apptest.Server, userID int64) account.Role {
	t.Helper()
	u, err := s.App.Accounts.Get(ctx, userID)
	if err != nil {
		t.Fatal(err)
	}
	return u.Role
}
