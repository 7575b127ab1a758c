package web_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/soulseer/soulseer/internal/apptest"
	"github.com/soulseer/soulseer/internal/db/dbtest"
	"github.com/soulseer/soulseer/internal/ledger"
	"github.com/soulseer/soulseer/internal/live"
	"github.com/soulseer/soulseer/internal/payment"
)

// LIV-3: the subscription pages. Luna's profile editor refuses a price
// that is not money or above the bound beside the field (400, nothing
// saved) and saves $9.99. Her premium stream offers the client a ticket
// and the subscription, with the renewal rule; her profile shows the
// subscription's price. With too little money the confirmation says what
// to add with a top-up link and charges nothing (402); with money it pays
// exactly the price, returns to the stream (next) and the stream opens
// without a ticket; the profile says "Subscribed until", /subscriptions
// lists it, Luna's dashboard counts one subscriber. Cancelling keeps it
// active to the period's end, resuming charges nothing; turning the price
// off takes the offer off her profile, and a lapsed subscription is listed
// as ended with a way to subscribe again. Bad ids and foreign next pages
// neither fail nor leave the site.
func TestSubscriptionPages_LIV3(t *testing.T) {
	t.Parallel()
	for _, e := range dbtest.Engines() {
		t.Run(string(e), func(t *testing.T) {
			t.Parallel()
			subscriptionPages(t, newWorld(t, apptest.Start(t, e, roomyLimits())))
		})
	}
}

