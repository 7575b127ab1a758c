package web

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/soulseer/soulseer/internal/account"
	"github.com/soulseer/soulseer/internal/apperr"
	"github.com/soulseer/soulseer/internal/clock"
	"github.com/soulseer/soulseer/internal/config"
	"github.com/soulseer/soulseer/internal/db"
	"github.com/soulseer/soulseer/internal/db/dbtest"
	"github.com/soulseer/soulseer/internal/errreport"
	"github.com/soulseer/soulseer/internal/errreport/sentrytest"
)

// sentryServer builds a server whose only service is accounts on d (nil
// when the test signs nobody in) and whose errors go to a fake Sentry, so
// a route that reaches any other service panics there: the way to force a
// panic in a real route.
func sentryServer(t *testing.T, d *db.DB) (*Server, *sentrytest.Server) {
	t.Helper()
	fake := sentrytest.Start(t)
	errs, err := errreport.New(fake.DSN, "ext5-test")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { errs.Close(5 * time.Second) })
	cfg, err := config.Load(func(string) string { return "" }, nil)
	if err != nil {
		t.Fatal(err)
	}
	log := slog.New(slog.DiscardHandler)
	accounts := &account.Service{DB: d, Clock: clock.System{}, Log: log, BaseURL: cfg.BaseURL, SessionTTL: time.Hour}
	s, err := New(Deps{Config: cfg, Log: log, DB: d, Accounts: accounts, Metrics: prometheus.NewRegistry(), Errors: errs})
	if err != nil {
		t.Fatal(err)
	}
	return s, fake
}

// assertAbsent fails when any of secrets appears anywhere in what reached
// Sentry.
func assertAbsent(t *testing.T, env sentrytest.Envelope, secrets ...string) {
	t.Helper()
	for _, secret := range secrets {
		if bytes.Contains(env.Raw, []byte(secret)) {
			t.Errorf("the error report holds %q:\n%s", secret, env.Raw)
		}
	}
	if len(env.Event.Request) != 0 {
		t.Errorf("the error report carries the request: %s", env.Event.Request)
	}
}

// EXT-5: a panic in a handler reaches Sentry tagged with the route, the
// request id the client was given, the user's id, the release and the
// environment, and with the stack that panicked — but none of the
// request's cookies, its Authorization header or its body (here a
// message's text with a card number).
func TestPanicReportedToSentry_EXT5(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		s, fake := sentryServer(t, d)
		ctx := context.Background()
		u, err := s.Accounts.Create(ctx, account.SignUpInput{Email: "ana@example.com", Password: "correct-horse-battery", DisplayName: "Ana"}, account.RoleClient)
		if err != nil {
			t.Fatal(err)
		}
		session, err := s.Accounts.NewSession(ctx, u.ID, "127.0.0.1", "test")
		if err != nil {
			t.Fatal(err)
		}
		token, err := s.Accounts.CreateAPIToken(ctx, u.ID, account.TokenInput{Name: "script"})
		if err != nil {
			t.Fatal(err)
		}

		const text = "my card is 4242 4242 4242 4242, tell nobody"
		req := httptest.NewRequest("POST", "/api/v1/messages", strings.NewReader(`{"to_user_id": 2, "body": "`+text+`"}`))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Authorization", "Bearer "+token.Secret)
		req.AddCookie(&http.Cookie{Name: sessionCookie, Value: session.Token})
		req.AddCookie(&http.Cookie{Name: "preferences", Value: "cookie-only-the-browser-knows"})
		rec := httptest.NewRecorder()
		s.ServeHTTP(rec, req)
		if rec.Code != http.StatusInternalServerError {
			t.Fatalf("status %d, want the panic's 500: %s", rec.Code, rec.Body)
		}
		id := rec.Header().Get("X-Request-Id")
		if id == "" {
			t.Fatal("no X-Request-Id on the answer")
		}

		env := fake.Next(t, func(e sentrytest.Envelope) bool { return e.Event.Tags["request_id"] == id })
		e := env.Event
		if e.Tags["route"] != "POST /api/v1/messages" || e.Tags["user_id"] != strconv.FormatInt(u.ID, 10) {
			t.Errorf("tags = %v, want the route and user %d", e.Tags, u.ID)
		}
		if e.Release != errreport.Release() || !strings.HasPrefix(e.Release, "soulseer@") || e.Environment != "ext5-test" {
			t.Errorf("release %q, environment %q", e.Release, e.Environment)
		}
		if len(e.Exception) != 1 || e.Exception[0].Type != "panic" || e.Level != "fatal" {
			t.Fatalf("exception = %+v, level %q", e.Exception, e.Level)
		}
		if st := e.Exception[0].Stacktrace; st == nil || !framesHold(st.Frames, "apiMessageCreate") {
			t.Errorf("the stack does not reach the handler that panicked: %+v", st)
		}
		assertAbsent(t, env, session.Token, token.Secret, "Bearer", "cookie-only-the-browser-knows", sessionCookie,
			"4242", "tell nobody", "ana@example.com")
	})
}

