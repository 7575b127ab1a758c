package message_test

import (
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/soulseer/soulseer/internal/account"
	"github.com/soulseer/soulseer/internal/apperr"
	"github.com/soulseer/soulseer/internal/apptest"
	"github.com/soulseer/soulseer/internal/db"
	"github.com/soulseer/soulseer/internal/message"
	"github.com/soulseer/soulseer/internal/realtime"
)

// MSG-1, MSG-3: a client writes to any verified reader, for free; a reader
// may not write to a client cold, only once the client has written; only
// readers send paid replies, priced at their paid-reply price. Refused
// messages store nothing.
func TestWhoMayWrite_MSG1_MSG3(t *testing.T) {
	eachWorld(t, func(t *testing.T, w *world) {
		other := w.s.CreateUser("other@example.com", account.RoleClient)
		unverified := w.s.CreateUser("new-reader@example.com", account.RoleReader)
		refusals := []struct {
			name string
			from account.User
			in   message.SendInput
			code apperr.Code
		}{
			{"a reader writes to a client cold", w.reader, message.SendInput{To: w.client.ID, Body: "Hello"}, apperr.Forbidden},
			{"a client writes to an unverified reader", w.client, message.SendInput{To: unverified.ID, Body: "Hello"}, apperr.NotFound},
			{"a client writes to a client", w.client, message.SendInput{To: other.ID, Body: "Hello"}, apperr.NotFound},
			{"a client writes to nobody", w.client, message.SendInput{To: 999999, Body: "Hello"}, apperr.NotFound},
			{"a client sends a paid message", w.client, message.SendInput{To: w.reader.ID, Body: "Hello", Paid: true}, apperr.Invalid},
			{"an admin writes to a reader", w.admin, message.SendInput{To: w.reader.ID, Body: "Hello"}, apperr.Forbidden},
		}
		for _, r := range refusals {
			_, err := w.msgs.Send(ctx, r.from, r.in)
			wantCode(t, r.name, err, r.code)
		}
		if n := w.messages(t); n != 0 {
			t.Fatalf("refused messages stored %d", n)
		}

		free := w.send(t, w.client, w.reader.ID, "Hello, may I ask about my career?", false)
		if free.Paid || free.PriceCents != 0 || free.Locked || free.Body == "" {
			t.Errorf("client's message %+v", free)
		}
		reply := w.send(t, w.reader, w.client.ID, "Of course. Tell me more.", false)
		if reply.ConversationID != free.ConversationID {
			t.Errorf("the reply went to conversation %d, not %d", reply.ConversationID, free.ConversationID)
		}
		paid := w.send(t, w.reader, w.client.ID, "Your career turns in May.", true)
		if !paid.Paid || paid.PriceCents != 100 || !paid.Locked {
			t.Errorf("paid reply %+v, want locked at the default 100 cents", paid)
		}
		if n := w.messages(t); n != 3 {
			t.Errorf("%d messages stored, want 3", n)
		}
	})
}

// A message holds 1 to 4,000 characters (counted as characters, not
// bytes); a longer or empty one is a field error and stores nothing.
func TestMessageLength_MSG1(t *testing.T) {
	eachWorld(t, func(t *testing.T, w *world) {
		for _, body := range []string{"", "  \n ", strings.Repeat("é", message.MaxBodyLen+1)} {
			_, err := w.msgs.Send(ctx, w.client, message.SendInput{To: w.reader.ID, Body: body})
			wantCode(t, "a message of "+strconv.Itoa(len(body))+" bytes", err, apperr.Invalid)
			if e := apperr.As(err); e == nil || e.Fields["body"] != "Write a message of 1 to 4000 characters." {
				t.Errorf("field errors %v", err)
			}
		}
		if n := w.messages(t); n != 0 {
			t.Fatalf("refused messages stored %d", n)
		}
		// The longest message, in two-byte characters, is too long to travel
		// live: the reader's pages are told of it by id and length.
		sub := w.s.App.Hub.Subscribe(realtime.UserTopic(w.reader.ID))
		defer sub.Close()
		m := w.send(t, w.client, w.reader.ID, strings.Repeat("é", message.MaxBodyLen), false)
		if m.Chars != message.MaxBodyLen || m.Body != strings.Repeat("é", message.MaxBodyLen) {
			t.Errorf("a 4,000-character message came back with %d characters", m.Chars)
		}
		ev := nextEvent(t, sub, "message.new")
		if ev.Message == nil || ev.Message.ID != m.ID || ev.Message.Body != "" || ev.Message.Locked || ev.Message.Chars != message.MaxBodyLen {
			t.Errorf("live event %+v", ev.Message)
		}
	})
}

