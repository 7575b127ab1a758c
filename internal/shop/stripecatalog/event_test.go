package stripecatalog_test

import (
	"context"
	"encoding/json"
	"errors"
	"testing"

	"github.com/soulseer/soulseer/internal/shop/stripecatalog"
	"github.com/stripe/stripe-go/v85"
)

// event decodes a Stripe event as the webhook endpoint receives it.
func event(t *testing.T, typ, object string) stripe.Event {
	t.Helper()
	var ev stripe.Event
	if err := json.Unmarshal([]byte(`{"id":"evt_1","object":"event","type":"`+typ+`","data":{"object":`+object+`}}`), &ev); err != nil {
		t.Fatal(err)
	}
	return ev
}

// SHOP-1: product and price events name the product they concern, whether
// a price carries its product as an id or an expanded object; other events
// name none.
func TestProductOfEvent(t *testing.T) {
	t.Parallel()
	cases := []struct {
		typ, object string
		want        string
	}{
		{"product.created", `{"id":"prod_a","object":"product","name":"A"}`, "prod_a"},
		{"product.updated", `{"id":"prod_a","object":"product","name":"A2","metadata":{"kind":"digital"}}`, "prod_a"},
		{"product.deleted", `{"id":"prod_a","object":"product","deleted":true}`, "prod_a"},
		{"price.created", `{"id":"price_1","object":"price","product":"prod_b","type":"one_time","unit_amount":1500}`, "prod_b"},
		{"price.updated", `{"id":"price_1","object":"price","product":{"id":"prod_c","object":"product","name":"C"}}`, "prod_c"},
		{"price.deleted", `{"id":"price_1","object":"price","product":"prod_d","deleted":true}`, "prod_d"},
		{"price.created", `{"id":"price_1","object":"price","product":null}`, ""},
		{"charge.succeeded", `{"id":"ch_1","object":"charge"}`, ""},
		{"product.updated", `{"object":"product","name":"no id"}`, ""},
	}
	for _, c := range cases {
		got, ok := stripecatalog.ProductOfEvent(event(t, c.typ, c.object))
		if got != c.want || ok != (c.want != "") {
			t.Errorf("%s %s: got %q, %v; want %q", c.typ, c.object, got, ok, c.want)
		}
	}
	if got, ok := stripecatalog.ProductOfEvent(stripe.Event{Type: "product.updated"}); ok {
		t.Errorf("event without data: got %q", got)
	}
}

// SHOP-1: events only point at a product; re-reading it converges on
// Stripe's current state whatever order stale events arrive in, and a
// deleted product's event leads to ErrGone.
func TestEventsConvergeOnStripeState(t *testing.T) {
	t.Parallel()
	fake := newFakeStripe(t, 10, catalogue()...)
	c := stripecatalog.New(secretKey, fake.URL)
	ctx := context.Background()
	// Stripe now holds a new default price of 1800; the events arrive
	// newest first, the stale price.created of the old 1500 price last.
	fake.setProduct(stripeProduct("prod_reading_guide", "Reading guide", true, 1_700_000_500,
		map[string]string{"kind": "digital", "stock": "2"}, stripePrice("price_guide2", "prod_reading_guide", "one_time", 1800, "usd")))
	events := []stripe.Event{
		event(t, "product.updated", `{"id":"prod_reading_guide","object":"product","default_price":"price_guide2"}`),
		event(t, "price.created", `{"id":"price_guide2","object":"price","product":"prod_reading_guide","type":"one_time","unit_amount":1800}`),
		event(t, "price.created", `{"id":"price_guide","object":"price","product":"prod_reading_guide","type":"one_time","unit_amount":1500}`),
	}
	for _, ev := range events {
		id, ok := stripecatalog.ProductOfEvent(ev)
		if !ok {
			t.Fatalf("%s: no product", ev.Type)
		}
		p, err := c.Product(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		if p.PriceID != "price_guide2" || p.PriceCents != 1800 || p.Stock == nil || *p.Stock != 2 {
			t.Errorf("after %s: %+v, want Stripe's current price_guide2 at 1800 with stock 2", ev.Type, p)
		}
	}
	if n := len(fake.received("GET", "/v1/products/prod_reading_guide")); n != len(events) {
		t.Errorf("re-read the product %d times, want %d", n, len(events))
	}

	fake.remove("prod_reading_guide")
	id, ok := stripecatalog.ProductOfEvent(event(t, "product.deleted", `{"id":"prod_reading_guide","object":"product","deleted":true}`))
	if !ok {
		t.Fatal("product.deleted: no product")
	}
	if _, err := c.Product(ctx, id); !errors.Is(err, stripecatalog.ErrGone) {
		t.Errorf("after product.deleted: err = %v, want ErrGone", err)
	}
}
