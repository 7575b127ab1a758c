package demo_test

import (
	"testing"

	"github.com/soulseer/soulseer/internal/apptest"
	"github.com/soulseer/soulseer/internal/demo"
	"github.com/soulseer/soulseer/internal/live"
)

// LIV-3: after loading the demo twice, Luna and Orion offer monthly
// subscriptions and the demo client holds one active subscription, to
// Luna, paid once; Luna counts one subscriber.
func TestDemoSubscriptions_LIV3(t *testing.T) {
	eachLoaded(t, func(t *testing.T, s *apptest.Server) {
		client, err := s.App.Accounts.GetByEmail(ctx, demo.ClientEmail)
		if err != nil {
			t.Fatal(err)
		}
		subs, err := s.App.Live.Subscriptions(ctx, client.ID)
		if err != nil || len(subs) != 1 || subs[0].ReaderName != "Luna Starweaver" || subs[0].State != live.SubActive {
			t.Fatalf("the client's subscriptions: %+v %v, want one active, to Luna", subs, err)
		}
		for _, email := range []string{"luna@soulseer.demo", "orion@soulseer.demo"} {
			r, err := s.App.Accounts.GetByEmail(ctx, email)
			if err != nil {
				t.Fatal(err)
			}
			o, err := s.App.Live.SubscriptionOffer(ctx, client, r.ID)
			if err != nil || o.PriceCents == 0 {
				t.Fatalf("%s offers %+v (%v), want a subscription", email, o, err)
			}
		}
		var paid int
		if err := s.App.DB.Read().QueryRowContext(ctx, `SELECT COUNT(*) FROM ledger_transfers WHERE cause_type = 'stream_subscription'`).Scan(&paid); err != nil {
			t.Fatal(err)
		}
		if paid != 1 {
			t.Fatalf("%d subscription payments, want 1", paid)
		}
		if n, err := s.App.Live.SubscriberCount(ctx, subs[0].ReaderID); err != nil || n != 1 {
			t.Fatalf("Luna has %d subscribers (%v), want 1", n, err)
		}
	})
}
