package web_test

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/coder/websocket"

	"github.com/soulseer/soulseer/internal/account"
	"github.com/soulseer/soulseer/internal/apptest"
	"github.com/soulseer/soulseer/internal/audit"
	"github.com/soulseer/soulseer/internal/ledger"
	"github.com/soulseer/soulseer/internal/live"
	"github.com/soulseer/soulseer/internal/realtime"
)

// streamAPI is every /api/v1 route of livestreams with a scenario; like
// foundationAPI, each needs a success scenario, and each that takes a
// JSON body is also sent the generic bad bodies (jsonBodyRoutes). The
// stream's WebSocket has a test of its own (TestStreamSocket_LIV6_LIV7).
var streamAPI = map[string]bool{ // route → takes a JSON body
	"POST /api/v1/streams":                 true,
	"GET /api/v1/streams":                  false,
	"GET /api/v1/streams/{id}":             false,
	"POST /api/v1/streams/{id}/end":        false,
	"POST /api/v1/streams/{id}/join":       false,
	"POST /api/v1/streams/{id}/tickets":    false,
	"GET /api/v1/streams/{id}/messages":    false,
	"POST /api/v1/streams/{id}/messages":   true,
	"POST /api/v1/streams/{id}/gifts":      true,
	"GET /api/v1/streams/{id}/top-gifters": false,
	"GET /api/v1/gifts":                    false,
	"GET /api/v1/admin/gifts":              false,
	"POST /api/v1/admin/gifts":             true,
	"PUT /api/v1/admin/gifts/{id}":         true,
}

// apiStream is a stream as the API answers it.
type apiStream struct {
	ID               int64   `json:"id"`
	ReaderID         int64   `json:"reader_id"`
	Title            string  `json:"title"`
	Visibility       string  `json:"visibility"`
	TicketPriceCents int64   `json:"ticket_price_cents"`
	State            string  `json:"state"`
	EndedAt          *string `json:"ended_at"`
	EndReason        string  `json:"end_reason"`
	ViewerCount      int     `json:"viewer_count"`
}

// apiSplit is the money of a ticket or a gift as the API answers it.
type apiSplit struct {
	ID            int64 `json:"id"`
	PriceCents    int64 `json:"price_cents"`
	AmountCents   int64 `json:"amount_cents"`
	ReaderCents   int64 `json:"reader_cents"`
	PlatformCents int64 `json:"platform_cents"`
}

// LIV-1 to LIV-5, LIV-7, LIV-9, AGO-4, ACC-6, SEC-4 through the API: a
// verified reader goes live once at a time; a premium stream refuses
// joining, chat and gifts without a ticket (402), sells one ticket per
// viewer split 70/30, then lets them in; a private stream admits only the
// invited (403 for the rest); gifts come back with their split, a
// replayed key sends nothing more, a short wallet is told what to add;
// top gifters add up; ending tells who ended it; admin catalog changes
// are audited; bad input is a 400 naming the fields.
func TestStreamAPIScenarios_LIV1_LIV3_LIV5(t *testing.T) {
	runStreamScenarios(t, streamScenarios())
}

// fundAPI tops u's wallet up by cents through the test checkout.
func fundAPI(t *testing.T, w *world, u account.User, cents int64) {
	t.Helper()
	tu, err := w.s.App.Payments.CreateTopUp(ctx, u, cents, "")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := w.s.App.Payments.PayTestCheckout(ctx, u, tu.CheckoutSessionID); err != nil {
		t.Fatal(err)
	}
}

// credit puts cents in u's wallet through the ledger, below the smallest
// top-up.
func credit(t *testing.T, w *world, u account.User, cents int64) {
	t.Helper()
	if _, err := w.s.App.Ledger.Transfer(ctx, ledger.Transfer{Key: "test-credit:" + id(u.ID), Type: ledger.TypeAdjustment,
		Postings: []ledger.Posting{{Account: ledger.Adjustments(), Amount: -cents}, {Account: ledger.Wallet(u.ID), Amount: cents}}}); err != nil {
		t.Fatal(err)
	}
}

// keep stores the id of the answer's object as name.
func keep(name string) func(t *testing.T, w *world, res apptest.Response) {
	return func(t *testing.T, w *world, res apptest.Response) {
		var v struct {
			ID int64 `json:"id"`
		}
		res.JSON(t, &v)
		if v.ID == 0 {
			t.Fatalf("no id in %s", res.Body)
		}
		w.ids[name] = v.ID
	}
}

