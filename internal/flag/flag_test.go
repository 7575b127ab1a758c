package flag_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/soulseer/soulseer/internal/account"
	"github.com/soulseer/soulseer/internal/apperr"
	"github.com/soulseer/soulseer/internal/apptest"
	"github.com/soulseer/soulseer/internal/audit"
	"github.com/soulseer/soulseer/internal/clock"
	"github.com/soulseer/soulseer/internal/db"
	"github.com/soulseer/soulseer/internal/db/dbtest"
	"github.com/soulseer/soulseer/internal/flag"
	"github.com/soulseer/soulseer/internal/forum"
)

var ctx = context.Background()

// world is an app on a fake clock with an admin, an author with a forum
// thread and reply, and five other users.
type world struct {
	s              *apptest.Server
	clk            *clock.Fake
	flags          *flag.Service
	admin, author  account.User
	users          []account.User
	thread         forum.Thread
	opening, reply forum.Post
}

func eachWorld(t *testing.T, f func(t *testing.T, w *world)) {
	for _, e := range dbtest.Engines() {
		t.Run(string(e), func(t *testing.T) {
			t.Parallel()
			w := newWorld(t, apptest.Start(t, e, apptest.WithClock(clock.NewFake(time.Date(2027, 2, 1, 12, 0, 0, 0, time.UTC))), apptest.WithManualSweeps()))
			f(t, w)
		})
	}
}

func newWorld(t *testing.T, s *apptest.Server) *world {
	w := &world{s: s, flags: s.App.Flags}
	w.clk, _ = s.App.Clock.(*clock.Fake)
	w.admin = s.CreateUser("admin@example.com", account.RoleAdmin)
	w.author = s.CreateUser("author@example.com", account.RoleClient)
	for i := range 5 {
		w.users = append(w.users, s.CreateUser(fmt.Sprintf("user%d@example.com", i), account.RoleClient))
	}
	c, err := s.App.Forum.CreateCategory(ctx, w.admin, forum.CategoryInput{Name: "General"})
	if err != nil {
		t.Fatal(err)
	}
	if w.thread, err = s.App.Forum.CreateThread(ctx, w.author, c.Slug, forum.ThreadInput{Title: "Buy my crystals", Body: "Cheap crystals at my shop"}); err != nil {
		t.Fatal(err)
	}
	if w.reply, err = s.App.Forum.Reply(ctx, w.users[4], w.thread.ID, "Please no ads here."); err != nil {
		t.Fatal(err)
	}
	_, posts, _, err := s.App.Forum.Thread(ctx, w.thread.ID, 1)
	if err != nil {
		t.Fatal(err)
	}
	w.opening = posts[0]
	return w
}

func (w *world) flagPost(t *testing.T, u account.User, post int64) flag.Flag {
	t.Helper()
	f, err := w.flags.Raise(ctx, u, flag.RaiseInput{TargetType: forum.TargetPost, TargetID: post, Reason: "spam"})
	if err != nil {
		t.Fatal(err)
	}
	return f
}

func (w *world) post(t *testing.T, id int64) forum.Post {
	t.Helper()
	_, posts, _, err := w.s.App.Forum.Thread(ctx, w.thread.ID, 1)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range posts {
		if p.ID == id {
			return p
		}
	}
	t.Fatalf("post %d not in its thread", id)
	return forum.Post{}
}

func wantCode(t *testing.T, what string, err error, code apperr.Code) {
	t.Helper()
	if got := apperr.CodeOf(err); got != code {
		t.Errorf("%s: %v (%s), want %s", what, err, got, code)
	}
}

func wantField(t *testing.T, what string, err error, field string) {
	t.Helper()
	var e *apperr.Error
	if !errors.As(err, &e) || e.Fields[field] == "" {
		t.Errorf("%s: %v, want field %s named", what, err, field)
	}
}

