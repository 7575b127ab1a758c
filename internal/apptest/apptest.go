// Package apptest boots the whole SoulSeer app for tests: a real database
// (SQLite or PostgreSQL, see dbtest), real background jobs, and the HTTP
// server on 127.0.0.1:0, with a cookie-keeping client to drive it.
package apptest

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/soulseer/soulseer/internal/account"
	"github.com/soulseer/soulseer/internal/apicheck"
	"github.com/soulseer/soulseer/internal/app"
	"github.com/soulseer/soulseer/internal/clock"
	"github.com/soulseer/soulseer/internal/config"
	"github.com/soulseer/soulseer/internal/db"
	"github.com/soulseer/soulseer/internal/db/dbtest"
)

// Server is a running app under test.
type Server struct {
	URL         string
	App         *app.App
	DatabaseURL string
	DataDir     string
	t           testing.TB

	mu       sync.Mutex
	recovery map[int64][]string // unused recovery codes of users EnrolTwoFactor enrolled
}

// Option adjusts the app before it starts.
type Option func(*setup)

type setup struct {
	cfg      config.Config
	clock    clock.Clock
	timeouts app.Timeouts
	dbURL    *string
	dir      *string
	manual   bool
}

// WithConfig edits the configuration.
func WithConfig(f func(*config.Config)) Option { return func(s *setup) { f(&s.cfg) } }

// WithManualSweeps stops the app's own billing sweeps: the test sweeps
// itself (after stepping a fake clock), so no background sweep holds a
// batch that the test's sweep would skip.
func WithManualSweeps() Option { return func(s *setup) { s.manual = true } }

// WithClock injects a clock.
func WithClock(c clock.Clock) Option { return func(s *setup) { s.clock = c } }

// WithTimeouts sets the HTTP server's timeouts (app.DefaultTimeouts
// otherwise).
func WithTimeouts(t app.Timeouts) Option { return func(s *setup) { s.timeouts = t } }

// SharingDatabase starts the app on another server's database, as a second
// instance would run (PostgreSQL only).
func SharingDatabase(other *Server) Option {
	return func(s *setup) { s.dbURL, s.dir = &other.DatabaseURL, &other.DataDir }
}

// Start boots an app on a fresh database of engine e and stops it when the
// test ends. Every /api/v1 answer it gives that the OpenAPI document does
// not allow, to a test's client or a browser, fails t (SEC-6). Set
// SOULSEER_TEST_LOG=1 to see its logs.
func Start(t testing.TB, e db.Engine, opts ...Option) *Server {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	base := "http://" + ln.Addr().String()
	cfg, err := config.Load(func(string) string { return "" }, nil)
	if err != nil {
		t.Fatal(err)
	}
	cfg.Addr, cfg.BaseURL, cfg.DBMaxConns = ln.Addr().String(), base, 10
	st := &setup{cfg: cfg}
	for _, o := range opts {
		o(st)
	}
	if st.dbURL != nil {
		st.cfg.DatabaseURL, st.cfg.DataDir = *st.dbURL, *st.dir
	} else {
		st.cfg.DatabaseURL, st.cfg.DataDir = dbtest.URL(t, e)
	}
	var logOut io.Writer = io.Discard
	if os.Getenv("SOULSEER_TEST_LOG") == "1" {
		logOut = os.Stderr
	}
	log := slog.New(slog.NewTextHandler(logOut, &slog.HandlerOptions{Level: slog.LevelDebug}))
	ctx, cancel := context.WithCancel(context.Background())
	a, err := app.New(ctx, st.cfg, log, app.Options{Clock: st.clock, JobPoll: 50 * time.Millisecond, Timeouts: st.timeouts, ManualSweeps: st.manual,
		WrapHandler: func(h http.Handler) http.Handler { return apicheck.Handler(t, h) }})
	if err != nil {
		cancel()
		ln.Close()
		t.Fatalf("start app on %s: %v", e, err)
	}
	done := make(chan error, 1)
	go func() { done <- a.Serve(ctx, ln) }()
	t.Cleanup(func() {
		cancel()
		select {
		case <-done:
		case <-time.After(30 * time.Second):
			t.Error("app did not shut down within 30s")
		}
		a.Close()
	})
	return &Server{URL: base, App: a, DatabaseURL: st.cfg.DatabaseURL, DataDir: st.cfg.DataDir, t: t}
}

