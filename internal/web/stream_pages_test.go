package web_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/soulseer/soulseer/internal/account"
	"github.com/soulseer/soulseer/internal/apptest"
	"github.com/soulseer/soulseer/internal/db/dbtest"
	"github.com/soulseer/soulseer/internal/live"
	"github.com/soulseer/soulseer/internal/payment"
)

// LIV-1, LIV-2, LIV-3, LIV-7, LIV-9: the livestream pages. A reader not
// verified is told they cannot go live; Luna's go-live form refuses a
// premium stream without a price and a private one inviting an unknown
// email beside the field, then puts her live with a premium stream. The
// landing page and the directory list it under "Live now"; the client
// without a ticket is offered one (402) and, with too little money, told
// so in place with a top-up link; with money the ticket opens the stream:
// the video area says video needs Agora, the chat, the gift tray with
// prices and the balance, the top gifters. A private stream is a 403 for
// anyone not invited. Ending the stream from the go-live page shows the
// stream ended and lists it on Luna's profile among her past streams.
func TestStreamPages_LIV1(t *testing.T) {
	t.Parallel()
	for _, e := range dbtest.Engines() {
		t.Run(string(e), func(t *testing.T) {
			t.Parallel()
			streamPages(t, newWorld(t, apptest.Start(t, e, roomyLimits())))
		})
	}
}

func streamPages(t *testing.T, w *world) {
	client, luna := w.as["client"], w.as["reader"]
	page := func(c *apptest.Client, path string, status int, wants ...string) string {
		t.Helper()
		return pageWants(t, c, path, status, wants...)
	}
	form := func(c *apptest.Client, path string, v url.Values, status int, wants ...string) {
		t.Helper()
		formWants(t, c, path, v, status, wants...)
	}

	page(w.as["pending"], "/reader/live", http.StatusOK, "Only verified readers can go live")
	page(luna, "/reader/live", http.StatusOK, "Go live", `name="title"`, `value="premium"`)
	form(luna, "/reader/live", url.Values{"title": {"Moon talk"}, "visibility": {"premium"}, "ticket_price": {"five"}}, http.StatusBadRequest,
		"Write the ticket&#39;s price in dollars", `value="Moon talk"`)
	form(luna, "/reader/live", url.Values{"title": {"Moon talk"}, "visibility": {"private"}, "invites": {"nobody@example.com"}}, http.StatusBadRequest,
		"Nobody here has the email nobody@example.com.")
	form(luna, "/reader/live", url.Values{"title": {"Moon talk"}, "visibility": {"premium"}, "ticket_price": {"4.50"}}, http.StatusSeeOther)
	body := page(luna, "/reader/live", http.StatusOK, "You are live: Moon talk", "End stream", "Video needs Agora", "Top gifters", "js/stream.", "js/chat.")
	if strings.Contains(body, "Send a gift") {
		t.Error("the reader is offered gifts for her own stream")
	}
	st, ok, err := w.s.App.Live.Current(ctx, w.reader)
	if err != nil || !ok {
		t.Fatalf("Luna is not live: %v %v", ok, err)
	}
	path := "/streams/" + id(st.ID)
	page(w.as["anon"], "/", http.StatusOK, "Live now", "Moon talk", `href="`+path+`"`)
	page(client, "/readers", http.StatusOK, "Live now", "Moon talk")

	page(client, path, http.StatusPaymentRequired, "This is a premium stream", "$4.50", `action="`+path+`/ticket"`)
	form(client, path+"/ticket", nil, http.StatusPaymentRequired, "Top up your wallet", `href="/wallet"`)
	if _, err := w.s.App.Payments.Adjust(ctx, w.admin, payment.AdjustInput{UserID: w.client.ID, AmountCents: 2000, Reason: "stream money"}); err != nil {
		t.Fatal(err)
	}
	form(client, path+"/ticket", nil, http.StatusSeeOther)
	if _, err := w.s.App.Live.Say(ctx, w.client, st.ID, "Hello Luna"); err != nil {
		t.Fatal(err)
	}
	page(client, path, http.StatusOK, "Moon talk", "Video needs Agora", "Send a gift", "$15.50", "Hello Luna", "Top gifters", "No gifts yet.",
		`data-gift-id="`, "watching")

	form(luna, "/reader/live/end", nil, http.StatusSeeOther)
	page(client, path, http.StatusOK, "This stream has ended.")
	page(client, "/readers/"+id(w.reader.ID), http.StatusOK, "Streams", "Moon talk")

	// A private stream: the invited client watches, anyone else gets a 403.
	form(luna, "/reader/live", url.Values{"title": {"Circle"}, "visibility": {"private"}, "invites": {w.client.Email}}, http.StatusSeeOther)
	priv, _, _ := w.s.App.Live.Current(ctx, w.reader)
	page(client, "/streams/"+id(priv.ID), http.StatusOK, "Circle")
	stranger := bearer(t, w.s, w.s.CreateUser("stranger@example.com", account.RoleClient))
	page(stranger, "/streams/"+id(priv.ID), http.StatusForbidden, "only people Luna Vale invited")
	if _, err := w.s.App.Live.End(ctx, w.reader, priv.ID); err != nil {
		t.Fatal(err)
	}
}

