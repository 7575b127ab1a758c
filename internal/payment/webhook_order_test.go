package payment_test

import (
	"context"
	"fmt"
	"net/http"
	"sync"
	"testing"
	"time"

	"github.com/soulseer/soulseer/internal/apptest"
	"github.com/soulseer/soulseer/internal/clock"
	"github.com/soulseer/soulseer/internal/db/dbtest"
	"github.com/soulseer/soulseer/internal/ledger"
	"github.com/soulseer/soulseer/internal/payment"
)

// eventStatus returns how a stored event was settled.
func eventStatus(t *testing.T, s *apptest.Server, id string) string {
	t.Helper()
	var status string
	if err := s.App.DB.Read().QueryRowContext(context.Background(), `SELECT status FROM stripe_events WHERE id = $1`, id).Scan(&status); err != nil {
		t.Fatalf("event %s: %v", id, err)
	}
	return status
}

func disputeEvent(id, typ, dispute, pi, status string, amount int64) []byte {
	return event(id, typ, map[string]any{"id": dispute, "object": "dispute", "amount": amount, "charge": "ch_" + dispute,
		"payment_intent": pi, "status": status})
}

// WAL-5 WAL-7: Stripe does not promise order. An event about an object that
// has not arrived yet — a dispute closed before it was opened, a dispute or
// refund before the top-up's completion — is answered 200 and parked, then
// applied the moment its object arrives, so no hold is left behind and no
// refund is lost.
func TestWebhookOutOfOrder_WAL5(t *testing.T) {
	eachEngine(t, func(t *testing.T, s *apptest.Server) {
		// A dispute closed (won) before it was opened.
		u, tu := newTopUp(t, s, "order1@example.com", 5000)
		deliver(t, s, completed("evt_o1", tu, 5000, "paid"))
		if st := deliver(t, s, disputeEvent("evt_o2", "charge.dispute.closed", "dp_o1", "pi_evt_o1", "won", 2000)); st != 200 {
			t.Fatalf("early dispute.closed: status %d", st)
		}
		if got := eventStatus(t, s, "evt_o2"); got != payment.EventParked {
			t.Fatalf("early dispute.closed recorded as %q, want parked", got)
		}
		deliver(t, s, disputeEvent("evt_o3", "charge.dispute.created", "dp_o1", "pi_evt_o1", "needs_response", 2000))
		if w, h := balance(t, s, ledger.Wallet(u.ID)), balance(t, s, ledger.Hold(u.ID)); w != 5000 || h != 0 {
			t.Fatalf("after opening the closed dispute wallet=%d hold=%d, want 5000/0", w, h)
		}
		if eventStatus(t, s, "evt_o2") != payment.EventProcessed || eventStatus(t, s, "evt_o3") != payment.EventProcessed {
			t.Fatal("the parked event was not applied")
		}

		// A refund, a dispute and its loss, all before the top-up completes.
		u2, tu2 := newTopUp(t, s, "order2@example.com", 6000)
		pi := "pi_evt_o4"
		for _, p := range [][]byte{
			event("evt_o5", "charge.refunded", map[string]any{"id": "ch_o2", "amount": 6000, "amount_refunded": 1000, "payment_intent": pi}),
			disputeEvent("evt_o6", "charge.dispute.created", "dp_o2", pi, "needs_response", 2500),
			disputeEvent("evt_o7", "charge.dispute.closed", "dp_o2", pi, "lost", 2500),
		} {
			if st := deliver(t, s, p); st != 200 {
				t.Fatalf("early event: status %d", st)
			}
		}
		if w := balance(t, s, ledger.Wallet(u2.ID)); w != 0 {
			t.Fatalf("wallet %d before the top-up completed", w)
		}
		deliver(t, s, completed("evt_o4", tu2, 6000, "paid"))
		if w, h := balance(t, s, ledger.Wallet(u2.ID)), balance(t, s, ledger.Hold(u2.ID)); w != 2500 || h != 0 {
			t.Fatalf("after completion wallet=%d hold=%d, want 2500/0 (6000 − 1000 refunded − 2500 lost)", w, h)
		}
		for _, id := range []string{"evt_o5", "evt_o6", "evt_o7"} {
			if got := eventStatus(t, s, id); got != payment.EventProcessed {
				t.Fatalf("%s is %q after its top-up completed", id, got)
			}
		}
		verify(t, s)
	})
}

// WAL-5: a dispute's opening and closing delivered at the same moment, on
// every engine, always end with the hold released: whichever commits first,
// the other sees it.
func TestWebhookOutOfOrderRace_WAL5(t *testing.T) {
	eachEngine(t, func(t *testing.T, s *apptest.Server) {
		u, tu := newTopUp(t, s, "race@example.com", 50000)
		deliver(t, s, completed("evt_r0", tu, 50000, "paid"))
		const pairs = 20
		var wg sync.WaitGroup
		statuses := make([]int, 2*pairs)
		for i := range pairs {
			dp := fmt.Sprintf("dp_race_%d", i)
			for k, p := range [][]byte{
				disputeEvent(fmt.Sprintf("evt_rc_%d", i), "charge.dispute.created", dp, "pi_evt_r0", "needs_response", 100),
				disputeEvent(fmt.Sprintf("evt_rx_%d", i), "charge.dispute.closed", dp, "pi_evt_r0", "won", 100),
			} {
				wg.Go(func() { statuses[2*i+k] = deliver(t, s, p) })
			}
		}
		wg.Wait()
		for i, st := range statuses {
			if st != http.StatusOK {
				t.Fatalf("delivery %d: status %d", i, st)
			}
		}
		var open, held int
		ctx := context.Background()
		s.App.DB.Read().QueryRowContext(ctx, `SELECT count(*) FROM disputes WHERE status = 'won'`).Scan(&held)
		s.App.DB.Read().QueryRowContext(ctx, `SELECT count(*) FROM stripe_events WHERE status <> 'processed'`).Scan(&open)
		if held != pairs || open != 0 {
			t.Fatalf("%d of %d disputes closed, %d events not processed", held, pairs, open)
		}
		if w, h := balance(t, s, ledger.Wallet(u.ID)), balance(t, s, ledger.Hold(u.ID)); w != 50000 || h != 0 {
			t.Fatalf("wallet=%d hold=%d, want 50000/0", w, h)
		}
		verify(t, s)
	})
}