// Password is the password CreateUser gives every user.
const Password = "correct-horse-battery"

// CreateUser creates a user with the role directly through the service;
// an admin signs in with two-factor codes, as admins must (ACC-7).
func (s *Server) CreateUser(email string, role account.Role) account.User {
	s.t.Helper()
	name, _, _ := strings.Cut(email, "@")
	return s.CreateNamedUser(name, email, role)
}

// CreateNamedUser is CreateUser with a display name.
func (s *Server) CreateNamedUser(name, email string, role account.Role) account.User {
	s.t.Helper()
	u, err := s.App.Accounts.Create(context.Background(), account.SignUpInput{Email: email, Password: Password, DisplayName: name}, role)
	if err != nil {
		s.t.Fatalf("create %s %s: %v", role, email, err)
	}
	if role == account.RoleAdmin {
		u = s.EnrolTwoFactor(u)
	}
	return u
}

// Client is an HTTP client with its own cookie jar, like one browser.
type Client struct {
	s     *Server
	http  *http.Client
	Token string // sent as a bearer token when set
}

// Client returns a new client with an empty cookie jar.
func (s *Server) Client() *Client {
	jar, _ := cookiejar.New(nil)
	return &Client{s: s, http: &http.Client{Jar: jar, Timeout: 30 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
}

// LoginAs creates a user with the role and returns a client logged in as them.
func (s *Server) LoginAs(email string, role account.Role) (*Client, account.User) {
	s.t.Helper()
	u := s.CreateUser(email, role)
	c := s.Client()
	if res := c.LogIn(u); res.Status != http.StatusOK {
		s.t.Fatalf("login %s: %d %s", email, res.Status, res.Body)
	}
	return c, u
}

// LogIn logs the client in as u with Password through the API, with a
// two-factor code when u has two-factor sign-in.
func (c *Client) LogIn(u account.User) Response {
	c.s.t.Helper()
	body := map[string]string{"email": u.Email, "password": Password}
	if u.TwoFactor {
		body["code"] = c.s.TwoFactorCode(u)
	}
	return c.Do("POST", "/api/v1/auth/login", body)
}

// Response is a finished response with its body read.
type Response struct {
	Status int
	Header http.Header
	Body   []byte
}

// JSON decodes the body into v, failing the test if it is not JSON.
func (r Response) JSON(t testing.TB, v any) {
	t.Helper()
	if err := json.Unmarshal(r.Body, v); err != nil {
		t.Fatalf("decode %q: %v", r.Body, err)
	}
}

// Do sends a request. body may be nil, a string or []byte (sent as is, with
// Content-Type application/json), or any other value (encoded as JSON).
func (c *Client) Do(method, path string, body any, headers ...string) Response {
	c.s.t.Helper()
	var rd io.Reader
	switch b := body.(type) {
	case nil:
	case string:
		rd = strings.NewReader(b)
	case []byte:
		rd = bytes.NewReader(b)
	default:
		enc, err := json.Marshal(b)
		if err != nil {
			c.s.t.Fatal(err)
		}
		rd = bytes.NewReader(enc)
	}
	req, err := http.NewRequest(method, c.s.URL+path, rd)
	if err != nil {
		c.s.t.Fatal(err)
	}
	if rd != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if c.Token != "" {
		req.Header.Set("Authorization", "Bearer "+c.Token)
	}
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	res, err := c.http.Do(req)
	if err != nil {
		c.s.t.Fatalf("%s %s: %v", method, path, err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return Response{Status: res.StatusCode, Header: res.Header, Body: b}
}

// Form posts a url-encoded form, as a browser would.
func (c *Client) Form(path string, values url.Values) Response {
	c.s.t.Helper()
	return c.Do("POST", path, []byte(values.Encode()), "Content-Type", "application/x-www-form-urlencoded")
}