// split checks the answer's money: the amount and its 70/30 split.
func split(amount, reader int64) func(t *testing.T, w *world, res apptest.Response) {
	return func(t *testing.T, w *world, res apptest.Response) {
		v := decode[apiSplit](t, res)
		if max(v.PriceCents, v.AmountCents) != amount || v.ReaderCents != reader || v.PlatformCents != amount-reader {
			t.Fatalf("answer %s, want %d split %d/%d", res.Body, amount, reader, amount-reader)
		}
	}
}

// then runs checks one after another.
func then(checks ...func(t *testing.T, w *world, res apptest.Response)) func(t *testing.T, w *world, res apptest.Response) {
	return func(t *testing.T, w *world, res apptest.Response) {
		for _, c := range checks {
			c(t, w, res)
		}
	}
}

// audited checks that the admin's latest audit record is action.
func audited(action string) func(t *testing.T, w *world, res apptest.Response) {
	return func(t *testing.T, w *world, res apptest.Response) {
		es, err := audit.List(ctx, w.s.App.DB.Read(), audit.Filter{ActorID: w.admin.ID, Limit: 1})
		if err != nil || len(es) != 1 || es[0].Action != action {
			t.Fatalf("latest audit record of the admin = %+v %v, want %s", es, err, action)
		}
	}
}

