package live_test

import (
	"testing"
	"time"

	"github.com/soulseer/soulseer/internal/db"
)

// LIV-7: each instance keeps its viewers in the database with a
// heartbeat. Another instance's viewers count until it has not been heard
// from for the presence timeout; the next sync then drops them and
// recounts. An instance that finds itself dropped (it was away that long)
// writes its viewers again.
func TestViewersOfStoppedInstances(t *testing.T) {
	eachWorld(t, func(t *testing.T, w *world) {
		st := w.public(t)
		exec := func(q string, args ...any) {
			t.Helper()
			if _, err := w.s.App.DB.Writer.ExecContext(ctx, q, args...); err != nil {
				t.Fatal(err)
			}
		}
		sync := func(wantCount int) {
			t.Helper()
			if err := w.live.SyncViewers(ctx); err != nil {
				t.Fatal(err)
			}
			if got, err := w.live.Get(ctx, st.ID); err != nil || got.ViewerCount != wantCount {
				t.Fatalf("viewer count %d (%v), want %d", got.ViewerCount, err, wantCount)
			}
		}
		defer w.live.Watching(st.ID, w.client.ID)()
		sync(1)
		// Another instance, heard from now, with Pat watching through it.
		exec(`INSERT INTO live_instances (id, seen_at) VALUES ('other', $1)`, db.Millis(w.clk.Now()))
		exec(`INSERT INTO stream_viewers (stream_id, user_id, instance_id) VALUES ($1, $2, 'other')`, st.ID, w.pauper.ID)
		defer w.live.Watching(st.ID, w.admin.ID)()
		sync(3)
		w.clk.Advance(w.live.Config.PresenceTimeout + time.Second)
		sync(2)
		if v, err := w.live.Viewers(ctx, w.reader, st.ID); err != nil || len(v) != 2 || v[0].UserID == w.pauper.ID || v[1].UserID == w.pauper.ID {
			t.Fatalf("viewers after the other instance stopped: %+v %v", v, err)
		}
		// Dropped by another instance: this one writes its viewers again.
		exec(`DELETE FROM live_instances`)
		if n := w.count(t, `SELECT COUNT(*) FROM stream_viewers WHERE stream_id = $1`, st.ID); n != 0 {
			t.Fatalf("%d viewers left with their instance gone", n)
		}
		w.clk.Advance(w.live.Config.PresenceTimeout / 2)
		sync(2)
		if n := w.count(t, `SELECT COUNT(*) FROM stream_viewers WHERE stream_id = $1`, st.ID); n != 2 {
			t.Fatalf("%d viewers written again, want 2", n)
		}
	})
}