// COM-4, COM-5: anyone signed in flags an item with a reason from the
// list (and a note for "other"); the flag is pending; one per user and
// item; never one's own; every kind of item can be flagged; bad input
// names its field and changes nothing.
func TestRaise_COM4_COM5(t *testing.T) {
	eachWorld(t, func(t *testing.T, w *world) {
		f := w.flagPost(t, w.users[0], w.opening.ID)
		if f.ID == 0 || f.Status != flag.Pending || f.Reason != "spam" {
			t.Errorf("flag %+v", f)
		}
		_, err := w.flags.Raise(ctx, w.users[0], flag.RaiseInput{TargetType: forum.TargetPost, TargetID: w.opening.ID, Reason: "scam"})
		wantCode(t, "a second flag of the same post", err, apperr.Conflict)
		_, err = w.flags.Raise(ctx, w.author, flag.RaiseInput{TargetType: forum.TargetPost, TargetID: w.opening.ID, Reason: "spam"})
		wantCode(t, "flagging one's own post", err, apperr.Invalid)
		_, err = w.flags.Raise(ctx, w.users[1], flag.RaiseInput{TargetType: "wallet", TargetID: 1, Reason: "nope"})
		wantField(t, "an unknown kind", err, "target_type")
		wantField(t, "an unknown reason", err, "reason")
		_, err = w.flags.Raise(ctx, w.users[1], flag.RaiseInput{TargetType: forum.TargetThread, TargetID: w.thread.ID, Reason: "other", Note: "  "})
		wantField(t, "other without a note", err, "note")
		_, err = w.flags.Raise(ctx, w.users[1], flag.RaiseInput{TargetType: forum.TargetPost, TargetID: 999_999, Reason: "spam"})
		wantCode(t, "no such post", err, apperr.NotFound)
		_, err = w.flags.Raise(ctx, account.User{}, flag.RaiseInput{TargetType: forum.TargetPost, TargetID: w.opening.ID, Reason: "spam"})
		wantCode(t, "signed out", err, apperr.Unauthorized)
		if _, err := w.flags.Raise(ctx, w.users[1], flag.RaiseInput{TargetType: forum.TargetThread, TargetID: w.thread.ID, Reason: "other", Note: "An ad"}); err != nil {
			t.Errorf("a thread: %v", err)
		}
		reader := w.s.CreateUser("luna@example.com", account.RoleReader)
		if _, err := w.flags.Raise(ctx, w.users[1], flag.RaiseInput{TargetType: flag.TargetProfile, TargetID: reader.ID, Reason: "scam"}); err != nil {
			t.Errorf("a profile: %v", err)
		}
		_, err = w.flags.Raise(ctx, w.users[1], flag.RaiseInput{TargetType: flag.TargetProfile, TargetID: w.author.ID, Reason: "scam"})
		wantCode(t, "a client has no profile", err, apperr.NotFound)
		var n int
		if err := w.s.App.DB.Read().QueryRowContext(ctx, `SELECT count(*) FROM flags WHERE status = 'pending'`).Scan(&n); err != nil || n != 3 {
			t.Errorf("%d pending flags, want 3: %v", n, err)
		}
	})
}

// COM-7: a post with a pending flag shows behind a warning; with as many
// flags from different people as SOULSEER_FLAG_HIDE_AFTER (3) it is hidden —
// its text shown to no one and out of search — until a moderator decides;
// a dismissal brings it back.
func TestFlaggedContentWarnsThenHides_COM7(t *testing.T) {
	eachWorld(t, func(t *testing.T, w *world) {
		w.flagPost(t, w.users[0], w.opening.ID)
		if p := w.post(t, w.opening.ID); !p.Flagged || p.Hidden || p.Body == "" {
			t.Errorf("flagged once: %+v", p)
		}
		w.flagPost(t, w.users[1], w.opening.ID)
		w.flagPost(t, w.users[2], w.opening.ID)
		if p := w.post(t, w.opening.ID); !p.Hidden || p.Body != "" || p.BodyHTML != "" {
			t.Errorf("flagged three times: %+v", p)
		}
		hits, err := w.s.App.Forum.Search(ctx, "cheap crystals")
		if err != nil || len(hits) != 0 {
			t.Errorf("a hidden post found: %+v %v", hits, err)
		}
		if p := w.post(t, w.reply.ID); p.Hidden || p.Flagged {
			t.Errorf("the reply: %+v", p)
		}
		if n, err := w.flags.Decide(ctx, w.admin, forum.TargetPost, w.opening.ID, flag.Decision{Action: "dismiss"}); err != nil || n != 3 {
			t.Fatalf("dismiss: %d %v", n, err)
		}
		if p := w.post(t, w.opening.ID); p.Hidden || p.Flagged || !strings.Contains(p.Body, "crystals") {
			t.Errorf("after the dismissal: %+v", p)
		}
		var statuses string
		if err := w.s.App.DB.Read().QueryRowContext(ctx, `SELECT min(status) || max(status) FROM flags`).Scan(&statuses); err != nil || statuses != "dismisseddismissed" {
			t.Errorf("flags after the dismissal: %q %v", statuses, err)
		}
	})
}

