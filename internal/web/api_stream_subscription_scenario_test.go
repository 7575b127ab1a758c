package web_test

import (
	"testing"
	"time"

	"github.com/soulseer/soulseer/internal/account"
	"github.com/soulseer/soulseer/internal/apptest"
	"github.com/soulseer/soulseer/internal/db/dbtest"
	"github.com/soulseer/soulseer/internal/ledger"
)

// subscriptionAPI is every /api/v1 route of subscriptions to readers; like
// streamAPI, each needs a success scenario, and each that takes a JSON
// body is also sent the generic bad bodies (jsonBodyRoutes).
var subscriptionAPI = map[string]bool{ // route → takes a JSON body
	"PUT /api/v1/me/subscription-price":        true,
	"GET /api/v1/me/subscriptions":             false,
	"GET /api/v1/readers/{id}/subscription":    false,
	"PUT /api/v1/readers/{id}/subscription":    false,
	"DELETE /api/v1/readers/{id}/subscription": false,
}

// LIV-3 through the API: a reader prices a monthly subscription; a client
// subscribes from their wallet (70/30, once: subscribing again charges
// nothing) and then joins the reader's premium stream without a ticket;
// a short wallet is told what to add; cancelling keeps the month paid
// for; bad prices are field errors.
func TestSubscriptionAPIScenarios_LIV3(t *testing.T) {
	runStreamScenarios(t, subscriptionScenarios())
}

// runStreamScenarios runs scs in order on each engine in a world with a
// second client, Pat: Cleo holds $500 and Pat $1.50. The ledger must
// verify afterwards.
func runStreamScenarios(t *testing.T, scs []scenario) {
	t.Parallel()
	for _, e := range dbtest.Engines() {
		t.Run(string(e), func(t *testing.T) {
			t.Parallel()
			s := apptest.Start(t, e, roomyLimits())
			s.App.Notify.EmailDelay = 365 * 24 * time.Hour
			w := newWorld(t, s)
			w.extra = s.CreateUser("pat@example.com", account.RoleClient)
			w.as["extra"] = bearer(t, s, w.extra)
			fundAPI(t, w, w.client, 50000)
			credit(t, w, w.extra, 150)
			for _, sc := range scs {
				t.Run(sc.route+" "+sc.name, func(t *testing.T) { sc.run(t, w) })
			}
			if rep, err := ledger.Verify(ctx, s.App.DB); err != nil || len(rep.Problems) > 0 {
				t.Fatalf("ledger verify: %v %v", err, rep.Problems)
			}
		})
	}
}

func subscriptionScenarios() []scenario {
	const (
		price     = "PUT /api/v1/me/subscription-price"
		mine      = "GET /api/v1/me/subscriptions"
		offer     = "GET /api/v1/readers/{id}/subscription"
		subscribe = "PUT /api/v1/readers/{id}/subscription"
		cancel    = "DELETE /api/v1/readers/{id}/subscription"
		streams   = "POST /api/v1/streams"
		join      = "POST /api/v1/streams/{id}/join"
		lunaSub   = "/api/v1/readers/{reader}/subscription"
	)
	return []scenario{
		{name: "a price out of range", route: price, as: "reader", status: 400, fields: []string{"price_cents"}, body: map[string]any{"price_cents": -1}},
		{name: "a client prices", route: price, as: "client", status: 403, body: map[string]any{"price_cents": 500}},
		{name: "subscribe when none is offered", route: subscribe, as: "client", path: lunaSub, status: 409, detail: "offers no subscription"},
		{name: "price a month", route: price, as: "reader", status: 200, body: map[string]any{"price_cents": 999}, contains: []string{`"price_cents":999`}},
		{name: "the offer to a visitor", route: offer, as: "anon", path: lunaSub, status: 200, contains: []string{`"price_cents":999`, `"subscription":null`}},
		{name: "the offer of no reader", route: offer, as: "anon", path: "/api/v1/readers/999999/subscription", status: 404},
		{name: "go live premium", route: streams, as: "reader", status: 201, body: map[string]any{"title": "Members' circle", "visibility": "premium", "ticket_price_cents": 500},
			check: keep("subpremium")},
		{name: "join unsubscribed", route: join, as: "client", path: "/api/v1/streams/{subpremium}/join", status: 402, detail: "subscribe to Luna Vale"},
		{name: "subscribe short of money", route: subscribe, as: "extra", path: lunaSub, status: 402, detail: "Your balance is $1.50 and a month costs $9.99: add $8.49"},
		{name: "subscribe to oneself", route: subscribe, as: "reader", path: lunaSub, status: 409},
		{name: "subscribe to no reader", route: subscribe, as: "client", path: "/api/v1/readers/999999/subscription", status: 404},
		{name: "subscribe", route: subscribe, as: "client", path: lunaSub, status: 201, contains: []string{`"state":"active"`, `"price_cents":999`, `"reader_name":"Luna Vale"`},
			check: func(t *testing.T, w *world, res apptest.Response) {
				if got := walletOf(t, w); got != 50000-999 {
					t.Fatalf("wallet %d, want %d", got, 50000-999)
				}
			}},
		{name: "subscribe again", route: subscribe, as: "client", path: lunaSub, status: 200,
			check: func(t *testing.T, w *world, res apptest.Response) {
				if got := walletOf(t, w); got != 50000-999 {
					t.Fatalf("subscribing again charged: wallet %d", got)
				}
			}},
		{name: "join subscribed", route: join, as: "client", path: "/api/v1/streams/{subpremium}/join", status: 200},
		{name: "the offer to a subscriber", route: offer, as: "client", path: lunaSub, status: 200, contains: []string{`"subscription":{`, `"state":"active"`}},
		{name: "my subscriptions", route: mine, as: "client", status: 200, contains: []string{`"reader_name":"Luna Vale"`, `"cancel_at_period_end":false`}},
		{name: "cancel", route: cancel, as: "client", path: lunaSub, status: 200, contains: []string{`"state":"active"`, `"cancel_at_period_end":true`}},
		{name: "cancel none", route: cancel, as: "extra", path: lunaSub, status: 404},
		{name: "join after cancelling, within the month", route: join, as: "client", path: "/api/v1/streams/{subpremium}/join", status: 200},
	}
}