func subscriptionPages(t *testing.T, w *world) {
	client, luna := w.as["client"], w.as["reader"]
	check := func(what string, res apptest.Response, status int, wants ...string) string {
		t.Helper()
		body := string(res.Body)
		if res.Status != status {
			t.Fatalf("%s: %d, want %d: %.800s", what, res.Status, status, body)
		}
		for _, want := range wants {
			if !strings.Contains(body, want) {
				t.Errorf("%s lacks %q", what, want)
			}
		}
		return body
	}
	get := func(c *apptest.Client, path string, status int, wants ...string) string {
		t.Helper()
		return check("GET "+path, c.Do("GET", path, nil), status, wants...)
	}
	post := func(c *apptest.Client, path string, v url.Values, status int, wants ...string) apptest.Response {
		t.Helper()
		res := c.Form(path, v)
		check("POST "+path, res, status, wants...)
		return res
	}
	wallet := func() int64 {
		t.Helper()
		b, err := w.s.App.Ledger.Balance(ctx, w.s.App.DB.Read(), ledger.Wallet(w.client.ID))
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	price := func() int64 {
		t.Helper()
		o, err := w.s.App.Live.SubscriptionOffer(ctx, w.client, w.reader.ID)
		if err != nil {
			t.Fatal(err)
		}
		return o.PriceCents
	}
	lunaID := id(w.reader.ID)

	// The reader's price, with field-level errors.
	get(luna, "/reader/profile", http.StatusOK, `action="/reader/subscription"`, `name="price"`, "Up to $500.00 a month")
	post(luna, "/reader/subscription", url.Values{"price": {"nine"}}, http.StatusBadRequest, "Enter an amount in dollars", `value="nine"`, `aria-invalid="true"`)
	post(luna, "/reader/subscription", url.Values{"price": {"500.01"}}, http.StatusBadRequest, "Charge 0 (no subscription) to $500.00 a month.")
	post(luna, "/reader/subscription", url.Values{"price": {"-3"}}, http.StatusBadRequest, "Enter an amount in dollars")
	if p := price(); p != 0 {
		t.Fatalf("a refused price was saved: %d", p)
	}
	post(luna, "/reader/subscription", url.Values{"price": {"9.99"}}, http.StatusSeeOther)
	if p := price(); p != 999 {
		t.Fatalf("the saved price is %d, want 999", p)
	}
	get(luna, "/reader/profile", http.StatusOK, `value="9.99"`, "Turn subscriptions off", "0 subscribers")

	// A premium stream offers both; the profile offers the subscription.
	st, err := w.s.App.Live.Start(ctx, w.reader, live.StartInput{Title: "Moon circle", Visibility: string(live.Premium), TicketPriceCents: 400})
	if err != nil {
		t.Fatal(err)
	}
	stream := "/streams/" + id(st.ID)
	get(client, stream, http.StatusPaymentRequired, "Buy a ticket for $4.00", "Subscribe to Luna Vale", "$9.99",
		`href="/readers/`+lunaID+`/subscribe?next=%2fstreams%2f`+id(st.ID)+`"`, "the price you subscribed at", "the subscription lapses and we tell you")
	get(client, "/readers/"+lunaID, http.StatusOK, "Monthly subscription", "Subscribe for $9.99 a month")
	get(w.as["anon"], "/readers/"+lunaID, http.StatusOK, "Subscribe for $9.99 a month")

	// A short wallet: told what to add, nothing charged.
	get(client, "/readers/"+lunaID+"/subscribe?next="+stream, http.StatusOK, "Pay $9.99 and subscribe", "$0.00 is $9.99 short", "renews by itself every month")
	post(client, "/readers/"+lunaID+"/subscribe", url.Values{"next": {stream}}, http.StatusPaymentRequired,
		"add $9.99 to subscribe", `href="/wallet?next=/readers/`+lunaID+`/subscribe"`)
	if _, err := w.s.App.Payments.Adjust(ctx, w.admin, payment.AdjustInput{UserID: w.client.ID, AmountCents: 2000, Reason: "subscription money"}); err != nil {
		t.Fatal(err)
	}

	// Subscribing pays the price once and opens the premium stream.
	res := post(client, "/readers/"+lunaID+"/subscribe", url.Values{"next": {stream}}, http.StatusSeeOther)
	if loc := res.Header.Get("Location"); loc != stream {
		t.Fatalf("subscribing led to %q, want %s", loc, stream)
	}
	if got := wallet(); got != 2000-999 {
		t.Fatalf("the wallet holds %d after subscribing, want %d", got, 2000-999)
	}
	get(client, stream, http.StatusOK, "Moon circle", "Send a gift")
	get(client, "/readers/"+lunaID, http.StatusOK, "Subscribed until", `action="/readers/`+lunaID+`/unsubscribe"`)
	get(client, "/subscriptions", http.StatusOK, "Luna Vale", "$9.99 a month", "renews on", `action="/readers/`+lunaID+`/unsubscribe"`)
	get(client, "/dashboard", http.StatusOK, `href="/subscriptions"`, "Luna Vale")
	get(luna, "/reader/dashboard", http.StatusOK, "Subscribers")
	get(luna, "/readers/"+lunaID, http.StatusOK, "1 subscriber")

	// Cancel: active to the period's end; resume: nothing charged.
	res = post(client, "/readers/"+lunaID+"/unsubscribe", url.Values{"next": {"/subscriptions"}}, http.StatusSeeOther)
	if loc := res.Header.Get("Location"); loc != "/subscriptions" {
		t.Fatalf("cancelling led to %q", loc)
	}
	get(client, "/subscriptions", http.StatusOK, "ends on", "Resume")
	get(client, stream, http.StatusOK, "Send a gift")
	post(client, "/readers/"+lunaID+"/subscribe", url.Values{"next": {"https://evil.example/"}}, http.StatusSeeOther)
	if got := wallet(); got != 2000-999 {
		t.Fatalf("resuming charged: the wallet holds %d", got)
	}
	get(client, "/subscriptions", http.StatusOK, "renews on")

	// Bad input: no 500s, no leaving the site.
	for _, path := range []string{"/readers/abc/subscribe", "/readers/0/subscribe", "/readers/999999/subscribe"} {
		get(client, path, http.StatusNotFound)
		post(client, path, nil, http.StatusNotFound)
	}
	post(client, "/readers/999999/unsubscribe", nil, http.StatusNotFound)
	post(w.as["admin"], "/readers/"+lunaID+"/unsubscribe", nil, http.StatusNotFound)
	get(luna, "/readers/"+lunaID+"/subscribe", http.StatusConflict, "You cannot subscribe to yourself.")
	if res := client.Form("/readers/"+lunaID+"/subscribe", url.Values{"next": {"//evil.example/x"}}); res.Header.Get("Location") != "/readers/"+lunaID {
		t.Fatalf("a foreign next led to %q", res.Header.Get("Location"))
	}

	// Turning it off takes the offer off her profile for new subscribers.
	post(luna, "/reader/subscription", url.Values{"price": {"9.99"}, "off": {"1"}}, http.StatusSeeOther)
	if p := price(); p != 0 {
		t.Fatalf("turned off, the price is %d", p)
	}
	if body := get(w.as["anon"], "/readers/"+lunaID, http.StatusOK); strings.Contains(body, "Subscribe for") {
		t.Error("a reader who turned subscriptions off still offers one")
	}

	// A lapsed subscription is listed as ended, with the way back.
	if _, err := w.s.App.DB.Writer.ExecContext(ctx, `UPDATE stream_subscriptions SET state = 'lapsed' WHERE subscriber_id = $1`, w.client.ID); err != nil {
		t.Fatal(err)
	}
	get(client, "/subscriptions", http.StatusOK, "You have no active subscriptions", "Ended", "lapsed on", "the wallet could not pay the next month",
		`href="/readers/`+lunaID+`/subscribe?next=/subscriptions"`)
	get(client, "/readers/"+lunaID+"/subscribe?next=/subscriptions", http.StatusOK, "Luna Vale offers no monthly subscription right now.")
}