// COM-6: the queue lists flagged items oldest first with their flags and
// the author's record; an admin hides, deletes or warns — the author told,
// the decision audited — and a second decision on the same item is a
// Conflict; no one else may decide; an item flagged again shows its
// earlier flags and how they ended.
func TestQueueAndDecisions_COM6(t *testing.T) {
	eachWorld(t, func(t *testing.T, w *world) {
		w.flagPost(t, w.users[0], w.opening.ID)
		w.clk.Advance(time.Minute)
		w.flagPost(t, w.users[1], w.reply.ID)
		w.flagPost(t, w.users[2], w.opening.ID)
		q, err := w.flags.Queue(ctx, w.admin)
		if err != nil || len(q) != 2 || q[0].TargetID != w.opening.ID || len(q[0].Flags) != 2 || q[1].TargetID != w.reply.ID {
			t.Fatalf("queue: %+v %v", q, err)
		}
		if q[0].Item.AuthorID != w.author.ID || !strings.Contains(q[0].Item.Text, "Cheap crystals") || q[0].Item.URL == "" {
			t.Errorf("queued item: %+v", q[0].Item)
		}
		if n, _ := w.flags.PendingCount(ctx); n != 2 {
			t.Errorf("%d pending items, want 2", n)
		}
		_, err = w.flags.Queue(ctx, w.users[0])
		wantCode(t, "a client reading the queue", err, apperr.Forbidden)
		_, err = w.flags.Decide(ctx, w.users[0], forum.TargetPost, w.opening.ID, flag.Decision{Action: "hide"})
		wantCode(t, "a client deciding", err, apperr.Forbidden)
		_, err = w.flags.Decide(ctx, w.admin, forum.TargetPost, w.opening.ID, flag.Decision{Action: "ban", SuspendDays: -1})
		wantField(t, "a bad action", err, "action")
		wantField(t, "a bad period", err, "suspend_days")

		if _, err := w.flags.Decide(ctx, w.admin, forum.TargetPost, w.opening.ID, flag.Decision{Action: "hide", Note: "No ads, please."}); err != nil {
			t.Fatal(err)
		}
		if p := w.post(t, w.opening.ID); !p.Hidden || p.Flagged {
			t.Errorf("hidden by a moderator: %+v", p)
		}
		_, err = w.flags.Decide(ctx, w.admin, forum.TargetPost, w.opening.ID, flag.Decision{Action: "delete"})
		wantCode(t, "deciding twice", err, apperr.Conflict)
		if n, err := w.flags.DecideFlag(ctx, w.admin, q[1].Flags[0].ID, flag.Decision{Action: "warn"}); err != nil || n != 1 {
			t.Fatalf("warn, naming the flag: %d %v", n, err)
		}
		_, err = w.flags.DecideFlag(ctx, w.admin, 999_999, flag.Decision{Action: "warn"})
		wantCode(t, "no such flag", err, apperr.NotFound)
		var told int
		if err := w.s.App.DB.Read().QueryRowContext(ctx, `SELECT count(*) FROM notifications WHERE kind = 'moderation' AND user_id = $1
			AND body LIKE '%No ads, please.%'`, w.author.ID).Scan(&told); err != nil || told != 1 {
			t.Errorf("the author told %d times: %v", told, err)
		}
		es, err := audit.List(ctx, w.s.App.DB.Read(), audit.Filter{Action: "flag."})
		if err != nil || len(es) != 2 || es[0].Action != "flag.warn" || es[1].Action != "flag.hide" || es[1].ActorID != w.admin.ID {
			t.Errorf("audited: %+v %v", es, err)
		}

		// the author's record counts what was acted on before
		w.flagPost(t, w.users[3], w.reply.ID)
		other, err := w.s.App.Forum.Reply(ctx, w.author, w.thread.ID, "Still cheap!")
		if err != nil {
			t.Fatal(err)
		}
		w.flagPost(t, w.users[0], other.ID)
		q, _ = w.flags.Queue(ctx, w.admin)
		var mine, again flag.Flagged
		for _, f := range q {
			switch f.TargetID {
			case other.ID:
				mine = f
			case w.reply.ID:
				again = f
			}
		}
		if mine.AuthorFlagged != 1 || mine.AuthorUpheld != 1 {
			t.Errorf("the author's record: flagged %d, upheld %d, want 1 and 1", mine.AuthorFlagged, mine.AuthorUpheld)
		}
		// COM-5: the reply flagged again shows the moderator the earlier flag, resolved by the warning
		if len(again.Flags) != 1 || again.Flags[0].ReporterID != w.users[3].ID || len(again.Earlier) != 1 ||
			again.Earlier[0].ReporterID != w.users[1].ID || again.Earlier[0].Status != flag.Resolved {
			t.Errorf("the reply flagged again: flags %+v, earlier %+v", again.Flags, again.Earlier)
		}
		if _, err := w.flags.Decide(ctx, w.admin, forum.TargetPost, other.ID, flag.Decision{Action: "delete"}); err != nil {
			t.Fatal(err)
		}
		if p := w.post(t, other.ID); !p.Deleted {
			t.Errorf("deleted: %+v", p)
		}
	})
}

