package live_test

import (
	"sync"
	"testing"
	"time"

	"github.com/soulseer/soulseer/internal/apperr"
	"github.com/soulseer/soulseer/internal/ledger"
	"github.com/soulseer/soulseer/internal/live"
)

const month = 31 * 24 * time.Hour

// LIV-3: a subscription to the reader, paid from the wallet at the
// reader's monthly price and split 70/30 as tickets are, admits to the
// reader's premium streams; subscribing again charges nothing; the
// renewal job charges each new month exactly once even when it runs twice
// at once; a cancelled subscription admits until its period ends and then
// ends unpaid.
func TestSubscriptionRenewal_LIV3(t *testing.T) {
	eachWorld(t, func(t *testing.T, w *world) {
		wantCode(t, "a client sets a price", w.live.SetSubscriptionPrice(ctx, w.client, 999), apperr.Forbidden)
		wantCode(t, "a price too high", w.live.SetSubscriptionPrice(ctx, w.reader, live.MaxSubscriptionPriceCents+1), apperr.Invalid)
		_, _, err := w.live.Subscribe(ctx, w.client, w.reader.ID)
		wantCode(t, "subscribe when none is offered", err, apperr.Conflict)
		if err := w.live.SetSubscriptionPrice(ctx, w.reader, 999); err != nil {
			t.Fatal(err)
		}
		st := w.start(t, live.StartInput{Title: "Eclipse", Visibility: "premium", TicketPriceCents: 500})
		_, err = w.live.Join(ctx, w.client, st.ID)
		wantCode(t, "join unsubscribed", err, apperr.PaymentRequired)
		_, _, err = w.live.Subscribe(ctx, w.reader, w.reader.ID)
		wantCode(t, "subscribe to oneself", err, apperr.Conflict)

		sub, replayed, err := w.live.Subscribe(ctx, w.client, w.reader.ID)
		if err != nil || replayed || sub.State != live.SubActive || sub.PriceCents != 999 || !sub.PeriodEnd.Equal(t0.AddDate(0, 1, 0)) {
			t.Fatalf("subscribe: %+v %v %v", sub, replayed, err)
		}
		if got := w.balance(t, ledger.Wallet(w.client.ID)); got != 10_000-999 {
			t.Fatalf("wallet %d after subscribing", got)
		}
		if got := w.balance(t, ledger.Earnings(w.reader.ID)); got != 699 {
			t.Fatalf("reader earned %d, want 699 (70%% rounded down)", got)
		}
		if _, err := w.live.Join(ctx, w.client, st.ID); err != nil {
			t.Fatalf("join subscribed: %v", err)
		}
		if _, replayed, err := w.live.Subscribe(ctx, w.client, w.reader.ID); err != nil || !replayed {
			t.Fatalf("subscribe again: %v %v", replayed, err)
		}
		if n, err := w.live.Renew(ctx); err != nil || n != 0 {
			t.Fatalf("renewed %d before the period ended: %v", n, err)
		}

		w.clk.Advance(month)
		var wg sync.WaitGroup
		for range 2 {
			wg.Go(func() {
				if _, err := w.live.Renew(ctx); err != nil {
					t.Error(err)
				}
			})
		}
		wg.Wait()
		if got := w.balance(t, ledger.Wallet(w.client.ID)); got != 10_000-2*999 {
			t.Fatalf("wallet %d after one renewal run twice, want %d", got, 10_000-2*999)
		}
		list, err := w.live.Subscriptions(ctx, w.client.ID)
		if err != nil || len(list) != 1 || !list[0].PeriodStart.Equal(t0.AddDate(0, 1, 0)) || !list[0].PeriodEnd.Equal(t0.AddDate(0, 2, 0)) {
			t.Fatalf("after renewal: %+v %v", list, err)
		}

		if sub, err = w.live.Unsubscribe(ctx, w.client, w.reader.ID); err != nil || !sub.CancelAtPeriodEnd || sub.State != live.SubActive {
			t.Fatalf("unsubscribe: %+v %v", sub, err)
		}
		if _, err := w.live.Join(ctx, w.client, st.ID); err != nil {
			t.Fatalf("join before a cancelled period ends: %v", err)
		}
		w.clk.Advance(month)
		if n, err := w.live.Renew(ctx); err != nil || n != 1 {
			t.Fatalf("renew a cancelled subscription: %d %v", n, err)
		}
		if got := w.balance(t, ledger.Wallet(w.client.ID)); got != 10_000-2*999 {
			t.Fatalf("a cancelled subscription was charged: wallet %d", got)
		}
		_, err = w.live.Join(ctx, w.client, st.ID)
		wantCode(t, "join after the cancelled period", err, apperr.PaymentRequired)
		_, err = w.live.Unsubscribe(ctx, w.client, w.reader.ID)
		wantCode(t, "unsubscribe when ended", err, apperr.NotFound)
		w.verify(t)
	})
}

