package shop_test

import (
	"context"
	"encoding/json"
	"sync"
	"testing"
	"time"

	"github.com/stripe/stripe-go/v85/webhook"

	"github.com/soulseer/soulseer/internal/shop"
	"github.com/soulseer/soulseer/internal/shop/stripecatalog"
)

// fakeCatalog is a Stripe catalog held in memory: what Stripe would
// answer now, changed by the test.
type fakeCatalog struct {
	mu       sync.Mutex
	products map[string]stripecatalog.Product
	order    []string
	promos   []stripecatalog.Promotion
}

func (f *fakeCatalog) set(p stripecatalog.Product) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.products == nil {
		f.products = map[string]stripecatalog.Product{}
	}
	if _, ok := f.products[p.ProductID]; !ok {
		f.order = append(f.order, p.ProductID)
	}
	f.products[p.ProductID] = p
}

func (f *fakeCatalog) delete(id string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	delete(f.products, id)
}

func (f *fakeCatalog) List(context.Context) ([]stripecatalog.Product, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	var out []stripecatalog.Product
	for _, id := range f.order {
		if p, ok := f.products[id]; ok {
			out = append(out, p)
		}
	}
	return out, nil
}

func (f *fakeCatalog) Product(_ context.Context, id string) (stripecatalog.Product, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	p, ok := f.products[id]
	if !ok {
		return stripecatalog.Product{}, stripecatalog.ErrGone
	}
	return p, nil
}

func (f *fakeCatalog) CreatePromotion(_ context.Context, p stripecatalog.Promotion) (string, string, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.promos = append(f.promos, p)
	return "co_" + p.Code, "promo_" + p.Code, nil
}

func stock(n int64) *int64 { return &n }

func stripeProduct(id, name, kind string, price int64, left *int64) stripecatalog.Product {
	return stripecatalog.Product{ProductID: id, PriceID: "price_" + id, Name: name, Kind: kind, PriceCents: price, Currency: "usd",
		Active: true, Stock: left, ImageURL: "https://files.stripe.com/" + id + ".png"}
}

// byStripe finds the product mirrored from Stripe product id.
func (w *world) byStripe(t *testing.T, id string) shop.Product {
	t.Helper()
	ps, err := w.shop.Products(ctx, shop.ProductFilter{All: true})
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range ps {
		if p.StripeProductID == id {
			return p
		}
	}
	t.Fatalf("no product mirrors %s", id)
	return shop.Product{}
}

// SHOP-1: a sync mirrors the Stripe catalog — sellable products created,
// one that cannot be sold skipped, a price change followed, stock set
// from Stripe only when Stripe's changes (a restock), an archived or
// deleted product leaving the shop while its orders keep their copy.
func TestCatalogSync(t *testing.T) {
	eachWorld(t, func(t *testing.T, w *world) {
		fake := &fakeCatalog{}
		w.shop.Catalog = fake
		fake.set(stripeProduct("prod_ritual", "Full Moon ritual", stripecatalog.KindDigital, 15_00, stock(3)))
		fake.set(stripeProduct("prod_deck", "Thoth deck", stripecatalog.KindPhysical, 25_00, nil))
		broken := stripeProduct("prod_broken", "No kind", "", 5_00, nil)
		broken.Problems = map[string]string{"kind": "missing"}
		fake.set(broken)

		res, err := w.shop.Sync(ctx)
		if err != nil || res.Created != 2 || res.Skipped != 1 || res.Updated != 0 {
			t.Fatalf("first sync %+v (%v), want 2 created and 1 skipped", res, err)
		}
		ritual := w.byStripe(t, "prod_ritual")
		if ritual.Kind != shop.Digital || ritual.PriceCents != 15_00 || *ritual.Stock != 3 || ritual.ImageURL == "" || !ritual.Active {
			t.Fatalf("mirrored %+v", ritual)
		}
		if _, err := w.shop.SetProductFile(ctx, w.admin, ritual.ID, "ritual.mp3", []byte("ID3 ritual")); err != nil {
			t.Fatal(err)
		}
		o, err := w.buy(t, w.client, ritual, 1, "")
		if err != nil {
			t.Fatal(err)
		}

		// a new price in Stripe; its stock there unchanged
		changed := stripeProduct("prod_ritual", "Full Moon ritual (2027)", stripecatalog.KindDigital, 18_00, stock(3))
		fake.set(changed)
		if res, err := w.shop.Sync(ctx); err != nil || res.Updated != 2 {
			t.Fatalf("second sync %+v (%v)", res, err)
		}
		ritual = w.byStripe(t, "prod_ritual")
		if ritual.PriceCents != 18_00 || ritual.Name != "Full Moon ritual (2027)" || *ritual.Stock != 2 {
			t.Fatalf("after a price change %+v, want 1800 and the 2 left after a sale", ritual)
		}
		// a restock in Stripe
		changed.Stock = stock(10)
		fake.set(changed)
		if _, err := w.shop.Sync(ctx); err != nil {
			t.Fatal(err)
		}
		if ritual = w.byStripe(t, "prod_ritual"); *ritual.Stock != 10 {
			t.Fatalf("after a restock in Stripe: stock %d, want 10", *ritual.Stock)
		}
		// archived in Stripe, then deleted there
		changed.Active = false
		fake.set(changed)
		fake.delete("prod_deck")
		res, err = w.shop.Sync(ctx)
		if err != nil || res.Archived != 2 {
			t.Fatalf("sync after archiving %+v (%v)", res, err)
		}
		onSale, _ := w.shop.Products(ctx, shop.ProductFilter{})
		if len(onSale) != 0 {
			t.Fatalf("%d products still on sale, want none", len(onSale))
		}
		kept, err := w.shop.Order(ctx, w.client, o.ID)
		if err != nil || kept.Items[0].Name != "Full Moon ritual" || kept.Items[0].UnitCents != 15_00 {
			t.Fatalf("the order's copy %+v (%v)", kept.Items, err)
		}
		last, ok, err := w.shop.LastSync(ctx)
		if err != nil || !ok || last.Archived != 2 || last.Error != "" {
			t.Fatalf("last sync %+v %v %v", last, ok, err)
		}

		// SHOP-4: with Stripe, a coupon is made there as a promotion code
		c, err := w.shop.CreateCoupon(ctx, w.admin, shop.CouponInput{Code: "stars20", PercentOff: 20, MaxRedemptions: 50})
		if err != nil || !c.InStripe || len(fake.promos) != 1 || fake.promos[0].Code != "STARS20" || fake.promos[0].PercentOff != 20 || fake.promos[0].MaxRedemptions != 50 {
			t.Fatalf("coupon %+v (%v), promotions %+v", c, err, fake.promos)
		}
	})
}