func streamScenarios() []scenario {
	const (
		streams   = "POST /api/v1/streams"
		list      = "GET /api/v1/streams"
		show      = "GET /api/v1/streams/{id}"
		end       = "POST /api/v1/streams/{id}/end"
		join      = "POST /api/v1/streams/{id}/join"
		tickets   = "POST /api/v1/streams/{id}/tickets"
		chatList  = "GET /api/v1/streams/{id}/messages"
		chat      = "POST /api/v1/streams/{id}/messages"
		gifts     = "POST /api/v1/streams/{id}/gifts"
		top       = "GET /api/v1/streams/{id}/top-gifters"
		catalog   = "GET /api/v1/gifts"
		adminList = "GET /api/v1/admin/gifts"
		adminAdd  = "POST /api/v1/admin/gifts"
		adminEdit = "PUT /api/v1/admin/gifts/{id}"
	)
	crystal := func(key string, quantity int) func(t *testing.T, w *world) any {
		return func(t *testing.T, w *world) any {
			return map[string]any{"gift_id": w.ids["crystal"], "quantity": quantity, "idempotency_key": key}
		}
	}
	return []scenario{
		// Going live (LIV-1).
		{name: "go live unverified", route: streams, as: "pending", status: 403, body: map[string]any{"title": "Hello", "visibility": "public"}},
		{name: "go live with bad fields", route: streams, as: "reader", status: 400, fields: []string{"title", "visibility"},
			body: map[string]any{"title": " ", "visibility": "secret"}},
		{name: "go live premium without a price", route: streams, as: "reader", status: 400, fields: []string{"ticket_price_cents"},
			body: map[string]any{"title": "Eclipse special", "visibility": "premium"}},
		{name: "go live as a client", route: streams, as: "client", status: 403, body: map[string]any{"title": "Hello", "visibility": "public"}},
		{name: "go live premium", route: streams, as: "reader", status: 201,
			body: map[string]any{"title": "Eclipse special", "visibility": "premium", "ticket_price_cents": 500},
			check: then(keep("premium"), func(t *testing.T, w *world, res apptest.Response) {
				if st := decode[apiStream](t, res); st.State != "live" || st.Visibility != "premium" || st.TicketPriceCents != 500 || st.ReaderID != w.reader.ID || st.EndedAt != nil {
					t.Fatalf("stream = %+v", st)
				}
			})},
		{name: "go live twice", route: streams, as: "reader", status: 409, detail: "already live", body: map[string]any{"title": "Again", "visibility": "public"}},
		{name: "live now", route: list, as: "anon", status: 200, contains: []string{`"title":"Eclipse special"`, `"visibility":"premium"`}},
		{name: "a stream", route: show, as: "anon", path: "/api/v1/streams/{premium}", status: 200, contains: []string{`"state":"live"`, `"viewer_count":0`}},
		{name: "no such stream", route: show, as: "anon", path: "/api/v1/streams/999999", status: 404},

		// A premium stream's ticket (LIV-3).
		{name: "join without a ticket", route: join, as: "client", path: "/api/v1/streams/{premium}/join", status: 402, detail: "buy a ticket ($5.00)"},
		{name: "read chat without a ticket", route: chatList, as: "client", path: "/api/v1/streams/{premium}/messages", status: 402},
		{name: "chat without a ticket", route: chat, as: "client", path: "/api/v1/streams/{premium}/messages", status: 402, body: map[string]string{"body": "Hello"}},
		{name: "gift without a ticket", route: gifts, as: "client", path: "/api/v1/streams/{premium}/gifts", status: 402,
			body: map[string]any{"gift_id": 1, "quantity": 1, "idempotency_key": "early"}},
		{name: "buy a ticket", route: tickets, as: "client", path: "/api/v1/streams/{premium}/tickets", status: 201,
			check: then(keep("ticket"), split(500, 350), func(t *testing.T, w *world, res apptest.Response) {
				if got := walletOf(t, w); got != 50000-500 {
					t.Fatalf("wallet %d, want %d", got, 50000-500)
				}
			})},
		{name: "buy a ticket again", route: tickets, as: "client", path: "/api/v1/streams/{premium}/tickets", status: 200, unchanged: true,
			check: func(t *testing.T, w *world, res apptest.Response) {
				if v := decode[apiSplit](t, res); v.ID != w.ids["ticket"] {
					t.Fatalf("answered %s, want ticket %d", res.Body, w.ids["ticket"])
				}
			}},
		{name: "buy a ticket short of money", route: tickets, as: "extra", path: "/api/v1/streams/{premium}/tickets", status: 402,
			detail: "Your balance is $1.50 and a ticket costs $5.00: add $3.50 to buy it"},
		{name: "buy a ticket to one's own stream", route: tickets, as: "reader", path: "/api/v1/streams/{premium}/tickets", status: 409},
		{name: "join with a ticket", route: join, as: "client", path: "/api/v1/streams/{premium}/join", status: 200,
			contains: []string{`"role":"subscriber"`, `"rtc_token":null`, `"rtm_token":null`}},
		{name: "join one's own stream", route: join, as: "reader", path: "/api/v1/streams/{premium}/join", status: 200, contains: []string{`"role":"publisher"`}},

		// Chat (LIV-7).
		{name: "chat", route: chat, as: "client", path: "/api/v1/streams/{premium}/messages", status: 201, body: map[string]string{"body": "Hello, Luna!"},
			contains: []string{`"body":"Hello, Luna!"`, `"sender":"cleo"`}},
		{name: "chat too long", route: chat, as: "client", path: "/api/v1/streams/{premium}/messages", status: 400, fields: []string{"body"},
			body: map[string]string{"body": strings.Repeat("x", 501)}},
		{name: "read the chat", route: chatList, as: "reader", path: "/api/v1/streams/{premium}/messages", status: 200, contains: []string{`"body":"Hello, Luna!"`}},

		// Gifts (LIV-4, LIV-5, LIV-9).
		{name: "the gift catalog", route: catalog, as: "anon", status: 200,
			check: func(t *testing.T, w *world, res apptest.Response) {
				var l struct {
					Gifts []struct {
						ID         int64  `json:"id"`
						Animation  string `json:"animation"`
						PriceCents int64  `json:"price_cents"`
					} `json:"gifts"`
				}
				res.JSON(t, &l)
				for _, g := range l.Gifts {
					if g.Animation == "crystal" && g.PriceCents == 500 {
						w.ids["crystal"] = g.ID
					}
				}
				if len(l.Gifts) < 5 || l.Gifts[0].PriceCents != 100 || w.ids["crystal"] == 0 {
					t.Fatalf("catalog = %s", res.Body)
				}
			}},
		{name: "send a gift", route: gifts, as: "client", path: "/api/v1/streams/{premium}/gifts", status: 201, bodyFn: crystal("tap-1", 3),
			check: then(keep("sent"), split(1500, 1050), func(t *testing.T, w *world, res apptest.Response) {
				if !strings.Contains(string(res.Body), `"reader_name":"Luna Vale"`) || walletOf(t, w) != 50000-500-1500 {
					t.Fatalf("sent %s, wallet %d", res.Body, walletOf(t, w))
				}
			})},
		{name: "send the gift again", route: gifts, as: "client", path: "/api/v1/streams/{premium}/gifts", status: 200, unchanged: true, bodyFn: crystal("tap-1", 3),
			check: func(t *testing.T, w *world, res apptest.Response) {
				if v := decode[apiSplit](t, res); v.ID != w.ids["sent"] {
					t.Fatalf("answered %s, want gift %d", res.Body, w.ids["sent"])
				}
			}},
		{name: "send another gift with the key", route: gifts, as: "client", path: "/api/v1/streams/{premium}/gifts", status: 409, detail: "already used",
			bodyFn: crystal("tap-1", 1)},
		{name: "send a bad gift", route: gifts, as: "client", path: "/api/v1/streams/{premium}/gifts", status: 400,
			fields: []string{"gift_id", "quantity", "idempotency_key"}, body: map[string]any{"gift_id": 0, "quantity": 100, "idempotency_key": ""}},
		{name: "send a gift to no stream", route: gifts, as: "client", path: "/api/v1/streams/999999/gifts", status: 404, bodyFn: crystal("nowhere", 1)},
		{name: "top gifters", route: top, as: "anon", path: "/api/v1/streams/{premium}/top-gifters", status: 200,
			contains: []string{`"name":"cleo"`, `"amount_cents":1500`, `"gifts":3`}},

		// Ending (LIV-2).
		{name: "end someone else's stream", route: end, as: "client", path: "/api/v1/streams/{premium}/end", status: 403},
		{name: "end", route: end, as: "reader", path: "/api/v1/streams/{premium}/end", status: 200, contains: []string{`"state":"ended"`, `"end_reason":"reader"`}},
		{name: "end again", route: end, as: "reader", path: "/api/v1/streams/{premium}/end", status: 409},
		{name: "join an ended stream", route: join, as: "client", path: "/api/v1/streams/{premium}/join", status: 409},

		// A private stream (LIV-3).
		{name: "go live private", route: streams, as: "reader", status: 201,
			bodyFn: func(t *testing.T, w *world) any {
				return map[string]any{"title": "Circle", "visibility": "private", "invited_user_ids": []int64{w.extra.ID}}
			}, check: keep("private")},
		{name: "join uninvited", route: join, as: "client", path: "/api/v1/streams/{private}/join", status: 403, detail: "private"},
		{name: "join invited", route: join, as: "extra", path: "/api/v1/streams/{private}/join", status: 200},
		{name: "send a gift short of money", route: gifts, as: "extra", path: "/api/v1/streams/{private}/gifts", status: 402,
			detail: "Your balance is $1.50 and this gift costs $5.00: add $3.50 to send it", bodyFn: crystal("pat-1", 1)},
		{name: "send a gift to one's own stream", route: gifts, as: "reader", path: "/api/v1/streams/{private}/gifts", status: 403, bodyFn: crystal("own", 1)},
		{name: "end as an admin", route: end, as: "admin", path: "/api/v1/streams/{private}/end", status: 200,
			contains: []string{`"end_reason":"admin"`}, check: audited("stream.end")},

		// The catalog, kept by admins (LIV-4, SEC-4).
		{name: "the whole catalog", route: adminList, as: "admin", status: 200, contains: []string{`"name":"Sparkle"`}},
		{name: "add a gift", route: adminAdd, as: "admin", status: 201, body: map[string]any{"name": "Comet", "price_cents": 750, "animation": "comet", "sort_order": 7},
			contains: []string{`"active":true`}, check: then(keep("comet"), audited("gift.create"))},
		{name: "add a bad gift", route: adminAdd, as: "admin", status: 400, fields: []string{"name", "price_cents", "animation"},
			body: map[string]any{"name": "", "price_cents": 0, "animation": "fireworks"}},
		{name: "take a gift off offer", route: adminEdit, as: "admin", path: "/api/v1/admin/gifts/{comet}", status: 200,
			body:     map[string]any{"name": "Comet", "price_cents": 800, "animation": "comet", "active": false, "sort_order": 7},
			contains: []string{`"active":false`, `"price_cents":800`}, check: audited("gift.update")},
		{name: "change no gift", route: adminEdit, as: "admin", path: "/api/v1/admin/gifts/999999", status: 404,
			body: map[string]any{"name": "Comet", "price_cents": 800, "animation": "comet"}},
		{name: "the catalog without it", route: catalog, as: "client", status: 200,
			check: func(t *testing.T, w *world, res apptest.Response) {
				if strings.Contains(string(res.Body), `"name":"Comet"`) {
					t.Fatalf("a gift off offer is listed: %s", res.Body)
				}
			}},
	}
}

