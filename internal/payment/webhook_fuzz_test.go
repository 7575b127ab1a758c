package payment_test

import (
	"bytes"
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/soulseer/soulseer/internal/account"
	"github.com/soulseer/soulseer/internal/apptest"
	"github.com/soulseer/soulseer/internal/db"
	"github.com/soulseer/soulseer/internal/db/dbtest"
)

// fuzzSession is the Checkout Session id of the fuzzed app's pending
// top-up, so committed seeds can name it.
const fuzzSession = "cs_test_fuzz"

// webhookSeeds are well-formed deliveries of every event type the
// webhook acts on, about the fuzzed top-up, and a few malformed ones.
var webhookSeeds = []string{
	`{"id":"evt_1","object":"event","type":"checkout.session.completed","data":{"object":{"id":"cs_test_fuzz","object":"checkout.session","amount_total":1000,"currency":"usd","payment_status":"paid","payment_intent":"pi_fuzz"}}}`,
	`{"id":"evt_2","object":"event","type":"checkout.session.completed","data":{"object":{"id":"cs_test_fuzz","amount_total":1000,"currency":"usd","payment_status":"unpaid"}}}`,
	`{"id":"evt_3","object":"event","type":"checkout.session.async_payment_succeeded","data":{"object":{"id":"cs_test_fuzz","amount_total":-5,"currency":"usd"}}}`,
	`{"id":"evt_4","object":"event","type":"checkout.session.expired","data":{"object":{"id":"cs_test_fuzz"}}}`,
	`{"id":"evt_5","object":"event","type":"charge.refunded","data":{"object":{"id":"ch_1","amount":1000,"amount_refunded":400,"payment_intent":"pi_fuzz"}}}`,
	`{"id":"evt_6","object":"event","type":"charge.dispute.created","data":{"object":{"id":"dp_1","amount":1000,"charge":{"id":"ch_1"},"payment_intent":"pi_fuzz","status":"needs_response"}}}`,
	`{"id":"evt_7","object":"event","type":"charge.dispute.closed","data":{"object":{"id":"dp_1","amount":1000,"payment_intent":"pi_fuzz","status":"won"}}}`,
	`{"id":"evt_8","object":"event","type":"charge.refunded","data":{"object":{"id":"ch_2","amount":"x","payment_intent":["pi_fuzz"]}}}`,
	`{"id":"evt_9","object":"event","type":"checkout.session.completed","data":{"object":{"id":7}}}`,
	`{"id":"","type":"charge.refunded","data":{"object":{}}}`,
	`{"id":"evt_10","type":"invoice.paid","data":null}`,
	`{"id":"evt_11","type":"checkout.session.completed","data":{"object":{"id":"cs_test_fuzz","amount_total":99999999999999999999}}}`,
	`not json`, ``, `{}`, `[]`, "{\"id\":\"evt_\xff\"}",
}

// moneyState summarises what the ledger and the event log hold.
type moneyState struct {
	postings, events int
	sum              int64
	known            []string // Checkout Session and payment intent ids of top-ups
}

func readMoneyState(t *testing.T, s *apptest.Server) moneyState {
	t.Helper()
	var m moneyState
	q := s.App.DB.Read()
	ctx := context.Background()
	if err := q.QueryRowContext(ctx, `SELECT count(*), COALESCE(SUM(amount), 0) FROM ledger_postings`).Scan(&m.postings, &m.sum); err != nil {
		t.Fatal(err)
	}
	if err := q.QueryRowContext(ctx, `SELECT count(*) FROM stripe_events`).Scan(&m.events); err != nil {
		t.Fatal(err)
	}
	rows, err := q.QueryContext(ctx, `SELECT COALESCE(checkout_session_id, ''), COALESCE(payment_intent_id, '') FROM topups`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	for rows.Next() {
		var cs, pi string
		if err := rows.Scan(&cs, &pi); err != nil {
			t.Fatal(err)
		}
		for _, id := range []string{cs, pi} {
			if id != "" {
				m.known = append(m.known, id)
			}
		}
	}
	return m
}

// fuzzWebhookApp starts an app on e with a client's pending top-up of
// $10.00 whose Checkout Session is fuzzSession.
func fuzzWebhookApp(t testing.TB, e db.Engine) *apptest.Server {
	s := apptest.Start(t, e)
	u := s.CreateUser("fuzz@example.com", account.RoleClient)
	tu, err := s.App.Payments.CreateTopUp(context.Background(), u, 1000, "")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.App.DB.Writer.ExecContext(context.Background(), `UPDATE topups SET checkout_session_id = $1 WHERE id = $2`, fuzzSession, tu.ID); err != nil {
		t.Fatal(err)
	}
	return s
}

// checkWebhookDelivery delivers payload, correctly signed, and checks what
// any delivery must respect: never a 5xx; a refused delivery records
// nothing; the ledger stays balanced; and money moves only for an event
// that names a top-up SoulSeer knows (WAL-5, SEC-5).
func checkWebhookDelivery(t *testing.T, s *apptest.Server, payload []byte) {
	before := readMoneyState(t, s)
	req, err := http.NewRequest("POST", s.URL+"/stripe/webhook/", bytes.NewReader(payload))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Stripe-Signature", sign(payload, s.App.Payments.WebhookSecret, time.Now()))
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	after := readMoneyState(t, s)
	switch {
	case res.StatusCode >= 500:
		t.Fatalf("delivery %q answered %d", payload, res.StatusCode)
	case res.StatusCode != http.StatusOK && (after.events != before.events || after.postings != before.postings):
		t.Fatalf("refused delivery %q (%d) recorded an event or moved money", payload, res.StatusCode)
	case after.sum != 0:
		t.Fatalf("after %q the ledger's postings sum to %d", payload, after.sum)
	}
	if after.postings != before.postings && !mentionsAny(payload, before.known) {
		t.Fatalf("delivery %q moved money without naming a known top-up (%v)", payload, before.known)
	}
}

func mentionsAny(payload []byte, ids []string) bool {
	for _, id := range ids {
		if bytes.Contains(payload, []byte(id)) {
			return true
		}
	}
	return false
}

// WAL-5 SEC-5: the seeds, well-formed and malformed, on every engine, and
// in that order: a paid top-up is credited once, then refunded and
// disputed, and nothing malformed moves money or fails with a 5xx.
func TestWebhookSeeds_WAL5(t *testing.T) {
	for _, e := range dbtest.Engines() {
		t.Run(string(e), func(t *testing.T) {
			t.Parallel()
			s := fuzzWebhookApp(t, e)
			for _, p := range webhookSeeds {
				checkWebhookDelivery(t, s, []byte(p))
			}
			if m := readMoneyState(t, s); m.postings == 0 || !strings.Contains(strings.Join(m.known, " "), "pi_fuzz") {
				t.Fatalf("the paid seed credited nothing: %+v", m)
			}
		})
	}
}

// FuzzWebhook_WAL5 delivers arbitrary, correctly signed bodies to the
// Stripe webhook of a running app (SQLite) and holds every delivery to
// checkWebhookDelivery.
func FuzzWebhook_WAL5(f *testing.F) {
	for _, p := range webhookSeeds {
		f.Add([]byte(p))
	}
	s := fuzzWebhookApp(f, db.SQLite)
	f.Fuzz(func(t *testing.T, payload []byte) {
		checkWebhookDelivery(t, s, payload)
	})
}
