package shop_test

import (
	"strings"
	"sync"
	"testing"

	"github.com/soulseer/soulseer/internal/account"
	"github.com/soulseer/soulseer/internal/apperr"
	"github.com/soulseer/soulseer/internal/shop"
)

// SHOP-3, SHOP-5: fifty buyers with money race for the last three items;
// exactly three orders are paid, each of the others is told the product
// is sold out and keeps their money, and the stock ends at zero.
func TestLastItemsRace(t *testing.T) {
	eachWorld(t, func(t *testing.T, w *world) {
		crystal := w.product(t, "Amethyst cluster", shop.Physical, 45_00, 3)
		buyers := make([]account.User, 50)
		for i := range buyers {
			buyers[i] = w.user(t, "Buyer")
			w.fund(t, buyers[i], 50_00)
		}
		var wg sync.WaitGroup
		errs := make([]error, len(buyers))
		for i, b := range buyers {
			wg.Add(1)
			go func() {
				defer wg.Done()
				_, errs[i] = w.buy(t, b, crystal, 1, "")
			}()
		}
		wg.Wait()
		paid, soldOut := 0, 0
		for i, err := range errs {
			switch {
			case err == nil:
				paid++
				if got := w.wallet(t, buyers[i]); got != 5_00 {
					t.Errorf("a buyer who got one has %d cents left, want 500", got)
				}
			case apperr.CodeOf(err) == apperr.Conflict && strings.Contains(apperr.MessageOf(err), "sold out"):
				soldOut++
				if got := w.wallet(t, buyers[i]); got != 50_00 {
					t.Errorf("a buyer told sold out has %d cents, want their 5000 untouched", got)
				}
			default:
				t.Errorf("unexpected answer: %v", err)
			}
		}
		if paid != 3 || soldOut != 47 {
			t.Fatalf("%d paid and %d sold out, want 3 and 47", paid, soldOut)
		}
		if s := w.stock(t, crystal.ID); s != 0 {
			t.Fatalf("stock %d after selling out, want 0", s)
		}
		if n := w.count(t, `SELECT COUNT(*) FROM shop_orders WHERE state = 'paid'`); n != 3 {
			t.Fatalf("%d paid orders in the database, want 3", n)
		}
		if n := w.count(t, `SELECT COUNT(*) FROM ledger_transfers WHERE type = 'order'`); n != 3 {
			t.Fatalf("%d order transfers, want 3", n)
		}
		w.verify(t)
	})
}

// SHOP-4: a coupon good for five orders, raced by twenty buyers, discounts
// exactly five; the others are told it is used up, and buy nothing.
func TestCouponRace(t *testing.T) {
	eachWorld(t, func(t *testing.T, w *world) {
		guide := w.product(t, "Tarot beginner's guide", shop.Digital, 20_00, -1)
		if _, err := w.shop.CreateCoupon(ctx, w.admin, shop.CouponInput{Code: "moon5", PercentOff: 25, MaxRedemptions: 5}); err != nil {
			t.Fatal(err)
		}
		var wg sync.WaitGroup
		var mu sync.Mutex
		discounted, usedUp := 0, 0
		for range 20 {
			b := w.user(t, "Buyer")
			w.fund(t, b, 20_00)
			wg.Add(1)
			go func() {
				defer wg.Done()
				o, err := w.buy(t, b, guide, 1, "MOON5")
				mu.Lock()
				defer mu.Unlock()
				switch {
				case err == nil && o.DiscountCents == 5_00 && o.TotalCents == 15_00 && o.State == shop.Delivered:
					discounted++
				case apperr.As(err) != nil && strings.Contains(apperr.As(err).Fields["coupon_code"], "used up"):
					usedUp++
				default:
					t.Errorf("unexpected answer: %+v %v", o, err)
				}
			}()
		}
		wg.Wait()
		if discounted != 5 || usedUp != 15 {
			t.Fatalf("%d discounted, %d used up; want 5 and 15", discounted, usedUp)
		}
		cs, err := w.shop.Coupons(ctx)
		if err != nil || len(cs) != 1 || cs[0].Redemptions != 5 {
			t.Fatalf("coupons %+v (%v), want 5 redemptions", cs, err)
		}
		if n := w.count(t, `SELECT COUNT(*) FROM shop_orders`); n != 5 {
			t.Fatalf("%d orders written, want 5", n)
		}
		w.verify(t)
	})
}