// LIV-3: once a reader stops offering subscriptions, their subscribers'
// subscriptions end with the month paid for, charge nothing more, and
// the subscribers are told.
func TestSubscriptionEndsWhenNoLongerOffered_LIV3(t *testing.T) {
	eachWorld(t, func(t *testing.T, w *world) {
		if err := w.live.SetSubscriptionPrice(ctx, w.reader, 999); err != nil {
			t.Fatal(err)
		}
		if _, _, err := w.live.Subscribe(ctx, w.client, w.reader.ID); err != nil {
			t.Fatal(err)
		}
		if err := w.live.SetSubscriptionPrice(ctx, w.reader, 0); err != nil {
			t.Fatal(err)
		}
		w.clk.Advance(month)
		if n, err := w.live.Renew(ctx); err != nil || n != 1 {
			t.Fatalf("renew: %d %v", n, err)
		}
		list, err := w.live.Subscriptions(ctx, w.client.ID)
		if err != nil || len(list) != 1 || list[0].State != live.SubCancelled {
			t.Fatalf("after the reader stopped offering: %+v %v", list, err)
		}
		if got := w.balance(t, ledger.Wallet(w.client.ID)); got != 10_000-999 {
			t.Errorf("wallet %d, want one month paid", got)
		}
		if n := w.count(t, `SELECT COUNT(*) FROM notifications WHERE user_id = $1 AND kind = 'subscription'`, w.client.ID); n != 1 {
			t.Errorf("%d notifications, want 1", n)
		}
		if n, err := w.live.Renew(ctx); err != nil || n != 0 {
			t.Errorf("renew again: %d %v", n, err)
		}
		w.verify(t)
	})
}

// LIV-3: a renewal the wallet cannot pay lapses the subscription, charges
// nothing and tells the subscriber; their access ends with the period.
func TestSubscriptionLapse_LIV3(t *testing.T) {
	eachWorld(t, func(t *testing.T, w *world) {
		if err := w.live.SetSubscriptionPrice(ctx, w.reader, 999); err != nil {
			t.Fatal(err)
		}
		_, _, err := w.live.Subscribe(ctx, w.pauper, w.reader.ID)
		wantCode(t, "subscribe with an empty wallet", err, apperr.InsufficientFunds)
		w.fund(t, w.pauper, 1500)
		if _, _, err := w.live.Subscribe(ctx, w.pauper, w.reader.ID); err != nil {
			t.Fatal(err)
		}
		w.clk.Advance(month)
		if n, err := w.live.Renew(ctx); err != nil || n != 1 {
			t.Fatalf("renew: %d %v", n, err)
		}
		list, err := w.live.Subscriptions(ctx, w.pauper.ID)
		if err != nil || len(list) != 1 || list[0].State != live.SubLapsed || !list[0].PeriodEnd.Equal(t0.AddDate(0, 1, 0)) {
			t.Fatalf("after a failed renewal: %+v %v", list, err)
		}
		if got := w.balance(t, ledger.Wallet(w.pauper.ID)); got != 1500-999 {
			t.Fatalf("wallet %d after a failed renewal", got)
		}
		if n := w.count(t, `SELECT COUNT(*) FROM notifications WHERE user_id = $1 AND kind = 'subscription'`, w.pauper.ID); n != 1 {
			t.Fatalf("%d lapse notifications, want 1", n)
		}
		if n, err := w.live.Renew(ctx); err != nil || n != 0 {
			t.Fatalf("renew a lapsed subscription: %d %v", n, err)
		}
		st := w.start(t, live.StartInput{Title: "Eclipse", Visibility: "premium", TicketPriceCents: 500})
		_, err = w.live.Join(ctx, w.pauper, st.ID)
		wantCode(t, "join lapsed", err, apperr.PaymentRequired)
		w.fund(t, w.pauper, 1000)
		if sub, replayed, err := w.live.Subscribe(ctx, w.pauper, w.reader.ID); err != nil || replayed || sub.State != live.SubActive {
			t.Fatalf("subscribe again after the lapse: %+v %v %v", sub, replayed, err)
		}
		if _, err := w.live.Join(ctx, w.pauper, st.ID); err != nil {
			t.Fatalf("join subscribed again: %v", err)
		}
		w.verify(t)
	})
}
