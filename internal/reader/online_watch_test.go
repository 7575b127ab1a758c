package reader_test

import (
	"encoding/json"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/soulseer/soulseer/internal/account"
	"github.com/soulseer/soulseer/internal/apperr"
	"github.com/soulseer/soulseer/internal/apptest"
	"github.com/soulseer/soulseer/internal/clock"
	"github.com/soulseer/soulseer/internal/config"
	"github.com/soulseer/soulseer/internal/db"
	"github.com/soulseer/soulseer/internal/db/dbtest"
	"github.com/soulseer/soulseer/internal/notify"
	"github.com/soulseer/soulseer/internal/reader"
	"github.com/soulseer/soulseer/internal/realtime"
)

// watchWorld is an app with a verified reader who chose to be online but
// holds no live connection yet, so shows offline.
type watchWorld struct {
	s      *apptest.Server
	reader account.User
}

func newWatchWorld(t *testing.T, s *apptest.Server) *watchWorld {
	t.Helper()
	w := &watchWorld{s: s, reader: s.CreateUser("luna@example.com", account.RoleReader)}
	admin := s.CreateUser("admin@example.com", account.RoleAdmin)
	price := int64(100)
	r := s.App.Readers
	if _, err := r.UpdateProfile(ctx, w.reader.ID, reader.ProfileInput{DisplayName: "Luna", Rates: reader.RatesInput{Text: &price}}); err != nil {
		t.Fatal(err)
	}
	if _, err := r.SetVerified(ctx, admin, w.reader.ID, true); err != nil {
		t.Fatal(err)
	}
	if _, err := r.SetStatus(ctx, w.reader.ID, reader.Online); err != nil {
		t.Fatal(err)
	}
	if p, err := r.Get(ctx, admin, w.reader.ID); err != nil || p.Status != reader.Offline {
		t.Fatalf("reader without a connection is %s (%v), want offline", p.Status, err)
	}
	return w
}

// told returns the reader-online notifications client has.
func told(t *testing.T, s *apptest.Server, client account.User) []notify.Item {
	t.Helper()
	items, err := s.App.Notify.List(ctx, client.ID, notify.ListFilter{})
	if err != nil {
		t.Fatal(err)
	}
	var out []notify.Item
	for _, it := range items {
		if it.Kind == notify.KindReaderOnline {
			out = append(out, it)
		}
	}
	return out
}

func watching(t *testing.T, s *apptest.Server, client account.User, readerID int64) bool {
	t.Helper()
	on, err := s.App.Readers.WatchingOnline(ctx, client.ID, readerID)
	if err != nil {
		t.Fatal(err)
	}
	return on
}

// A client who asks is told once, in the app and by email while away, when
// the reader comes online — by connecting or by choosing online while
// connected — and the request is used up (RDR-7).
func TestNotifyWhenOnline_RDR7(t *testing.T) {
	for _, e := range dbtest.Engines() {
		t.Run(string(e), func(t *testing.T) {
			t.Parallel()
			clk := clock.NewFake(t0)
			s := apptest.Start(t, e, apptest.WithClock(clk), apptest.WithConfig(func(c *config.Config) { c.PresenceTimeout = 24 * time.Hour }))
			w := newWatchWorld(t, s)
			client := s.CreateUser("client@example.com", account.RoleClient)
			if err := s.App.Readers.WatchOnline(ctx, client, w.reader.ID); err != nil {
				t.Fatal(err)
			}
			if err := s.App.Readers.WatchOnline(ctx, client, w.reader.ID); err != nil {
				t.Fatalf("asking twice: %v", err)
			}
			if got := told(t, s, client); len(got) != 0 || !watching(t, s, client, w.reader.ID) {
				t.Fatalf("told %d times before the reader came online", len(got))
			}

			release := s.App.Presence.Connect(ctx, w.reader.ID, 0)
			got := told(t, s, client)
			if len(got) != 1 || got[0].Title != "Luna is online now" || got[0].URL != "/readers/"+strconv.FormatInt(w.reader.ID, 10) {
				t.Fatalf("after the reader connected: %+v, want one notification", got)
			}
			if watching(t, s, client, w.reader.ID) {
				t.Error("the request was not used up")
			}
			s.App.Presence.Connect(ctx, w.reader.ID, 0)() // a second page
			if n := len(told(t, s, client)); n != 1 {
				t.Errorf("told %d times, want once", n)
			}
			clk.Advance(2 * time.Minute)
			if _, err := s.App.Notify.SendDueEmails(ctx); err != nil {
				t.Fatal(err)
			}
			if mails, _ := s.App.Mail.Recent(ctx, client.Email, 10); len(mails) != 1 || mails[0].Subject != "Luna is online now" {
				t.Errorf("emails to the client away: %+v, want one", mails)
			}

			// Connected but chose offline: told when choosing online.
			if _, err := s.App.Readers.SetStatus(ctx, w.reader.ID, reader.Offline); err != nil {
				t.Fatal(err)
			}
			if err := s.App.Readers.WatchOnline(ctx, client, w.reader.ID); err != nil {
				t.Fatal(err)
			}
			s.App.Presence.Connect(ctx, w.reader.ID, 0)()
			if n := len(told(t, s, client)); n != 1 {
				t.Fatalf("told while the reader chose offline: %d", n)
			}
			if _, err := s.App.Readers.SetStatus(ctx, w.reader.ID, reader.Online); err != nil {
				t.Fatal(err)
			}
			if n := len(told(t, s, client)); n != 2 || watching(t, s, client, w.reader.ID) {
				t.Errorf("after choosing online: told %d times, want 2", n)
			}
			release()
		})
	}
}