// framesHold reports whether a frame of the stack is in function fn.
func framesHold(frames []sentrytest.Frame, fn string) bool {
	for _, f := range frames {
		if strings.Contains(f.Function, fn) {
			return true
		}
	}
	return false
}

// EXT-5: a failure answered with a 5xx is reported with its error; one
// that is the client's (4xx) is not.
func TestServerFailureReportedToSentry_EXT5(t *testing.T) {
	t.Parallel()
	s, fake := sentryServer(t, nil)
	answer := func(err error) string {
		h := s.observe(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { s.fail(w, r, true, err) }))
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, httptest.NewRequest("GET", "/api/v1/wallet", nil))
		return rec.Header().Get("X-Request-Id")
	}
	clientsFault := answer(apperr.Errorf(apperr.Invalid, "Give an amount."))
	serversFault := answer(errors.New("ledger: transfer: database is locked"))
	env := fake.Next(t, func(e sentrytest.Envelope) bool {
		if e.Event.Tags["request_id"] == clientsFault {
			t.Errorf("a 400 was reported: %+v", e.Event)
		}
		return e.Event.Tags["request_id"] == serversFault
	})
	if ex := env.Event.Exception; len(ex) == 0 || !strings.Contains(ex[len(ex)-1].Value, "database is locked") || env.Event.Level != "error" {
		t.Fatalf("exception = %+v, level %q", ex, env.Event.Level)
	}
}

// EXT-5: a panic handling a live connection's message is recovered and
// reported with the connection's route, request id and user, never the
// message; the client is told something went wrong.
func TestLiveMessagePanicReportedToSentry_EXT5(t *testing.T) {
	t.Parallel()
	s, fake := sentryServer(t, nil)
	r := withValue(httptest.NewRequest("GET", "/api/v1/readings/7/ws", nil), ctxInfo,
		&requestInfo{id: "live-1", route: "GET /api/v1/readings/{id}/ws", userID: 42})
	onMessage := s.reportedMessages(r, func(context.Context, []byte) error { panic("live boom") })
	err := onMessage(context.Background(), []byte(`{"type":"say","body":"a secret only the reader may read"}`))
	if apperr.CodeOf(err) != apperr.Internal || strings.Contains(apperr.MessageOf(err), "boom") {
		t.Fatalf("err = %v (%q), want an internal error with a generic message", err, apperr.MessageOf(err))
	}
	env := fake.Next(t, func(e sentrytest.Envelope) bool { return e.Event.Tags["request_id"] == "live-1" })
	if e := env.Event; e.Tags["route"] != "GET /api/v1/readings/{id}/ws" || e.Tags["user_id"] != "42" ||
		len(e.Exception) != 1 || e.Exception[0].Value != "live boom" {
		t.Fatalf("event = %+v", e)
	}
	assertAbsent(t, env, "a secret only the reader may read")
}
