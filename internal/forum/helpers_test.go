package forum_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/soulseer/soulseer/internal/account"
	"github.com/soulseer/soulseer/internal/apperr"
	"github.com/soulseer/soulseer/internal/apptest"
	"github.com/soulseer/soulseer/internal/audit"
	"github.com/soulseer/soulseer/internal/clock"
	"github.com/soulseer/soulseer/internal/db/dbtest"
	"github.com/soulseer/soulseer/internal/forum"
)

var ctx = context.Background()

// world is an app on a fake clock with an admin, a reader and two clients.
type world struct {
	s                    *apptest.Server
	clk                  *clock.Fake
	forum                *forum.Service
	admin, reader        account.User
	client, other        account.User
	general, readersOnly forum.Category
}

func eachWorld(t *testing.T, f func(t *testing.T, w *world)) {
	for _, e := range dbtest.Engines() {
		t.Run(string(e), func(t *testing.T) {
			t.Parallel()
			clk := clock.NewFake(time.Date(2027, 2, 1, 12, 0, 0, 0, time.UTC))
			s := apptest.Start(t, e, apptest.WithClock(clk), apptest.WithManualSweeps())
			w := &world{s: s, clk: clk, forum: s.App.Forum}
			w.admin = s.CreateUser("admin@example.com", account.RoleAdmin)
			w.reader = s.CreateUser("luna@example.com", account.RoleReader)
			w.client = s.CreateUser("cleo@example.com", account.RoleClient)
			w.other = s.CreateUser("max@example.com", account.RoleClient)
			var err error
			if w.general, err = w.forum.CreateCategory(ctx, w.admin, forum.CategoryInput{Name: "General talk", Description: "Anything."}); err != nil {
				t.Fatal(err)
			}
			if w.readersOnly, err = w.forum.CreateCategory(ctx, w.admin, forum.CategoryInput{Name: "Reader lounge", ReadersOnly: true, SortOrder: 1}); err != nil {
				t.Fatal(err)
			}
			f(t, w)
		})
	}
}

// thread starts a thread in General talk by u.
func (w *world) thread(t *testing.T, u account.User, title, body string) forum.Thread {
	t.Helper()
	th, err := w.forum.CreateThread(ctx, u, w.general.Slug, forum.ThreadInput{Title: title, Body: body})
	if err != nil {
		t.Fatal(err)
	}
	return th
}

// audited returns the audit entries of action.
func (w *world) audited(t *testing.T, action string) []audit.Entry {
	t.Helper()
	es, err := audit.List(ctx, w.s.App.DB.Read(), audit.Filter{Action: action})
	if err != nil {
		t.Fatal(err)
	}
	return es
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
