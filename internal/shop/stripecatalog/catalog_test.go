package stripecatalog_test

import (
	"context"
	"errors"
	"net/url"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/soulseer/soulseer/internal/shop/stripecatalog"
	"github.com/soulseer/soulseer/internal/stripetest"
)

const secretKey = "sk_test_soulseer"

// catalogue is a Stripe catalogue covering each way a product is read.
func catalogue() []map[string]any {
	return []map[string]any{
		stripeProduct("prod_reading_guide", "Reading guide", true, 1_700_000_000,
			map[string]string{"kind": "digital", "stock": "3"}, stripePrice("price_guide", "prod_reading_guide", "one_time", 1500, "usd")),
		stripeProduct("prod_old_deck", "Old tarot deck", false, 1_700_000_100,
			map[string]string{"kind": "Physical"}, stripePrice("price_deck", "prod_old_deck", "one_time", 4200, "usd")),
		stripeProduct("prod_broken", "Broken listing", true, 1_700_000_200,
			map[string]string{"kind": "ebook", "stock": "lots"}, nil),
		stripeProduct("prod_club", "Crystal club", true, 1_700_000_300,
			map[string]string{"kind": "physical", "stock": "-1"}, stripePrice("price_club", "prod_club", "recurring", 999, "usd")),
	}
}

func int64p(n int64) *int64 { return &n }

