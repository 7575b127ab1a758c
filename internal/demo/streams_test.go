package demo_test

import (
	"io"
	"testing"
	"time"

	"github.com/soulseer/soulseer/internal/apperr"
	"github.com/soulseer/soulseer/internal/apptest"
	"github.com/soulseer/soulseer/internal/clock"
	"github.com/soulseer/soulseer/internal/db/dbtest"
	"github.com/soulseer/soulseer/internal/demo"
	"github.com/soulseer/soulseer/internal/live"
)

// LIV-1, LIV-3, LIV-5, LIV-8, LIV-9: after loading the demo twice, Selene
// is live with one public stream and Mystic Rosa with a premium one,
// listed to the demo client under "Live now"; the client may watch
// Selene's and is asked for a ticket to Rosa's, and moderates Selene's
// streams; Orion has one past stream with the demo client's two gifts,
// paid like any other.
func TestDemoStreams_LIV1(t *testing.T) {
	eachLoaded(t, func(t *testing.T, s *apptest.Server) {
		client, err := s.App.Accounts.GetByEmail(ctx, demo.ClientEmail)
		if err != nil {
			t.Fatal(err)
		}
		now, err := s.App.Live.LiveNow(ctx, client)
		if err != nil || len(now) != 2 {
			t.Fatalf("live now: %+v %v, want Selene's and Rosa's streams", now, err)
		}
		byReader := map[string]live.Stream{}
		for _, st := range now {
			byReader[st.ReaderName] = st
		}
		selene, rosa := byReader["Selene Moonrise"], byReader["Mystic Rosa"]
		if selene.Visibility != live.Public || rosa.Visibility != live.Premium || rosa.TicketPriceCents != 5_00 {
			t.Fatalf("live now: %+v, want Selene's public stream and Rosa's premium one at $5.00", now)
		}
		if _, err := s.App.Live.Watch(ctx, client, selene.ID); err != nil {
			t.Fatalf("the client watching Selene's stream: %v", err)
		}
		if _, err := s.App.Live.Watch(ctx, client, rosa.ID); apperr.CodeOf(err) != apperr.PaymentRequired {
			t.Fatalf("the client watching Rosa's premium stream: %v, want a ticket asked for", err)
		}
		mods, err := s.App.Live.Moderators(ctx, selene.ReaderID)
		if err != nil || len(mods) != 1 || mods[0].UserID != client.ID {
			t.Fatalf("Selene's moderators: %+v %v, want the demo client", mods, err)
		}
		orion, err := s.App.Accounts.GetByEmail(ctx, "orion@soulseer.demo")
		if err != nil {
			t.Fatal(err)
		}
		past, err := s.App.Live.PastStreams(ctx, client, orion.ID)
		if err != nil || len(past) != 1 || past[0].EndedAt == nil || !past[0].StartedAt.Before(s.App.Clock.Now().Add(-24*time.Hour)) {
			t.Fatalf("Orion's past streams: %+v %v, want one, two days ago", past, err)
		}
		top, err := s.App.Live.TopGifters(ctx, past[0].ID)
		if err != nil || len(top) != 1 || top[0].UserID != client.ID || top[0].Gifts != 2 {
			t.Fatalf("the past stream's gifters: %+v %v, want the client's two gifts", top, err)
		}
	})
}

// LIV-2: the demo's live stream stays live while the site plays its
// persona — the persona worker keeps Selene seen as an open page would —
// and a sweep long after the grace leaves it; once the personas stop, it
// ends by itself like any stream whose reader has gone.
func TestDemoLiveStreamStays_LIV2(t *testing.T) {
	for _, e := range dbtest.Engines() {
		t.Run(string(e), func(t *testing.T) {
			t.Parallel()
			clk := clock.NewFake(time.Now().UTC())
			s := apptest.Start(t, e, apptest.WithClock(clk), apptest.WithManualSweeps())
			if err := demo.Load(ctx, s.App, io.Discard); err != nil {
				t.Fatal(err)
			}
			for range 3 {
				clk.Advance(10 * time.Minute)
				if err := s.App.Personas.Step(ctx); err != nil {
					t.Fatal(err)
				}
				if n, err := s.App.Live.Sweep(ctx); err != nil || n != 0 {
					t.Fatalf("a sweep while the persona plays ended %d streams (%v)", n, err)
				}
			}
			clk.Advance(time.Hour)
			if n, err := s.App.Live.Sweep(ctx); err != nil || n != 2 {
				t.Fatalf("a sweep after the personas stopped ended %d streams (%v), want Selene's and Rosa's", n, err)
			}
		})
	}
}
