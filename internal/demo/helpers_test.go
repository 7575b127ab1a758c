package demo_test

import (
	"context"
	"io"
	"testing"

	"github.com/soulseer/soulseer/internal/apptest"
	"github.com/soulseer/soulseer/internal/db/dbtest"
	"github.com/soulseer/soulseer/internal/demo"
)

var ctx = context.Background()

// eachLoaded runs f side by side on every engine, against an app (its
// sweeps run only when asked) into which the demo was loaded twice, so
// that f also proves loading again adds nothing.
func eachLoaded(t *testing.T, f func(t *testing.T, s *apptest.Server)) {
	for _, e := range dbtest.Engines() {
		t.Run(string(e), func(t *testing.T) {
			t.Parallel()
			s := apptest.Start(t, e, apptest.WithManualSweeps())
			for range 2 {
				if err := demo.Load(ctx, s.App, io.Discard); err != nil {
					t.Fatal(err)
				}
			}
			f(t, s)
		})
	}
}