// COM-6: suspending an author ends their sessions at once, and until the
// suspension ends they cannot log in or use an API token; suspended for
// good, never.
func TestSuspension_COM6(t *testing.T) {
	eachWorld(t, func(t *testing.T, w *world) {
		sess, err := w.s.App.Accounts.NewSession(ctx, w.author.ID, "127.0.0.1", "test")
		if err != nil {
			t.Fatal(err)
		}
		w.flagPost(t, w.users[0], w.opening.ID)
		if _, err := w.flags.Decide(ctx, w.admin, forum.TargetPost, w.opening.ID, flag.Decision{Action: "suspend", SuspendDays: 7}); err != nil {
			t.Fatal(err)
		}
		_, err = w.s.App.Accounts.UserBySession(ctx, sess.Token)
		wantCode(t, "the suspended author's session", err, apperr.Unauthorized)
		_, err = w.s.App.Accounts.Login(ctx, "author@example.com", apptest.Password)
		wantCode(t, "the suspended author logging in", err, apperr.Forbidden)
		if !strings.Contains(apperr.MessageOf(err), "suspended until 8 February 2027") {
			t.Errorf("login refused with %q", apperr.MessageOf(err))
		}
		w.clk.Advance(7*24*time.Hour + time.Minute)
		if _, err := w.s.App.Accounts.Login(ctx, "author@example.com", apptest.Password); err != nil {
			t.Errorf("after the suspension: %v", err)
		}
		w.flagPost(t, w.users[1], w.reply.ID)
		if _, err := w.flags.Decide(ctx, w.admin, forum.TargetPost, w.reply.ID, flag.Decision{Action: "suspend"}); err != nil {
			t.Fatal(err)
		}
		w.clk.Advance(10 * 365 * 24 * time.Hour)
		_, err = w.s.App.Accounts.Login(ctx, "user4@example.com", apptest.Password)
		wantCode(t, "suspended for good", err, apperr.Forbidden)
	})
}

// SEC-3: a user raises at most 5 flags a minute, counted across instances
// sharing the database; the next is refused with the time to wait and
// changes nothing.
func TestFlagRateLimitAcrossInstances_SEC3(t *testing.T) {
	one := apptest.Start(t, db.Postgres, apptest.WithManualSweeps())
	two := apptest.Start(t, db.Postgres, apptest.WithManualSweeps(), apptest.SharingDatabase(one))
	w := newWorld(t, one)
	var posts []int64
	for i := range 6 {
		p, err := one.App.Forum.Reply(ctx, w.author, w.thread.ID, fmt.Sprintf("ad %d", i))
		if err != nil {
			t.Fatal(err)
		}
		posts = append(posts, p.ID)
	}
	for i, id := range posts[:5] {
		svc := []*flag.Service{one.App.Flags, two.App.Flags}[i%2]
		if _, err := svc.Raise(ctx, w.users[0], flag.RaiseInput{TargetType: forum.TargetPost, TargetID: id, Reason: "spam"}); err != nil {
			t.Fatalf("flag %d: %v", i, err)
		}
	}
	_, err := two.App.Flags.Raise(ctx, w.users[0], flag.RaiseInput{TargetType: forum.TargetPost, TargetID: posts[5], Reason: "spam"})
	wantCode(t, "the sixth flag in a minute", err, apperr.RateLimited)
	if e := apperr.As(err); e == nil || e.RetryAfter <= 0 {
		t.Errorf("no time to wait: %+v", e)
	}
	var n int
	if err := one.App.DB.Read().QueryRowContext(ctx, `SELECT count(*) FROM flags WHERE reporter_id = $1`, w.users[0].ID).Scan(&n); err != nil || n != 5 {
		t.Errorf("%d flags stored, want 5: %v", n, err)
	}
}
