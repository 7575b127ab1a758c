package e2e

import (
	"context"
	"io"
	"testing"

	"github.com/soulseer/soulseer/internal/apptest"
	"github.com/soulseer/soulseer/internal/browsertest"
	"github.com/soulseer/soulseer/internal/config"
	"github.com/soulseer/soulseer/internal/db"
	"github.com/soulseer/soulseer/internal/db/dbtest"
	"github.com/soulseer/soulseer/internal/demo"
)

// Story is one run of a browser story: the app, its data, the browser.
type Story struct {
	T *testing.T           // the test (or engine's subtest) the story runs in
	S *apptest.Server      // the app, on 127.0.0.1, with its database
	B *browsertest.Browser // the browser; each person in the story is a tab
}

// EachEngine runs a browser story on every engine, the engines side by
// side (each with its own app and browser), skipping early (before booting
// the app) when there is no browser.
func EachEngine(t *testing.T, story func(*testing.T, db.Engine)) {
	browsertest.FindChromium(t)
	for _, e := range dbtest.Engines() {
		t.Run(string(e), func(t *testing.T) {
			t.Parallel()
			story(t, e)
		})
	}
}

// Demo starts the app on engine e with the demo data and a browser on
// it. Every login and sign-up of a story comes from 127.0.0.1, so the
// login limit is lifted; edit changes the configuration further. One
// engine's run owns the pictures, so runs do not overwrite each other.
func Demo(t *testing.T, e db.Engine, edit ...func(*config.Config)) *Story {
	t.Helper()
	return DemoWith(t, e, apptest.WithConfig(func(c *config.Config) {
		for _, f := range edit {
			f(c)
		}
	}))
}

// DemoWith is Demo with options for the app, such as
// apptest.WithManualSweeps() for a story that must be the only one to run
// the periodic work (payouts, billing).
func DemoWith(t *testing.T, e db.Engine, opts ...apptest.Option) *Story {
	t.Helper()
	s := apptest.Start(t, e, append([]apptest.Option{apptest.WithConfig(func(c *config.Config) { c.AuthRateLimit = 1000 })}, opts...)...)
	if err := demo.Load(context.Background(), s.App, io.Discard); err != nil {
		t.Fatalf("load demo data: %v", err)
	}
	b := browsertest.New(t, s.URL)
	b.Screenshots = b.Screenshots && e == db.SQLite
	return &Story{T: t, S: s, B: b}
}