// LIV-4, SEC-4: the admin's gift catalog page lists every gift, adds one,
// refuses a bad price beside its field, and edits a gift's name, price,
// animation and offer, each change in the audit log.
func TestAdminGiftsPage_LIV4(t *testing.T) {
	t.Parallel()
	for _, e := range dbtest.Engines() {
		t.Run(string(e), func(t *testing.T) {
			t.Parallel()
			w := newWorld(t, apptest.Start(t, e, roomyLimits()))
			admin := w.as["admin"]
			res := admin.Do("GET", "/admin/gifts", nil)
			if res.Status != http.StatusOK || !strings.Contains(string(res.Body), "Gift catalog") || !strings.Contains(string(res.Body), `action="/admin/gifts"`) {
				t.Fatalf("the catalog page: %d %.400s", res.Status, res.Body)
			}
			res = admin.Form("/admin/gifts", url.Values{"name": {"Lantern"}, "price": {"two"}, "animation": {"moon"}, "sort_order": {"5"}, "active": {"on"}})
			if res.Status != http.StatusBadRequest || !strings.Contains(string(res.Body), "Write the price in dollars") || !strings.Contains(string(res.Body), `value="Lantern"`) {
				t.Fatalf("a bad price: %d %.400s", res.Status, res.Body)
			}
			if res = admin.Form("/admin/gifts", url.Values{"name": {"Lantern"}, "price": {"2.25"}, "animation": {"moon"}, "sort_order": {"5"}, "active": {"on"}}); res.Status != http.StatusSeeOther {
				t.Fatalf("add a gift: %d %.400s", res.Status, res.Body)
			}
			gifts, err := w.s.App.Live.Gifts(ctx, true)
			if err != nil {
				t.Fatal(err)
			}
			var lantern live.Gift
			for _, g := range gifts {
				if g.Name == "Lantern" {
					lantern = g
				}
			}
			if lantern.PriceCents != 225 || lantern.Animation != "moon" || !lantern.Active {
				t.Fatalf("the new gift: %+v", lantern)
			}
			if res = admin.Form("/admin/gifts/"+id(lantern.ID), url.Values{"name": {"Lamp"}, "price": {"3"}, "animation": {"star"}, "sort_order": {"6"}}); res.Status != http.StatusSeeOther {
				t.Fatalf("edit the gift: %d %.400s", res.Status, res.Body)
			}
			res = admin.Do("GET", "/admin/gifts", nil)
			if !strings.Contains(string(res.Body), `value="Lamp"`) || !strings.Contains(string(res.Body), `value="3.00"`) {
				t.Fatalf("the edited gift is not listed: %.2000s", res.Body)
			}
			offered, _ := w.s.App.Live.Gifts(ctx, false)
			for _, g := range offered {
				if g.ID == lantern.ID {
					t.Fatal("a gift taken off offer is still offered")
				}
			}
			var audits int
			if err := w.s.App.DB.Read().QueryRowContext(ctx, `SELECT COUNT(*) FROM audit_log WHERE model = 'gift' AND object_id = $1`, id(lantern.ID)).Scan(&audits); err != nil {
				t.Fatal(err)
			}
			if audits != 2 {
				t.Fatalf("%d audit records of the gift, want 2", audits)
			}
		})
	}
}
