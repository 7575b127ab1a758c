package demo_test

import (
	"testing"

	"github.com/soulseer/soulseer/internal/apptest"
	"github.com/soulseer/soulseer/internal/demo"
	"github.com/soulseer/soulseer/internal/notify"
)

// MSG-2 RDR-7: after the demo the client's bell shows unread notifications
// — Luna's answers and Selene coming online — and the client waits to be
// told when Sage comes online; loading the demo again adds nothing.
func TestDemoNotifications_MSG2(t *testing.T) {
	eachLoaded(t, func(t *testing.T, s *apptest.Server) {
		client, err := s.App.Accounts.GetByEmail(ctx, demo.ClientEmail)
		if err != nil {
			t.Fatal(err)
		}
		list, err := s.App.Notify.List(ctx, client.ID, notify.ListFilter{})
		if err != nil {
			t.Fatal(err)
		}
		kinds := map[notify.Kind]int{}
		for _, n := range list {
			if n.Read {
				t.Errorf("%q is read", n.Title)
			}
			kinds[n.Kind]++
		}
		if kinds[notify.KindReaderOnline] != 1 || kinds[notify.KindMessage] < 1 {
			t.Fatalf("the demo client's notifications by kind: %v", kinds)
		}
		if list[0].Title != "Selene Moonrise is online now" {
			t.Errorf("newest notification %q", list[0].Title)
		}
		sage, err := s.App.Accounts.GetByEmail(ctx, "sage@soulseer.demo")
		if err != nil {
			t.Fatal(err)
		}
		if watching, err := s.App.Readers.WatchingOnline(ctx, client.ID, sage.ID); err != nil || !watching {
			t.Fatalf("the client does not wait for Sage (%v, %v)", watching, err)
		}
	})
}