// SHOP-1: product and price webhooks, replayed and out of order, leave one
// catalog matching Stripe: each event only has the product read again.
func TestCatalogWebhooks(t *testing.T) {
	eachWorld(t, func(t *testing.T, w *world) {
		fake := &fakeCatalog{}
		w.shop.Catalog = fake
		deliver := func(id, typ string, object map[string]any) string {
			t.Helper()
			payload, _ := json.Marshal(map[string]any{"id": id, "object": "event", "type": typ, "api_version": "2025-01-01",
				"created": w.clk.Now().Unix(), "data": map[string]any{"object": object}})
			sig := webhook.GenerateTestSignedPayload(&webhook.UnsignedPayload{Payload: payload, Secret: w.s.App.Payments.WebhookSecret, Timestamp: w.clk.Now()}).Header
			res, err := w.s.App.Payments.HandleWebhook(ctx, payload, sig)
			if err != nil {
				t.Fatal(err)
			}
			if res.Duplicate {
				return "duplicate"
			}
			return res.Outcome
		}
		fake.set(stripeProduct("prod_candle", "Moon candle", stripecatalog.KindPhysical, 12_00, stock(20)))
		// Stripe's events, delivered newest first and one of them twice:
		// the price's event before the product's own
		if got := deliver("evt_2", "price.created", map[string]any{"id": "price_new", "object": "price", "product": "prod_candle", "unit_amount": 14_00}); got != "processed" {
			t.Fatalf("price.created: %s", got)
		}
		fake.set(stripeProduct("prod_candle", "Moon candle", stripecatalog.KindPhysical, 14_00, stock(20)))
		deliver("evt_1", "product.created", map[string]any{"id": "prod_candle", "object": "product", "name": "Moon candle"})
		if got := deliver("evt_2", "price.created", map[string]any{"id": "price_new", "object": "price", "product": "prod_candle"}); got != "duplicate" {
			t.Fatalf("a replayed event: %s, want duplicate", got)
		}
		deliver("evt_3", "product.updated", map[string]any{"id": "prod_other_gone", "object": "product"})

		// the queue reads each product again from Stripe
		deadline := time.Now().Add(20 * time.Second)
		for {
			ps, err := w.shop.Products(ctx, shop.ProductFilter{All: true})
			if err != nil {
				t.Fatal(err)
			}
			if len(ps) == 1 && ps[0].PriceCents == 14_00 && w.count(t, `SELECT COUNT(*) FROM river_job WHERE kind = 'shop.sync_product' AND state = 'completed'`) == 3 {
				if ps[0].StripeProductID != "prod_candle" || *ps[0].Stock != 20 || ps[0].Name != "Moon candle" {
					t.Fatalf("catalog after the events: %+v", ps[0])
				}
				break
			}
			if time.Now().After(deadline) {
				t.Fatalf("the catalog did not settle: %+v", ps)
			}
			time.Sleep(20 * time.Millisecond)
		}
		if n := w.count(t, `SELECT COUNT(*) FROM river_job WHERE kind = 'shop.sync_product'`); n != 3 {
			t.Fatalf("%d product reads queued, want 3 (the replay queues none)", n)
		}
	})
}
