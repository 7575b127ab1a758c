package web_test

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/soulseer/soulseer/internal/apptest"
	"github.com/soulseer/soulseer/internal/clock"
	"github.com/soulseer/soulseer/internal/notify"
)

// unsubscribeLink finds the unsubscribe link of an email.
var unsubscribeLink = regexp.MustCompile(`/notifications/unsubscribe/[A-Za-z0-9]+`)

// MSG-2: the unsubscribe link of a notification email works without
// signing in: following it only asks, confirming turns email of that kind
// off and leaves the in-app choice, confirming again is harmless, and a
// made-up link is a 404 page.
func TestUnsubscribeLink_MSG2(t *testing.T) {
	clk := clock.NewFake(time.Now())
	eachApp(t, func(t *testing.T, s *apptest.Server) {
		w := newWorld(t, s)
		tell(t, s, w.client, notify.KindMessage, "Luna wrote", 1)
		clk.Advance(notify.DefaultEmailDelay + time.Second)
		if _, err := s.App.Notify.SendDueEmails(ctx); err != nil {
			t.Fatal(err)
		}
		mails, err := s.App.Mail.Recent(ctx, w.client.Email, 10)
		if err != nil || len(mails) != 1 {
			t.Fatalf("%d emails to the client (%v)", len(mails), err)
		}
		link := unsubscribeLink.FindString(mails[0].Body)
		if link == "" {
			t.Fatalf("no unsubscribe link in %q", mails[0].Body)
		}
		emailOn := func() bool {
			t.Helper()
			ps, err := s.App.Notify.Preferences(ctx, w.client.ID)
			if err != nil {
				t.Fatal(err)
			}
			for _, p := range ps {
				if p.Kind == notify.KindMessage {
					if !p.InApp {
						t.Fatal("the in-app choice changed")
					}
					return p.Email
				}
			}
			t.Fatal("no preference for messages")
			return false
		}
		anon := s.Client()
		res := anon.Do("GET", link, nil)
		if res.Status != http.StatusOK || !strings.Contains(string(res.Body), "Stop these emails?") || !strings.Contains(string(res.Body), "New messages") {
			t.Fatalf("open the link: %d %s", res.Status, res.Body)
		}
		if !emailOn() {
			t.Fatal("following the link turned email off")
		}
		for range 2 {
			res := anon.Form(link, url.Values{})
			if res.Status != http.StatusOK || !strings.Contains(string(res.Body), "Emails stopped") {
				t.Fatalf("confirm: %d %s", res.Status, res.Body)
			}
			if emailOn() {
				t.Fatal("email of messages is still on")
			}
		}
		if res := anon.Do("GET", "/notifications/unsubscribe/NOTATOKEN", nil); res.Status != http.StatusNotFound {
			t.Fatalf("made-up link: %d", res.Status)
		}
	}, apptest.WithClock(clk))
}

// MSG-2: the list's forms mark one notification read and open its link,
// or refuse a bad id with a message on the list; a link off the site is
// never followed.
func TestNotificationReadForm_MSG2(t *testing.T) {
	eachApp(t, func(t *testing.T, s *apptest.Server) {
		w := newWorld(t, s)
		tell(t, s, w.client, notify.KindMessage, "Note", 2)
		c, _ := w.login(t, w.client.Email)
		list, err := s.App.Notify.List(ctx, w.client.ID, notify.ListFilter{})
		if err != nil || len(list) != 2 {
			t.Fatalf("list: %v %v", list, err)
		}
		id := func(i int) string { return id(list[i].ID) }
		res := c.Form("/notifications/read", url.Values{"id": {id(0)}, "next": {"/messages"}})
		if res.Status != http.StatusSeeOther || res.Header.Get("Location") != "/messages" {
			t.Fatalf("open: %d %s", res.Status, res.Header.Get("Location"))
		}
		if n, _ := s.App.Notify.Unread(ctx, w.client.ID); n != 1 {
			t.Fatalf("unread = %d after opening one", n)
		}
		res = c.Form("/notifications/read", url.Values{"id": {id(1)}, "next": {"//evil.example/x"}})
		if res.Status != http.StatusSeeOther || res.Header.Get("Location") != "/notifications" {
			t.Fatalf("off-site next: %d %s", res.Status, res.Header.Get("Location"))
		}
		tell(t, s, w.client, notify.KindMessage, "Later", 1)
		before := fingerprint(t, s)
		res = c.Form("/notifications/read", url.Values{"id": {"abc"}})
		if res.Status != http.StatusSeeOther || res.Header.Get("Location") != "/notifications" || fingerprint(t, s) != before {
			t.Fatalf("bad id: %d %s", res.Status, res.Header.Get("Location"))
		}
		page := c.Do("GET", "/notifications", nil)
		if page.Status != http.StatusOK || !strings.Contains(string(page.Body), "Use the ids of your notifications.") || !strings.Contains(string(page.Body), "1 unread") {
			t.Fatalf("list after a refused form: %d %s", page.Status, page.Body)
		}
		if res := c.Do("GET", "/notifications?limit=x", nil); res.Status != http.StatusBadRequest || !strings.Contains(string(res.Body), "Use a number from 1 to 100.") {
			t.Fatalf("bad paging: %d", res.Status)
		}
	})
}
