package web_test

import (
	"testing"
	"time"

	"github.com/soulseer/soulseer/internal/apptest"
	"github.com/soulseer/soulseer/internal/clock"
	"github.com/soulseer/soulseer/internal/db/dbtest"
)

// LIV-2: a stream whose reader stays gone past the grace ends by itself,
// and then, as when its reader or an admin ends it, each viewer's
// connection is closed after stream.ended with the reason, and connecting
// again is refused with it.
func TestStreamGoneClosesConnections_LIV2(t *testing.T) {
	t.Parallel()
	for _, e := range dbtest.Engines() {
		t.Run(string(e), func(t *testing.T) {
			t.Parallel()
			clk := clock.NewFake(time.Now().UTC())
			s := apptest.Start(t, e, roomyLimits(), apptest.WithClock(clk), apptest.WithManualSweeps())
			w := newWorld(t, s)
			st, err := s.App.Live.Start(ctx, w.reader, liveInput("Gone quiet", "public"))
			if err != nil {
				t.Fatal(err)
			}
			viewer := watchDial(t, s, w.as["client"].Token, st.ID)
			viewer.until(t, "stream.state", `"state":"live"`)
			clk.Advance(s.App.Config.PresenceTimeout + s.App.Config.ReadingGrace + time.Minute)
			if n, err := s.App.Live.Sweep(ctx); err != nil || n != 1 {
				t.Fatalf("sweep ended %d streams (%v), want 1", n, err)
			}
			viewer.until(t, "stream.ended", `"reason":"gone"`)
			viewer.closed(t, "ended")
			again := watchDial(t, s, w.as["client"].Token, st.ID)
			again.until(t, "stream.refused", "ended")
			again.closed(t, "ended")
		})
	}
}
