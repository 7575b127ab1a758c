package notify_test

import (
	"context"
	"encoding/json"
	"errors"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/soulseer/soulseer/internal/account"
	"github.com/soulseer/soulseer/internal/apperr"
	"github.com/soulseer/soulseer/internal/apptest"
	"github.com/soulseer/soulseer/internal/clock"
	"github.com/soulseer/soulseer/internal/config"
	"github.com/soulseer/soulseer/internal/db"
	"github.com/soulseer/soulseer/internal/db/dbtest"
	"github.com/soulseer/soulseer/internal/mail"
	"github.com/soulseer/soulseer/internal/notify"
	"github.com/soulseer/soulseer/internal/realtime"
)

var ctx = context.Background()

var t0 = time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)

// world is an app on a fake clock with one person to tell things, who is
// away (no live connection) until a test connects them.
type world struct {
	s   *apptest.Server
	clk *clock.Fake
	n   *notify.Service
	u   account.User
}

func eachWorld(t *testing.T, f func(t *testing.T, w *world)) {
	for _, e := range dbtest.Engines() {
		t.Run(string(e), func(t *testing.T) {
			t.Parallel()
			clk := clock.NewFake(t0)
			// A day of presence: a connection counts until it closes, however
			// far the test moves the clock.
			s := apptest.Start(t, e, apptest.WithClock(clk), apptest.WithConfig(func(c *config.Config) { c.PresenceTimeout = 24 * time.Hour }))
			w := &world{s: s, clk: clk, n: s.App.Notify, u: s.CreateUser("seeker@example.com", account.RoleClient)}
			f(t, w)
		})
	}
}

// send sends n in a transaction of its own.
func (w *world) send(t *testing.T, n notify.Notification) {
	t.Helper()
	if err := w.s.App.DB.Tx(ctx, func(tx *db.Tx) error { return w.n.Send(ctx, tx, n) }); err != nil {
		t.Fatal(err)
	}
}

func (w *world) message(title, group string) notify.Notification {
	return notify.Notification{UserID: w.u.ID, Kind: notify.KindMessage, Title: title, Body: "Body of " + title, URL: "/messages/1", Group: group}
}

// sweep moves the clock on by d and sends what is due.
func (w *world) sweep(t *testing.T, d time.Duration) {
	t.Helper()
	w.clk.Advance(d)
	if _, err := w.n.SendDueEmails(ctx); err != nil {
		t.Fatal(err)
	}
}

// emails returns the person's emails in the outbox, oldest first.
func (w *world) emails(t *testing.T) []mail.Email {
	t.Helper()
	list, err := w.s.App.Mail.Recent(ctx, w.u.Email, 100)
	if err != nil {
		t.Fatal(err)
	}
	slices.Reverse(list)
	return list
}

func (w *world) list(t *testing.T) []notify.Item {
	t.Helper()
	items, err := w.n.List(ctx, w.u.ID, notify.ListFilter{})
	if err != nil {
		t.Fatal(err)
	}
	return items
}

