package reading_test

import (
	"testing"
	"time"

	"github.com/soulseer/soulseer/internal/apperr"
	"github.com/soulseer/soulseer/internal/ledger"
	"github.com/soulseer/soulseer/internal/reading"
)

// WAL-11: a reading pauses at the client's per-reading cap, for that
// reason, though the wallet could pay on; paused time is not billed, it
// neither resumes by itself nor by Resume, and either party may end it.
func TestSpendingLimitPausesReading_WAL11(t *testing.T) {
	eachWorld(t, func(t *testing.T, w *world) {
		w.fund(t, 1000)
		per := int64(250)
		if _, err := w.s.App.Limits.SetCaps(w.ctx, w.client.ID, &per, nil, nil); err != nil {
			t.Fatal(err)
		}
		r := w.start(t) // minute 1 charged
		w.clk.Set(t0.Add(period + time.Second))
		w.sweep(t) // minute 2: 2.00 of 2.50
		w.clk.Set(t0.Add(2*period + time.Second))
		w.sweep(t) // minute 3 would pass the cap → paused at 2:00
		r = w.get(t, r.ID)
		if r.State != reading.Paused || r.PauseReason != reading.PauseSpendingLimit || r.BilledMinutes != 2 {
			t.Fatalf("reading = %s/%s billed %d; want paused at the spending limit after 2", r.State, r.PauseReason, r.BilledMinutes)
		}
		w.clk.Advance(10 * period)
		w.sweep(t)
		if r = w.get(t, r.ID); r.State != reading.Paused || w.charges(t, r.ID) != 2 {
			t.Fatalf("after 10 paused minutes: %s with %d charges", r.State, w.charges(t, r.ID))
		}
		if _, err := w.s.App.Readings.Resume(w.ctx, w.client, r.ID); apperr.CodeOf(err) != apperr.Conflict {
			t.Fatalf("resume at the limit: %v", err)
		}
		r, err := w.s.App.Readings.End(w.ctx, w.client, r.ID)
		if err != nil || r.BilledMinutes != 2 || w.balance(t, ledger.Wallet(w.client.ID)) != 1000-2*r.RateCents {
			t.Fatalf("ended: %v billed %d", err, r.BilledMinutes)
		}
		w.verify(t)
	})
}
