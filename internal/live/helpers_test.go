package live_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/soulseer/soulseer/internal/account"
	"github.com/soulseer/soulseer/internal/apperr"
	"github.com/soulseer/soulseer/internal/apptest"
	"github.com/soulseer/soulseer/internal/clock"
	"github.com/soulseer/soulseer/internal/db"
	"github.com/soulseer/soulseer/internal/db/dbtest"
	"github.com/soulseer/soulseer/internal/ledger"
	"github.com/soulseer/soulseer/internal/live"
	"github.com/soulseer/soulseer/internal/reader"
	"github.com/soulseer/soulseer/internal/realtime"
)

var ctx = context.Background()

// t0 is when every world's clock starts.
var t0 = time.Date(2027, 5, 3, 18, 0, 0, 0, time.UTC)

// world is an app on a fake clock with a verified reader, Luna, a reader
// not yet verified, an admin and two clients, Cleo with $100 and Pat with
// nothing.
type world struct {
	s                     *apptest.Server
	clk                   *clock.Fake
	live                  *live.Service
	reader, unverified    account.User
	admin, client, pauper account.User
	n                     int // numbers users made by user
}

func eachWorld(t *testing.T, f func(t *testing.T, w *world), opts ...apptest.Option) {
	for _, e := range dbtest.Engines() {
		t.Run(string(e), func(t *testing.T) {
			t.Parallel()
			clk := clock.NewFake(t0)
			s := apptest.Start(t, e, append([]apptest.Option{apptest.WithClock(clk), apptest.WithManualSweeps()}, opts...)...)
			w := &world{s: s, clk: clk, live: s.App.Live}
			w.admin = s.CreateUser("admin@example.com", account.RoleAdmin)
			w.reader = s.CreateUser("luna@example.com", account.RoleReader)
			if _, err := s.App.Readers.UpdateProfile(ctx, w.reader.ID, reader.ProfileInput{DisplayName: "Luna"}); err != nil {
				t.Fatal(err)
			}
			w.reader.DisplayName = "Luna"
			if _, err := s.App.Readers.SetVerified(ctx, w.admin, w.reader.ID, true); err != nil {
				t.Fatal(err)
			}
			w.unverified = s.CreateUser("nova@example.com", account.RoleReader)
			w.client = w.user(t, "Cleo", account.RoleClient)
			w.fund(t, w.client, 10_000)
			w.pauper = w.user(t, "Pat", account.RoleClient)
			f(t, w)
		})
	}
}

// user makes a client or admin quickly, without a password.
func (w *world) user(t *testing.T, name string, role account.Role) account.User {
	t.Helper()
	w.n++
	u := account.User{DisplayName: name, Role: role, Email: fmt.Sprintf("user%d@example.com", w.n)}
	now := db.Millis(w.clk.Now())
	if err := w.s.App.DB.Writer.QueryRowContext(ctx, `INSERT INTO users (email, display_name, role, created_at, updated_at) VALUES ($1, $2, $3, $4, $4) RETURNING id`,
		u.Email, name, role, now).Scan(&u.ID); err != nil {
		t.Fatal(err)
	}
	return u
}

// fund credits u's wallet with cents.
func (w *world) fund(t *testing.T, u account.User, cents int64) {
	t.Helper()
	if _, err := w.s.App.Ledger.Transfer(ctx, ledger.Transfer{Key: fmt.Sprintf("test-fund:%d:%d", u.ID, w.n), Type: ledger.TypeAdjustment,
		Postings: []ledger.Posting{{Account: ledger.Adjustments(), Amount: -cents}, {Account: ledger.Wallet(u.ID), Amount: cents}}}); err != nil {
		t.Fatal(err)
	}
	w.n++
}

func (w *world) balance(t *testing.T, r ledger.Ref) int64 {
	t.Helper()
	b, err := w.s.App.Ledger.Balance(ctx, w.s.App.DB.Read(), r)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// start puts the reader live with in, failing the test if it cannot.
func (w *world) start(t *testing.T, in live.StartInput) live.Stream {
	t.Helper()
	st, err := w.live.Start(ctx, w.reader, in)
	if err != nil {
		t.Fatal(err)
	}
	return st
}

// public puts the reader live with a public stream.
func (w *world) public(t *testing.T) live.Stream {
	t.Helper()
	return w.start(t, live.StartInput{Title: "Evening tarot", Visibility: "public"})
}

// count runs a count query.
func (w *world) count(t *testing.T, query string, args ...any) int {
	t.Helper()
	var n int
	if err := w.s.App.DB.Read().QueryRowContext(ctx, query, args...).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// verify fails t unless the ledger is consistent.
func (w *world) verify(t *testing.T) {
	t.Helper()
	rep, err := ledger.Verify(ctx, w.s.App.DB)
	if err != nil || len(rep.Problems) > 0 {
		t.Fatalf("ledger verify: %v %v", err, rep.Problems)
	}
}

// listen subscribes to stream id's topic until the test ends.
func (w *world) listen(t *testing.T, id int64) *realtime.Subscription {
	sub := w.s.App.Hub.Subscribe(realtime.StreamTopic(id))
	t.Cleanup(sub.Close)
	return sub
}

// next waits for sub's next message of type typ, skipping others.
func next(t *testing.T, sub *realtime.Subscription, typ string) realtime.Message {
	t.Helper()
	timeout := time.After(5 * time.Second)
	for {
		select {
		case m, ok := <-sub.C():
			if !ok {
				t.Fatalf("subscription closed waiting for %s", typ)
			}
			if m.Type == typ {
				return m
			}
		case <-timeout:
			t.Fatalf("no %s within 5s", typ)
		}
	}
}

// wantCode fails t unless err has code.
func wantCode(t *testing.T, what string, err error, code apperr.Code) {
	t.Helper()
	if got := apperr.CodeOf(err); got != code {
		t.Errorf("%s: %v (%s), want %s", what, err, got, code)
	}
}
