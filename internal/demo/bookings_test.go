package demo_test

import (
	"io"
	"testing"
	"time"

	"github.com/soulseer/soulseer/internal/apptest"
	"github.com/soulseer/soulseer/internal/demo"
	"github.com/soulseer/soulseer/internal/ledger"
	"github.com/soulseer/soulseer/internal/schedule"
)

// SCH-4, SCH-6, SCH-7: after loading the demo (twice, adding nothing the
// second time) the demo client has three bookings with Luna, made and
// paid like any other: a chat reading at the next quarter hour at least 5
// minutes away, whose room opens within minutes; a video reading a week
// or more ahead; and a past voice reading both joined, fulfilled. The
// client was credited exactly their prices, the two to come wait in
// escrow, and the ledger balances. Loaded into a server whose sweeps run,
// the demo loads as well.
func TestDemoBookings_SCH6(t *testing.T) {
	eachLoaded(t, func(t *testing.T, s *apptest.Server) {
		now := s.App.Clock.Now()
		client, err := s.App.Accounts.GetByEmail(ctx, demo.ClientEmail)
		if err != nil {
			t.Fatal(err)
		}
		upcoming, err := s.App.Schedule.Bookings(ctx, client.ID, "upcoming")
		if err != nil || len(upcoming) != 2 {
			t.Fatalf("the demo client's upcoming bookings: %+v %v, want two", upcoming, err)
		}
		soon, later := upcoming[0], upcoming[1]
		if d := soon.StartsAt.Sub(now); d < 5*time.Minute || d > 20*time.Minute || soon.StartsAt.Unix()%(15*60) != 0 || soon.Modality != "text" {
			t.Errorf("the soon booking starts at %v (now %v) for %s; want a chat at a quarter hour 5 to 20 minutes on", soon.StartsAt, now, soon.Modality)
		}
		if soon.Room(soon.StartsAt.Add(-schedule.RoomOpensBefore)) != schedule.RoomOpen || soon.RoomOpensAt().Sub(now) > 10*time.Minute {
			t.Errorf("the soon booking's room opens at %v", soon.RoomOpensAt())
		}
		if later.StartsAt.Before(now.AddDate(0, 0, 7)) || later.Modality != "video" {
			t.Errorf("the later booking starts at %v for %s; want a video reading a week or more on", later.StartsAt, later.Modality)
		}
		past, err := s.App.Schedule.Bookings(ctx, client.ID, "past")
		if err != nil || len(past) != 1 {
			t.Fatalf("the demo client's past bookings: %+v %v, want one", past, err)
		}
		if p := past[0]; p.State != schedule.Fulfilled || p.ReaderJoinedAt == nil || p.ClientJoinedAt == nil || !p.EndsAt.Before(now) {
			t.Errorf("the past booking %+v, want fulfilled with both present", p)
		}
		for _, b := range append(upcoming, past...) {
			if b.ReaderName != "Luna Starweaver" || b.PriceCents <= 0 {
				t.Errorf("booking %+v, want Luna's and paid", b)
			}
		}
		balance := func(r ledger.Ref) int64 {
			t.Helper()
			b, err := s.App.Ledger.Balance(ctx, s.App.DB.Read(), r)
			if err != nil {
				t.Fatal(err)
			}
			return b
		}
		if got := balance(ledger.Wallet(client.ID)); got != 0 {
			t.Errorf("the client's wallet holds %d after the bookings, want the demo money spent", got)
		}
		if got, want := balance(ledger.Escrow()), soon.PriceCents+later.PriceCents; got != want {
			t.Errorf("escrow holds %d, want the two upcoming prices, %d", got, want)
		}
		if rep, err := ledger.Verify(ctx, s.App.DB); err != nil || len(rep.Problems) > 0 {
			t.Fatalf("ledger verify: %v %v", err, rep.Problems)
		}

		running := apptest.Start(t, s.App.DB.Engine)
		if err := demo.Load(ctx, running.App, io.Discard); err != nil {
			t.Fatalf("load the demo into a running server: %v", err)
		}
		runningClient, err := running.App.Accounts.GetByEmail(ctx, demo.ClientEmail)
		if err != nil {
			t.Fatal(err)
		}
		if list, err := running.App.Schedule.Bookings(ctx, runningClient.ID, "upcoming"); err != nil || len(list) != 2 {
			t.Fatalf("in a running server the demo client's upcoming bookings: %+v %v", list, err)
		}
	})
}