func (w *world) unread(t *testing.T) int {
	t.Helper()
	n, err := w.n.Unread(ctx, w.u.ID)
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// next waits for the next live message of type typ on sub.
func next(t *testing.T, sub *realtime.Subscription, typ string) json.RawMessage {
	t.Helper()
	timeout := time.After(10 * time.Second)
	for {
		select {
		case m, ok := <-sub.C():
			if !ok {
				t.Fatalf("subscription closed waiting for %s", typ)
			}
			if m.Type == typ {
				return m.Data
			}
		case <-timeout:
			t.Fatalf("no %s event", typ)
		}
	}
}

// A notification is stored with the change that caused it and reaches the
// person's open pages live with the unread count once that change commits;
// a change rolled back leaves neither a notification nor an event (MSG-2).
func TestSendStoresAndPushesLive_MSG2(t *testing.T) {
	eachWorld(t, func(t *testing.T, w *world) {
		sub := w.s.App.Hub.Subscribe(realtime.UserTopic(w.u.ID))
		defer sub.Close()

		rollback := errors.New("the change failed")
		err := w.s.App.DB.Tx(ctx, func(tx *db.Tx) error {
			if err := w.n.Send(ctx, tx, w.message("Never told", "")); err != nil {
				return err
			}
			return rollback
		})
		if !errors.Is(err, rollback) {
			t.Fatalf("rolled back send: %v", err)
		}
		w.send(t, w.message("Ada wrote to you", "conversation:1"))

		var ev notify.NewEvent
		if err := json.Unmarshal(next(t, sub, "notification.new"), &ev); err != nil {
			t.Fatal(err)
		}
		if ev.Notification.Title != "Ada wrote to you" || ev.Unread != 1 || ev.Notification.ID == 0 || ev.Notification.URL != "/messages/1" {
			t.Errorf("live event %+v, want the notification with unread 1", ev)
		}
		items := w.list(t)
		if len(items) != 1 || items[0].ID != ev.Notification.ID || items[0].Read || items[0].Body != "Body of Ada wrote to you" {
			t.Fatalf("list %+v, want the one notification sent, unread", items)
		}
		if n := w.unread(t); n != 1 {
			t.Errorf("unread %d, want 1", n)
		}
	})
}

// Marking read takes the person's own notifications named, or all of them,
// tells every open page the new count, and ignores other people's ids.
func TestMarkRead_MSG2(t *testing.T) {
	eachWorld(t, func(t *testing.T, w *world) {
		other := w.s.CreateUser("other@example.com", account.RoleClient)
		for _, title := range []string{"One", "Two", "Three"} {
			w.send(t, w.message(title, ""))
		}
		w.send(t, notify.Notification{UserID: other.ID, Kind: notify.KindMessage, Title: "Theirs"})
		theirs, err := w.n.List(ctx, other.ID, notify.ListFilter{})
		if err != nil || len(theirs) != 1 {
			t.Fatalf("other's list: %v %v", theirs, err)
		}
		items := w.list(t) // Three, Two, One
		sub := w.s.App.Hub.Subscribe(realtime.UserTopic(w.u.ID))
		defer sub.Close()

		unread, err := w.n.MarkRead(ctx, w.u.ID, []int64{items[1].ID, theirs[0].ID})
		if err != nil || unread != 2 {
			t.Fatalf("mark one read: unread %d, %v; want 2", unread, err)
		}
		var ev notify.ReadEvent
		if err := json.Unmarshal(next(t, sub, "notification.read"), &ev); err != nil || ev.Unread != 2 {
			t.Errorf("read event %+v %v, want unread 2", ev, err)
		}
		if got := w.list(t); got[0].Read || !got[1].Read || got[2].Read {
			t.Errorf("after marking Two: %+v", got)
		}
		if still, _ := w.n.List(ctx, other.ID, notify.ListFilter{UnreadOnly: true}); len(still) != 1 {
			t.Errorf("another person's notification was marked read through someone else's request")
		}
		if unread, err := w.n.MarkRead(ctx, w.u.ID, nil); err != nil || unread != 0 {
			t.Fatalf("mark all read: unread %d, %v", unread, err)
		}
		if n := w.unread(t); n != 0 {
			t.Errorf("unread after marking all: %d", n)
		}
		if _, err := w.n.MarkRead(ctx, w.u.ID, []int64{}); apperr.CodeOf(err) != apperr.Invalid {
			t.Errorf("mark no ids: %v, want invalid", err)
		}
	})
}

// A notification is emailed only to someone away: with a live connection
// open nothing is mailed; once it closes the next one is (MSG-2). A
// notification read within the delay is not mailed either.
func TestEmailOnlyWhenAway_MSG2(t *testing.T) {
	eachWorld(t, func(t *testing.T, w *world) {
		release := w.s.App.Presence.Connect(ctx, w.u.ID, 0)
		w.send(t, w.message("Seen live", "conversation:1"))
		w.sweep(t, 2*time.Minute)
		if got := w.emails(t); len(got) != 0 {
			t.Fatalf("emailed someone with a page open: %q", got[0].Subject)
		}
		release()

		w.send(t, w.message("Read in time", "conversation:2"))
		if _, err := w.n.MarkRead(ctx, w.u.ID, nil); err != nil {
			t.Fatal(err)
		}
		w.send(t, w.message("Missed while away", "conversation:3"))
		w.sweep(t, 30*time.Second)
		if got := w.emails(t); len(got) != 0 {
			t.Fatalf("emailed before the delay: %q", got[0].Subject)
		}
		w.sweep(t, time.Minute)
		got := w.emails(t)
		if len(got) != 1 || got[0].Subject != "Missed while away" {
			t.Fatalf("emails %v, want one about the notification missed while away", subjects(got))
		}
		for _, want := range []string{"Body of Missed while away", w.s.URL + "/messages/1", "/notifications/unsubscribe/"} {
			if !strings.Contains(got[0].Body, want) {
				t.Errorf("email body lacks %q:\n%s", want, got[0].Body)
			}
		}
		w.sweep(t, time.Hour)
		if n := len(w.emails(t)); n != 1 {
			t.Errorf("%d emails after another sweep, want still 1", n)
		}
	})
}

func subjects(es []mail.Email) []string {
	var out []string
	for _, e := range es {
		out = append(out, e.Subject)
	}
	return out
}

// Notifications of one group share one email, and a group is mailed at most
// once per 15 minutes; another group has its own emails (MSG-2).
func TestEmailBatchedPerGroup_MSG2(t *testing.T) {
	eachWorld(t, func(t *testing.T, w *world) {
		w.send(t, w.message("First from Ada", "conversation:1"))
		w.clk.Advance(20 * time.Second)
		w.send(t, w.message("Second from Ada", "conversation:1"))
		w.send(t, w.message("From Bo", "conversation:2"))
		w.sweep(t, 2*time.Minute)
		got := w.emails(t)
		if len(got) != 2 {
			t.Fatalf("emails %v, want one per conversation", subjects(got))
		}
		ada := got[0]
		if got[1].Subject == "First from Ada (and 1 more)" {
			ada = got[1]
		}
		if ada.Subject != "First from Ada (and 1 more)" || !strings.Contains(ada.Body, "Second from Ada") {
			t.Fatalf("Ada's conversation mailed as %q:\n%s", ada.Subject, ada.Body)
		}

		w.send(t, w.message("Third from Ada", "conversation:1"))
		w.sweep(t, 5*time.Minute)
		if got := w.emails(t); len(got) != 2 {
			t.Fatalf("a second email within 15 minutes: %v", subjects(got))
		}
		w.sweep(t, 10*time.Minute)
		got = w.emails(t)
		if len(got) != 3 || got[2].Subject != "Third from Ada" {
			t.Fatalf("emails %v, want the third message mailed once 15 minutes passed", subjects(got))
		}
	})
}

// Preferences per kind: email off sends no email but still shows the
// notification; in-app off keeps it out of the list and the bell but still
// emails it; both off stores nothing (MSG-2).
func TestPreferences_MSG2(t *testing.T) {
	eachWorld(t, func(t *testing.T, w *world) {
		prefs, err := w.n.Preferences(ctx, w.u.ID)
		if err != nil || len(prefs) != len(notify.Kinds()) || !prefs[0].InApp || !prefs[0].Email {
			t.Fatalf("default preferences %+v %v, want every kind on", prefs, err)
		}
		if _, err := w.n.SetPreferences(ctx, w.u.ID, []notify.Preference{{Kind: notify.KindMessage, InApp: true, Email: false}}); err != nil {
			t.Fatal(err)
		}
		w.send(t, w.message("Only in the app", ""))
		w.sweep(t, 2*time.Minute)
		if got := w.emails(t); len(got) != 0 || len(w.list(t)) != 1 {
			t.Fatalf("email off: emails %v, list %d; want none and 1", subjects(got), len(w.list(t)))
		}

		if _, err := w.n.SetPreferences(ctx, w.u.ID, []notify.Preference{{Kind: notify.KindReaderOnline, InApp: false, Email: true}}); err != nil {
			t.Fatal(err)
		}
		w.send(t, notify.Notification{UserID: w.u.ID, Kind: notify.KindReaderOnline, Title: "Ada is online"})
		w.sweep(t, 2*time.Minute)
		if got := w.emails(t); len(got) != 1 || got[0].Subject != "Ada is online" {
			t.Fatalf("in-app off: emails %v, want the one", subjects(got))
		}
		if n := len(w.list(t)); n != 1 || w.unread(t) != 1 {
			t.Errorf("in-app off: %d listed, want only the earlier one", n)
		}

		if _, err := w.n.SetPreferences(ctx, w.u.ID, []notify.Preference{{Kind: notify.KindMessage}}); err != nil {
			t.Fatal(err)
		}
		w.send(t, w.message("Told nowhere", ""))
		var stored int
		if err := w.s.App.DB.Read().QueryRowContext(ctx, `SELECT count(*) FROM notifications WHERE user_id = $1`, w.u.ID).Scan(&stored); err != nil || stored != 2 {
			t.Errorf("both off: %d notifications stored (%v), want the 2 earlier ones", stored, err)
		}

		for _, bad := range [][]notify.Preference{{{Kind: "gossip"}}, {{Kind: notify.KindMessage}, {Kind: notify.KindMessage}}} {
			if _, err := w.n.SetPreferences(ctx, w.u.ID, bad); apperr.CodeOf(err) != apperr.Invalid {
				t.Errorf("preferences %+v: %v, want invalid", bad, err)
			}
		}
	})
}

var unsubscribeLink = regexp.MustCompile(`/notifications/unsubscribe/(\S+)`)

// The unsubscribe link of an email turns email of that kind off without
// signing in, leaves the in-app choice and other kinds alone, and a link
// that was never sent turns nothing off (MSG-2).
func TestUnsubscribeLink_MSG2(t *testing.T) {
	eachWorld(t, func(t *testing.T, w *world) {
		w.send(t, w.message("Ada wrote", ""))
		w.sweep(t, 2*time.Minute)
		got := w.emails(t)
		if len(got) != 1 {
			t.Fatalf("emails %v, want 1", subjects(got))
		}
		m := unsubscribeLink.FindStringSubmatch(got[0].Body)
		if m == nil {
			t.Fatalf("no unsubscribe link in:\n%s", got[0].Body)
		}
		if _, err := w.n.Unsubscribe(ctx, m[1]+"x"); apperr.CodeOf(err) != apperr.NotFound {
			t.Errorf("a made-up link: %v, want not found", err)
		}
		u, err := w.n.Unsubscribe(ctx, m[1])
		if err != nil || u.UserID != w.u.ID || u.Kind.Kind != notify.KindMessage {
			t.Fatalf("unsubscribe: %+v %v", u, err)
		}
		prefs, _ := w.n.Preferences(ctx, w.u.ID)
		if prefs[0].Email || !prefs[0].InApp || !prefs[1].Email {
			t.Errorf("after unsubscribing from messages: %+v", prefs)
		}
		w.send(t, w.message("Ada wrote again", ""))
		w.sweep(t, time.Hour)
		if got := w.emails(t); len(got) != 1 {
			t.Errorf("emailed after unsubscribing: %v", subjects(got))
		}
	})
}

// Send refuses what no feature should send and shortens long text to one
// short line.
func TestSendChecks(t *testing.T) {
	eachWorld(t, func(t *testing.T, w *world) {
		for name, n := range map[string]notify.Notification{
			"unknown kind":  {UserID: w.u.ID, Kind: "gossip", Title: "x"},
			"no recipient":  {Kind: notify.KindMessage, Title: "x"},
			"no title":      {UserID: w.u.ID, Kind: notify.KindMessage, Title: "  "},
			"outside link":  {UserID: w.u.ID, Kind: notify.KindMessage, Title: "x", URL: "https://example.com/"},
			"protocol link": {UserID: w.u.ID, Kind: notify.KindMessage, Title: "x", URL: "//example.com/"},
		} {
			if err := w.s.App.DB.Tx(ctx, func(tx *db.Tx) error { return w.n.Send(ctx, tx, n) }); err == nil {
				t.Errorf("%s: sent", name)
			}
		}
		w.send(t, notify.Notification{UserID: w.u.ID, Kind: notify.KindMessage, Title: strings.Repeat("a", 500), Body: "line one\n\nline   two " + strings.Repeat("b", 500)})
		it := w.list(t)[0]
		if n := len([]rune(it.Title)); n != notify.MaxTitleLen || !strings.HasSuffix(it.Title, "…") {
			t.Errorf("title of %d characters", n)
		}
		if !strings.HasPrefix(it.Body, "line one line two b") || len([]rune(it.Body)) != notify.MaxBodyLen {
			t.Errorf("body %q", it.Body)
		}
	})
}