// SHOP-1: the whole catalogue, active and archived, is read page by page
// with each product's default price expanded, and each product's kind,
// stock, price and problems follow its metadata and default price.
func TestListPagesThroughCatalogue(t *testing.T) {
	t.Parallel()
	fake := newFakeStripe(t, 2, catalogue()...)
	got, err := stripecatalog.New(secretKey, fake.URL).List(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	calls := fake.received("GET", "/v1/products")
	if len(calls) != 2 {
		t.Fatalf("list requests = %d, want 2 pages", len(calls))
	}
	if after := calls[1].Query.Get("starting_after"); after != "prod_old_deck" {
		t.Errorf("second page starting_after = %q, want prod_old_deck", after)
	}
	for i, c := range calls {
		if !slices.Contains(expands(c.Query), "data.default_price") {
			t.Errorf("page %d expand = %v, want data.default_price", i+1, expands(c.Query))
		}
		if _, ok := c.Query["active"]; ok {
			t.Errorf("page %d filters on active; archived products must be listed too", i+1)
		}
	}
	want := []stripecatalog.Product{
		{ProductID: "prod_reading_guide", PriceID: "price_guide", Name: "Reading guide", Description: "Reading guide description",
			Kind: "digital", Stock: int64p(3), PriceCents: 1500, Currency: "usd", Active: true,
			ImageURL: "https://files.example/prod_reading_guide.png", Updated: time.Unix(1_700_000_000, 0).UTC()},
		{ProductID: "prod_old_deck", PriceID: "price_deck", Name: "Old tarot deck", Description: "Old tarot deck description",
			Kind: "physical", PriceCents: 4200, Currency: "usd", Active: false,
			ImageURL: "https://files.example/prod_old_deck.png", Updated: time.Unix(1_700_000_100, 0).UTC()},
		{ProductID: "prod_broken", Name: "Broken listing", Description: "Broken listing description", Active: true,
			ImageURL: "https://files.example/prod_broken.png", Updated: time.Unix(1_700_000_200, 0).UTC(),
			Problems: map[string]string{
				"kind":          `metadata "kind" is "ebook"; set it to "digital" or "physical"`,
				"stock":         `metadata "stock" is "lots"; set a whole number of 0 or more, or remove it for unlimited stock`,
				"default_price": "the product has no default price",
			}},
		{ProductID: "prod_club", PriceID: "price_club", Name: "Crystal club", Description: "Crystal club description",
			Kind: "physical", PriceCents: 999, Currency: "usd", Active: true,
			ImageURL: "https://files.example/prod_club.png", Updated: time.Unix(1_700_000_300, 0).UTC(),
			Problems: map[string]string{
				"stock":         `metadata "stock" is "-1"; set a whole number of 0 or more, or remove it for unlimited stock`,
				"default_price": "default price price_club is not a one-time price",
			}},
	}
	if len(got) != len(want) {
		t.Fatalf("listed %d products, want %d: %+v", len(got), len(want), got)
	}
	for i := range want {
		assertProduct(t, got[i], want[i])
	}
	if sellable := slices.IndexFunc(got, func(p stripecatalog.Product) bool { return p.Sellable() }); sellable != 0 || got[1].Sellable() || got[2].Sellable() || got[3].Sellable() {
		t.Errorf("only the reading guide is sellable; got sellable %v %v %v %v", got[0].Sellable(), got[1].Sellable(), got[2].Sellable(), got[3].Sellable())
	}
}

// SHOP-1: one product is read with its default price expanded; a product
// removed from Stripe answers ErrGone so the shop archives it.
func TestProductAndGone(t *testing.T) {
	t.Parallel()
	fake := newFakeStripe(t, 10, catalogue()...)
	c := stripecatalog.New(secretKey, fake.URL)
	ctx := context.Background()

	p, err := c.Product(ctx, "prod_reading_guide")
	if err != nil {
		t.Fatal(err)
	}
	if p.Kind != "digital" || p.Stock == nil || *p.Stock != 3 || p.PriceCents != 1500 || p.Currency != "usd" || !p.Sellable() {
		t.Errorf("product = %+v, want a sellable digital product, stock 3, 1500 usd", p)
	}
	calls := fake.received("GET", "/v1/products/prod_reading_guide")
	if len(calls) != 1 || !slices.Contains(expands(calls[0].Query), "default_price") {
		t.Errorf("retrieve requests = %+v, want one expanding default_price", calls)
	}

	fake.remove("prod_reading_guide")
	if _, err := c.Product(ctx, "prod_reading_guide"); !errors.Is(err, stripecatalog.ErrGone) {
		t.Errorf("deleted product: err = %v, want ErrGone", err)
	}
	if _, err := c.Product(ctx, "prod_never_existed"); !errors.Is(err, stripecatalog.ErrGone) {
		t.Errorf("unknown product: err = %v, want ErrGone", err)
	}
	if _, err := c.Product(ctx, ""); err == nil || errors.Is(err, stripecatalog.ErrGone) {
		t.Errorf("empty id: err = %v, want a plain error", err)
	}
	if n := len(fake.received("GET", "/v1/products/")); n != 0 {
		t.Errorf("empty id reached Stripe %d times", n)
	}
}

// SHOP-1: against stripe-mock, the list and retrieve requests are ones the
// Stripe API accepts, and the expanded default price is read from them.
func TestCatalogueAgainstStripeMock(t *testing.T) {
	t.Parallel()
	c := stripecatalog.New(secretKey, stripetest.Start(t))
	ctx := context.Background()
	list, err := c.List(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(list) == 0 {
		t.Fatal("stripe-mock listed no products")
	}
	one, err := c.Product(ctx, list[0].ProductID)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range []stripecatalog.Product{list[0], one} {
		// stripe-mock's fixture product has no metadata and a recurring
		// default price: read in full, then refused with reasons.
		if p.ProductID == "" || p.Name == "" || p.PriceID == "" || p.PriceCents <= 0 || p.Currency == "" {
			t.Errorf("product %+v: default price not read from the expanded object", p)
		}
		if p.Problems["kind"] == "" || p.Problems["default_price"] == "" || p.Sellable() {
			t.Errorf("product %+v: want kind and default_price problems", p)
		}
	}
}

// assertProduct compares every field of got with want.
func assertProduct(t *testing.T, got, want stripecatalog.Product) {
	t.Helper()
	if !reflect.DeepEqual(got, want) {
		stock := func(s *int64) any {
			if s == nil {
				return nil
			}
			return *s
		}
		t.Errorf("product\n got %+v (stock %v)\nwant %+v (stock %v)", got, stock(got.Stock), want, stock(want.Stock))
	}
}

// expands returns the fields a request asks Stripe to expand, however the
// list is indexed (expand[] or expand[0]).
func expands(q url.Values) []string {
	var out []string
	for k, v := range q {
		if strings.HasPrefix(k, "expand[") {
			out = append(out, v...)
		}
	}
	return out
}