// SHOP-5: an order from the wallet is one transfer; sending the same
// request again answers the same order; a short wallet, a wrong coupon or
// a missing address changes nothing.
func TestWalletOrder(t *testing.T) {
	eachWorld(t, func(t *testing.T, w *world) {
		deck := w.product(t, "Rider-Waite tarot deck", shop.Physical, 30_00, 10)
		guide := w.product(t, "Guide", shop.Digital, 12_00, -1)
		req := shop.OrderRequest{Items: []shop.Line{{ProductID: deck.ID, Quantity: 1}, {ProductID: guide.ID, Quantity: 1}, {ProductID: deck.ID, Quantity: 1}},
			PayWith: shop.PayWallet, Shipping: home, Key: "cart-1"}
		o, replayed, err := w.shop.PlaceOrder(ctx, w.client, req)
		if err != nil || replayed {
			t.Fatal(err, replayed)
		}
		if o.State != shop.Paid || o.TotalCents != 72_00 || len(o.Items) != 2 || o.Items[0].Quantity != 2 || o.Shipping.Country != "US" {
			t.Fatalf("order %+v", o)
		}
		again, replayed, err := w.shop.PlaceOrder(ctx, w.client, req)
		if err != nil || !replayed || again.ID != o.ID {
			t.Fatalf("the same request again: %+v replayed=%v %v", again, replayed, err)
		}
		if got := w.wallet(t, w.client); got != 28_00 {
			t.Fatalf("wallet %d after one order of 7200 from 10000", got)
		}
		if s := w.stock(t, deck.ID); s != 8 {
			t.Fatalf("deck stock %d, want 8", s)
		}

		refused := []struct {
			name  string
			req   shop.OrderRequest
			code  apperr.Code
			field string
		}{
			{"short wallet", shop.OrderRequest{Items: []shop.Line{{ProductID: deck.ID, Quantity: 1}}, PayWith: shop.PayWallet, Shipping: home}, apperr.InsufficientFunds, ""},
			{"no address", shop.OrderRequest{Items: []shop.Line{{ProductID: guide.ID, Quantity: 1}, {ProductID: deck.ID, Quantity: 1}}, PayWith: shop.PayWallet}, apperr.Invalid, "shipping_address.name"},
			{"bad country", shop.OrderRequest{Items: []shop.Line{{ProductID: deck.ID, Quantity: 1}}, PayWith: shop.PayWallet,
				Shipping: &shop.Address{Name: "C", Line1: "1 St", City: "X", PostalCode: "1", Country: "USA"}}, apperr.Invalid, "shipping_address.country"},
			{"unknown coupon", shop.OrderRequest{Items: []shop.Line{{ProductID: guide.ID, Quantity: 1}}, PayWith: shop.PayWallet, CouponCode: "NOPE"}, apperr.Invalid, "coupon_code"},
			{"too many", shop.OrderRequest{Items: []shop.Line{{ProductID: deck.ID, Quantity: 9}}, PayWith: shop.PayWallet, Shipping: home}, apperr.Conflict, ""},
			{"empty cart", shop.OrderRequest{PayWith: shop.PayWallet}, apperr.Invalid, "items"},
			{"no way to pay", shop.OrderRequest{Items: []shop.Line{{ProductID: guide.ID, Quantity: 1}}}, apperr.Invalid, "pay_with"},
			{"no such product", shop.OrderRequest{Items: []shop.Line{{ProductID: 999, Quantity: 1}}, PayWith: shop.PayWallet}, apperr.Invalid, "items"},
		}
		for _, tc := range refused {
			_, _, err := w.shop.PlaceOrder(ctx, w.client, tc.req)
			if apperr.CodeOf(err) != tc.code || tc.field != "" && apperr.As(err).Fields[tc.field] == "" {
				t.Errorf("%s: %v, want %s naming %q", tc.name, err, tc.code, tc.field)
			}
		}
		if got := w.wallet(t, w.client); got != 28_00 {
			t.Fatalf("wallet %d after refused orders, want 2800", got)
		}
		if s := w.stock(t, deck.ID); s != 8 {
			t.Fatalf("deck stock %d after refused orders, want 8", s)
		}
		if n := w.count(t, `SELECT COUNT(*) FROM shop_orders`); n != 1 {
			t.Fatalf("%d orders, want 1", n)
		}
		w.verify(t)
	})
}
