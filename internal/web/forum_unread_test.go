package web_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/soulseer/soulseer/internal/apptest"
	"github.com/soulseer/soulseer/internal/forum"
)

// COM-2 (unread markers): a category's page marks a thread the signed-in
// visitor never opened New; opening it reads it; a reply written since
// shows as "1 new"; visitors who are not signed in see no markers.
func TestForumUnreadMarkers_COM2(t *testing.T) {
	eachApp(t, func(t *testing.T, s *apptest.Server) {
		w := newWorld(t, s)
		c := w.generalCategory(t)
		th, err := s.App.Forum.CreateThread(ctx, w.reader, c.Slug, forum.ThreadInput{Title: "Moon water", Body: "Full moon tonight"})
		if err != nil {
			t.Fatal(err)
		}
		marker := func(who string) string {
			t.Helper()
			res := w.as[who].Do("GET", "/forum/c/"+c.Slug, nil)
			if res.Status != http.StatusOK {
				t.Fatalf("%s: the category: %d", who, res.Status)
			}
			body := string(res.Body)
			i := strings.Index(body, `data-unread>`)
			if i < 0 {
				return ""
			}
			return body[i+len(`data-unread>`) : i+strings.Index(body[i:], "</span>")]
		}
		if m := marker("client"); m != "New" {
			t.Errorf("never opened: %q", m)
		}
		if m := marker("reader"); m != "" {
			t.Errorf("to its author: %q", m)
		}
		if m := marker("anon"); m != "" {
			t.Errorf("signed out: %q", m)
		}
		if res := w.as["client"].Do("GET", "/forum/t/"+id(th.ID), nil); res.Status != http.StatusOK {
			t.Fatalf("the thread: %d", res.Status)
		}
		if m := marker("client"); m != "" {
			t.Errorf("after reading it: %q", m)
		}
		if _, err := s.App.Forum.Reply(ctx, w.reader, th.ID, "Bring a jar."); err != nil {
			t.Fatal(err)
		}
		if m := marker("client"); m != "1 new" {
			t.Errorf("after a reply: %q", m)
		}
	})
}