// LIV-6, LIV-7, AGO-4: a viewer's live connection to a stream first gets
// the stream, then the viewer count; chat sent through it reaches every
// viewer; a gift sent through the API arrives with its sender and split;
// the end arrives too. A viewer who may not watch is refused the
// connection.
func TestStreamSocket_LIV6_LIV7(t *testing.T) {
	eachApp(t, func(t *testing.T, s *apptest.Server) {
		w := newWorld(t, s)
		fundAPI(t, w, w.client, 5000)
		st, err := s.App.Live.Start(ctx, w.reader, liveInput("Evening tarot", "public"))
		if err != nil {
			t.Fatal(err)
		}
		c := streamDial(t, s, w.as["client"].Token, st.ID)
		if m := c.next(t); m.Type != "stream.state" || !strings.Contains(string(m.Data), `"title":"Evening tarot"`) {
			t.Fatalf("first message %s %s", m.Type, m.Data)
		}
		if m := c.next(t); m.Type != "stream.viewers" || !strings.Contains(string(m.Data), `"count":1`) {
			t.Fatalf("viewer count %s %s", m.Type, m.Data)
		}
		c.send(t, `{"type": "chat.message", "body": "Hello from the socket"}`)
		if m := c.next(t); m.Type != "stream.chat" || !strings.Contains(string(m.Data), `"body":"Hello from the socket"`) {
			t.Fatalf("chat %s %s", m.Type, m.Data)
		}
		gifts, err := s.App.Live.Gifts(ctx, false)
		if err != nil {
			t.Fatal(err)
		}
		res := w.as["client"].Do("POST", "/api/v1/streams/"+id(st.ID)+"/gifts", map[string]any{"gift_id": gifts[0].ID, "quantity": 2, "idempotency_key": "ws"})
		if res.Status != http.StatusCreated {
			t.Fatalf("gift: %d %s", res.Status, res.Body)
		}
		if m := c.next(t); m.Type != "stream.gift" || !strings.Contains(string(m.Data), `"sender_name":"cleo"`) || !strings.Contains(string(m.Data), `"quantity":2`) {
			t.Fatalf("gift %s %s", m.Type, m.Data)
		}
		if res := w.as["reader"].Do("POST", "/api/v1/streams/"+id(st.ID)+"/end", nil); res.Status != http.StatusOK {
			t.Fatalf("end: %d %s", res.Status, res.Body)
		}
		if m := c.next(t); m.Type != "stream.ended" || !strings.Contains(string(m.Data), `"reason":"reader"`) {
			t.Fatalf("end %s %s", m.Type, m.Data)
		}
		premium, err := s.App.Live.Start(ctx, w.reader, liveInput("Premium", "premium"))
		if err != nil {
			t.Fatal(err)
		}
		dctx, cancel := context.WithTimeout(ctx, wsWait)
		defer cancel()
		_, hres, err := websocket.Dial(dctx, "ws"+strings.TrimPrefix(s.URL, "http")+"/api/v1/streams/"+id(premium.ID)+"/ws",
			&websocket.DialOptions{HTTPHeader: http.Header{"Authorization": {"Bearer " + w.as["client"].Token}}})
		if err == nil || hres == nil || hres.StatusCode != http.StatusPaymentRequired {
			t.Fatalf("a premium stream's socket without a ticket: %v %v", err, hres)
		}
	})
}

// streamConn is a test's live connection to a stream.
type streamConn struct {
	c   *websocket.Conn
	out <-chan realtime.Message
}

// streamDial opens stream id's live connection with the bearer token.
func streamDial(t *testing.T, s *apptest.Server, token string, streamID int64) *streamConn {
	t.Helper()
	c := streamSocket(t, s, token, streamID)
	return &streamConn{c: c, out: wsMessages(c)}
}

func (sc *streamConn) next(t *testing.T) realtime.Message {
	t.Helper()
	return wsNext(t, sc.out)
}

func (sc *streamConn) send(t *testing.T, text string) {
	t.Helper()
	if err := sc.c.Write(ctx, websocket.MessageText, []byte(text)); err != nil {
		t.Fatal(err)
	}
}

// liveInput is a stream with title and visibility; a premium one's ticket
// costs $5.
func liveInput(title, visibility string) live.StartInput {
	in := live.StartInput{Title: title, Visibility: visibility}
	if visibility == "premium" {
		in.TicketPriceCents = 500
	}
	return in
}