// ACC-6: while either of a client and a reader has blocked the other,
// neither can write to the other — the client is told the reader is not
// available, the reader that the client is not — and nothing is stored;
// once unblocked both write again.
func TestBlockedPairCannotMessage_ACC6(t *testing.T) {
	eachWorld(t, func(t *testing.T, w *world) {
		w.send(t, w.client, w.reader.ID, "Hello", false)
		for _, dir := range []struct {
			name             string
			blocker, blocked account.User
		}{{"client blocks reader", w.client, w.reader}, {"reader blocks client", w.reader, w.client}} {
			if _, err := w.s.App.Blocks.Block(ctx, dir.blocker, dir.blocked.ID); err != nil {
				t.Fatal(err)
			}
			before := w.messages(t)
			for _, tc := range []struct {
				from account.User
				to   int64
				paid bool
				want string
			}{{w.client, w.reader.ID, false, "This reader is not available."}, {w.reader, w.client.ID, true, "This client is not available."}} {
				_, err := w.msgs.Send(ctx, tc.from, message.SendInput{To: tc.to, Body: "Are you there?", Paid: tc.paid})
				if apperr.CodeOf(err) != apperr.NotFound || apperr.MessageOf(err) != tc.want {
					t.Errorf("%s: %s writes: %v, want %q", dir.name, tc.from.Email, err, tc.want)
				}
				if _, err := w.msgs.Recipient(ctx, tc.from, tc.to); apperr.MessageOf(err) != tc.want {
					t.Errorf("%s: %s opens a new message: %v", dir.name, tc.from.Email, err)
				}
			}
			// Refused attempts do not use up the sender's limit (SEC-3):
			// after these the client still writes at once.
			for range 10 {
				if _, err := w.msgs.Send(ctx, w.client, message.SendInput{To: w.reader.ID, Body: "Still there?"}); apperr.CodeOf(err) != apperr.NotFound {
					t.Fatalf("%s: a blocked attempt: %v", dir.name, err)
				}
			}
			if n := w.messages(t); n != before {
				t.Fatalf("%s: %d messages stored while blocked", dir.name, n-before)
			}
			if err := w.s.App.Blocks.Unblock(ctx, dir.blocker, dir.blocked.ID); err != nil {
				t.Fatal(err)
			}
			w.send(t, w.client, w.reader.ID, "Back again", false)
			w.send(t, w.reader, w.client.ID, "Welcome back", false)
		}
		if n := w.messages(t); n != 5 {
			t.Errorf("%d messages, want 5", n)
		}
	})
}

// SEC-3: a user sends at most 10 messages in 60 seconds; the 11th is
// refused as rate limited with the time to wait, and stores nothing; once
// the window has passed they write again.
func TestMessageRateLimit_SEC3(t *testing.T) {
	eachWorld(t, func(t *testing.T, w *world) {
		for i := range 10 {
			w.send(t, w.client, w.reader.ID, "Message "+strconv.Itoa(i+1), false)
			w.clk.Advance(time.Second)
		}
		_, err := w.msgs.Send(ctx, w.client, message.SendInput{To: w.reader.ID, Body: "Message 11"})
		wantCode(t, "the 11th message", err, apperr.RateLimited)
		if e := apperr.As(err); e.RetryAfter != 50*time.Second {
			t.Errorf("retry after %s, want 50s (the first message leaves the window then)", e.RetryAfter)
		}
		if n := w.messages(t); n != 10 {
			t.Fatalf("%d messages stored, want 10", n)
		}
		// The limit is the sender's: the reader still answers.
		w.send(t, w.reader, w.client.ID, "Slow down a little", false)
		w.clk.Advance(50 * time.Second)
		w.send(t, w.client, w.reader.ID, "Message 11", false)
		if n := w.messages(t); n != 12 {
			t.Errorf("%d messages stored, want 12", n)
		}
	})
}

// SEC-3: the message limit holds across two instances on one PostgreSQL
// database: ten messages sent through both, the 11th is refused with 429
// and Retry-After whichever instance it reaches, and nothing more is
// stored.
func TestMessageRateLimitAcrossInstances_SEC3(t *testing.T) {
	t.Parallel()
	first := apptest.Start(t, db.Postgres) // skips, naming what to set, without PostgreSQL
	second := apptest.Start(t, db.Postgres, apptest.SharingDatabase(first))
	w := &world{s: first, msgs: first.App.Messages}
	w.admin = first.CreateUser("admin@example.com", account.RoleAdmin)
	rdr := w.newReader(t, "reader@example.com")
	one, _ := first.LoginAs("client@example.com", account.RoleClient)
	two := second.Client()
	if res := two.Do("POST", "/api/v1/auth/login", map[string]string{"email": "client@example.com", "password": apptest.Password}); res.Status != http.StatusOK {
		t.Fatalf("login on the second instance: %d", res.Status)
	}
	instances := []*apptest.Client{one, two}
	send := func(c *apptest.Client, i int) apptest.Response {
		return c.Do("POST", "/api/v1/messages", map[string]any{"to_user_id": rdr.ID, "body": "Message " + strconv.Itoa(i)})
	}
	for i := range 10 {
		if res := send(instances[i%2], i+1); res.Status != http.StatusCreated {
			t.Fatalf("message %d on instance %d: %d %s", i+1, i%2+1, res.Status, res.Body)
		}
	}
	for i, c := range instances {
		res := send(c, 11)
		if res.Status != http.StatusTooManyRequests || res.Header.Get("Retry-After") == "" {
			t.Errorf("the 11th message on instance %d: %d, Retry-After %q", i+1, res.Status, res.Header.Get("Retry-After"))
		}
	}
	if n := w.messages(t); n != 10 {
		t.Errorf("%d messages stored, want 10", n)
	}
}