// Only clients ask, about readers they may see and have not blocked or
// been blocked by; withdrawing a request means not being told.
func TestNotifyWhenOnlineRules_RDR7(t *testing.T) {
	for _, e := range dbtest.Engines() {
		t.Run(string(e), func(t *testing.T) {
			t.Parallel()
			s := apptest.Start(t, e)
			w := newWatchWorld(t, s)
			client := s.CreateUser("client@example.com", account.RoleClient)
			other := s.CreateUser("other@example.com", account.RoleReader)
			if err := s.App.Readers.WatchOnline(ctx, other, w.reader.ID); apperr.CodeOf(err) != apperr.Forbidden {
				t.Errorf("a reader asks: %v, want forbidden", err)
			}
			if err := s.App.Readers.WatchOnline(ctx, client, 999999); apperr.CodeOf(err) != apperr.NotFound {
				t.Errorf("asking about nobody: %v, want not found", err)
			}
			if _, err := s.App.Blocks.Block(ctx, w.reader, client.ID); err != nil {
				t.Fatal(err)
			}
			if err := s.App.Readers.WatchOnline(ctx, client, w.reader.ID); apperr.MessageOf(err) != "This reader is not available." {
				t.Errorf("asking about a reader who blocked the client: %v", err)
			}
			if err := s.App.Blocks.Unblock(ctx, w.reader, client.ID); err != nil {
				t.Fatal(err)
			}
			if err := s.App.Readers.WatchOnline(ctx, client, w.reader.ID); err != nil {
				t.Fatal(err)
			}
			if err := s.App.Readers.UnwatchOnline(ctx, client.ID, w.reader.ID); err != nil {
				t.Fatal(err)
			}
			s.App.Presence.Connect(ctx, w.reader.ID, 0)()
			if n := len(told(t, s, client)); n != 0 {
				t.Errorf("told %d times after withdrawing", n)
			}
		})
	}
}

// With two instances on one PostgreSQL database, a client asking on one is
// told live there when the reader connects to the other; and when the
// reader connects to both at once, each waiting client is told exactly once
// (RDR-7).
func TestNotifyWhenOnlineAcrossInstances_RDR7(t *testing.T) {
	a := apptest.Start(t, db.Postgres)
	b := apptest.Start(t, db.Postgres, apptest.SharingDatabase(a))
	w := newWatchWorld(t, a)
	first := a.CreateUser("first@example.com", account.RoleClient)
	if err := a.App.Readers.WatchOnline(ctx, first, w.reader.ID); err != nil {
		t.Fatal(err)
	}
	sub := a.App.Hub.Subscribe(realtime.UserTopic(first.ID))
	defer sub.Close()
	release := b.App.Presence.Connect(ctx, w.reader.ID, 0)
	select {
	case m := <-sub.C():
		var ev notify.NewEvent
		if m.Type != "notification.new" || json.Unmarshal(m.Data, &ev) != nil || ev.Notification.Kind != notify.KindReaderOnline {
			t.Fatalf("live event %s %s, want the reader-online notification", m.Type, m.Data)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("the client on one instance was not told live when the reader connected to the other")
	}
	release() // the reader goes offline again

	var clients []account.User
	for _, email := range []string{"c1@example.com", "c2@example.com", "c3@example.com"} {
		c := a.CreateUser(email, account.RoleClient)
		if err := b.App.Readers.WatchOnline(ctx, c, w.reader.ID); err != nil {
			t.Fatal(err)
		}
		clients = append(clients, c)
	}
	var wg sync.WaitGroup
	for range 4 {
		for _, s := range []*apptest.Server{a, b} {
			wg.Add(1)
			go func() {
				defer wg.Done()
				t.Cleanup(s.App.Presence.Connect(ctx, w.reader.ID, 0))
			}()
		}
	}
	wg.Wait()
	for _, c := range append(clients, first) {
		if n := len(told(t, a, c)); n != 1 {
			t.Errorf("%s told %d times, want once", c.Email, n)
		}
	}
}
