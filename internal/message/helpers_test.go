package message_test

import (
	"context"
	"encoding/json"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/soulseer/soulseer/internal/account"
	"github.com/soulseer/soulseer/internal/apperr"
	"github.com/soulseer/soulseer/internal/apptest"
	"github.com/soulseer/soulseer/internal/clock"
	"github.com/soulseer/soulseer/internal/db/dbtest"
	"github.com/soulseer/soulseer/internal/ledger"
	"github.com/soulseer/soulseer/internal/message"
	"github.com/soulseer/soulseer/internal/reader"
	"github.com/soulseer/soulseer/internal/realtime"
)

var ctx = context.Background()

var t0 = time.Date(2026, 11, 26, 12, 0, 0, 0, time.UTC)

// world is an app on a fake clock with a client, a verified reader whose
// paid replies cost 100 cents, and an admin.
type world struct {
	s                     *apptest.Server
	clk                   *clock.Fake
	msgs                  *message.Service
	client, reader, admin account.User
	topUps                int
}

func eachWorld(t *testing.T, f func(t *testing.T, w *world)) {
	for _, e := range dbtest.Engines() {
		t.Run(string(e), func(t *testing.T) {
			t.Parallel()
			clk := clock.NewFake(t0)
			s := apptest.Start(t, e, apptest.WithClock(clk), apptest.WithManualSweeps())
			w := &world{s: s, clk: clk, msgs: s.App.Messages}
			w.admin = s.CreateUser("admin@example.com", account.RoleAdmin)
			w.client = s.CreateUser("client@example.com", account.RoleClient)
			w.reader = w.newReader(t, "reader@example.com")
			f(t, w)
		})
	}
}

// newReader creates a verified reader.
func (w *world) newReader(t *testing.T, email string) account.User {
	t.Helper()
	u := w.s.CreateUser(email, account.RoleReader)
	name, _, _ := strings.Cut(email, "@")
	if _, err := w.s.App.Readers.UpdateProfile(ctx, u.ID, reader.ProfileInput{DisplayName: name}); err != nil {
		t.Fatal(err)
	}
	if _, err := w.s.App.Readers.SetVerified(ctx, w.admin, u.ID, true); err != nil {
		t.Fatal(err)
	}
	return u
}

// topUp credits a wallet from Stripe clearing, as a paid top-up does.
func (w *world) topUp(t *testing.T, userID, cents int64) {
	t.Helper()
	w.topUps++
	key := "test-topup:" + strconv.Itoa(w.topUps)
	if _, err := w.s.App.Ledger.Transfer(ctx, ledger.Transfer{Key: key, Type: ledger.TypeTopUp, CauseType: "topup", CauseID: key,
		Postings: []ledger.Posting{{Account: ledger.StripeClearing(), Amount: -cents}, {Account: ledger.Wallet(userID), Amount: cents}}}); err != nil {
		t.Fatal(err)
	}
}

func (w *world) balance(t *testing.T, r ledger.Ref) int64 {
	t.Helper()
	b, err := w.s.App.Ledger.Balance(ctx, w.s.App.DB.Read(), r)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func (w *world) revenue(t *testing.T) int64 {
	t.Helper()
	n, err := w.s.App.Ledger.PlatformRevenueTotal(ctx, w.s.App.DB.Read())
	if err != nil {
		t.Fatal(err)
	}
	return n
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

func (w *world) messages(t *testing.T) int { return w.count(t, `SELECT count(*) FROM messages`) }

// paidReplyTransfers counts the ledger transfers that unlocked paid replies.
func (w *world) paidReplyTransfers(t *testing.T) int {
	return w.count(t, `SELECT count(*) FROM ledger_transfers WHERE type = 'paid_reply'`)
}

// send sends a message, failing t on an error.
func (w *world) send(t *testing.T, from account.User, to int64, body string, paid bool) message.Message {
	t.Helper()
	m, err := w.msgs.Send(ctx, from, message.SendInput{To: to, Body: body, Paid: paid})
	if err != nil {
		t.Fatalf("send %q: %v", body, err)
	}
	return m
}

// paidReply has the client write to the reader and the reader answer with
// a paid reply, which it returns.
func (w *world) paidReply(t *testing.T, body string) message.Message {
	t.Helper()
	w.send(t, w.client, w.reader.ID, "Will he call?", false)
	return w.send(t, w.reader, w.client.ID, body, true)
}

func (w *world) verify(t *testing.T) {
	t.Helper()
	rep, err := ledger.Verify(ctx, w.s.App.DB)
	if err != nil || len(rep.Problems) > 0 {
		t.Fatalf("ledger verify: %v %v", err, rep.Problems)
	}
	if rep.Transfers == 0 {
		t.Fatal("ledger verify saw no transfers")
	}
}

// wantCode fails t unless err has the code.
func wantCode(t *testing.T, what string, err error, code apperr.Code) {
	t.Helper()
	if apperr.CodeOf(err) != code {
		t.Fatalf("%s: %v, want %s", what, err, code)
	}
}

// nextEvent returns the next live event of type typ on sub, failing t after
// five seconds without one.
func nextEvent(t *testing.T, sub *realtime.Subscription, typ string) message.Event {
	t.Helper()
	timeout := time.After(5 * time.Second)
	for {
		select {
		case m, ok := <-sub.C():
			if !ok {
				t.Fatalf("subscription closed before %s", typ)
			}
			if m.Type == typ {
				var ev message.Event
				if err := json.Unmarshal(m.Data, &ev); err != nil {
					t.Fatal(err)
				}
				return ev
			}
		case <-timeout:
			t.Fatalf("no %s event", typ)
		}
	}
}