// A parked event whose object never arrives is recorded as a mismatch for
// the admins once Stripe's retry window has passed. Each engine's app has a
// clock of its own, since webhook signatures are judged by it.
func TestParkedEventsExpire(t *testing.T) {
	for _, e := range dbtest.Engines() {
		t.Run(string(e), func(t *testing.T) {
			t.Parallel()
			clk := clock.NewFake(time.Now())
			s := apptest.Start(t, e, apptest.WithClock(clk))
			deliver(t, s, event("evt_lost", "charge.refunded", map[string]any{"id": "ch_lost", "amount": 100, "amount_refunded": 100, "payment_intent": "pi_nobody"}))
			applied, expired, err := s.App.Payments.RetryParked(context.Background())
			if err != nil || applied+expired != 0 || eventStatus(t, s, "evt_lost") != payment.EventParked {
				t.Fatalf("retry within the window: %d %d %v", applied, expired, err)
			}
			clk.Advance(payment.ParkWindow + time.Minute)
			applied, expired, err = s.App.Payments.RetryParked(context.Background())
			if err != nil || applied != 0 || expired != 1 || eventStatus(t, s, "evt_lost") != payment.EventMismatch {
				t.Fatalf("retry after the window: applied %d expired %d %v, status %s", applied, expired, err, eventStatus(t, s, "evt_lost"))
			}
		})
	}
}

// A database failure while applying an event is answered 500, so Stripe
// delivers it again, and is not recorded as a mismatch.
func TestWebhookDatabaseFailureIsRetried(t *testing.T) {
	eachEngine(t, func(t *testing.T, s *apptest.Server) {
		ctx := context.Background()
		if _, err := s.App.DB.Writer.ExecContext(ctx, `ALTER TABLE disputes RENAME TO disputes_away`); err != nil {
			t.Fatal(err)
		}
		payload := disputeEvent("evt_dbfail", "charge.dispute.closed", "dp_dbfail", "pi_x", "won", 100)
		if st := deliver(t, s, payload); st != http.StatusInternalServerError {
			t.Fatalf("status %d, want 500", st)
		}
		var n int
		s.App.DB.Read().QueryRowContext(ctx, `SELECT count(*) FROM stripe_events WHERE id = 'evt_dbfail'`).Scan(&n)
		if n != 0 {
			t.Fatal("the failed event was recorded, so Stripe's retry would be taken for a duplicate")
		}
		if _, err := s.App.DB.Writer.ExecContext(ctx, `ALTER TABLE disputes_away RENAME TO disputes`); err != nil {
			t.Fatal(err)
		}
		if st := deliver(t, s, payload); st != 200 || eventStatus(t, s, "evt_dbfail") != payment.EventParked {
			t.Fatalf("redelivery: status %d, recorded %s", st, eventStatus(t, s, "evt_dbfail"))
		}
	})
}

// WAL-5: a correctly signed event that merely contradicts an earlier one —
// a second opening of the same dispute with another amount, a loss after a
// win — is recorded and answered 200, so Stripe does not redeliver it
// forever, and moves no money.
func TestWebhookContradictions_WAL5(t *testing.T) {
	eachEngine(t, func(t *testing.T, s *apptest.Server) {
		u, tu := newTopUp(t, s, "contra@example.com", 5000)
		deliver(t, s, completed("evt_c1", tu, 5000, "paid"))
		deliver(t, s, disputeEvent("evt_c2", "charge.dispute.created", "dp_c", "pi_evt_c1", "needs_response", 2000))
		for _, c := range []struct {
			id      string
			payload []byte
			wallet  int64
			hold    int64
		}{
			{"evt_c3", disputeEvent("evt_c3", "charge.dispute.created", "dp_c", "pi_evt_c1", "needs_response", 4000), 3000, 2000},
			{"evt_c4", disputeEvent("evt_c4", "charge.dispute.closed", "dp_c", "pi_evt_c1", "won", 2000), 5000, 0},
			{"evt_c5", disputeEvent("evt_c5", "charge.dispute.closed", "dp_c", "pi_evt_c1", "lost", 2000), 5000, 0},
		} {
			if st := deliver(t, s, c.payload); st != http.StatusOK {
				t.Fatalf("%s: status %d, want 200", c.id, st)
			}
			if got := eventStatus(t, s, c.id); got != payment.EventProcessed {
				t.Fatalf("%s recorded as %q", c.id, got)
			}
			if w, h := balance(t, s, ledger.Wallet(u.ID)), balance(t, s, ledger.Hold(u.ID)); w != c.wallet || h != c.hold {
				t.Fatalf("after %s wallet=%d hold=%d, want %d/%d", c.id, w, h, c.wallet, c.hold)
			}
		}
		verify(t, s)
	})
}
