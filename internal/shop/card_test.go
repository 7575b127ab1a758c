package shop_test

import (
	"path"
	"testing"
	"time"

	"github.com/soulseer/soulseer/internal/notify"
	"github.com/soulseer/soulseer/internal/shop"
)

// session is the checkout session id at the end of o's checkout page.
func session(t *testing.T, o shop.Order) string {
	t.Helper()
	if o.CheckoutURL == "" {
		t.Fatalf("order %d has no checkout page", o.ID)
	}
	return path.Base(o.CheckoutURL)
}

// SHOP-5, SHOP-3: a card checkout holds the stock while the buyer pays on
// the checkout page; the card's money arrives as a top-up that pays the
// order in the same transaction, so the wallet ends where it started.
func TestCardCheckoutPays(t *testing.T) {
	eachWorld(t, func(t *testing.T, w *world) {
		deck := w.product(t, "Rider-Waite tarot deck", shop.Physical, 30_00, 2)
		o, _, err := w.shop.PlaceOrder(ctx, w.client, shop.OrderRequest{Items: []shop.Line{{ProductID: deck.ID, Quantity: 2}},
			PayWith: shop.PayCard, Shipping: home})
		if err != nil {
			t.Fatal(err)
		}
		if o.State != shop.Pending || o.ReservedUntil == nil || !o.ReservedUntil.Equal(t0.Add(shop.ReservationTTL)) {
			t.Fatalf("card order %+v, want pending until %s", o, t0.Add(shop.ReservationTTL))
		}
		if s := w.stock(t, deck.ID); s != 0 {
			t.Fatalf("stock %d while the checkout holds both decks, want 0", s)
		}
		if _, err := w.buy(t, w.user(t, "Late"), deck, 1, ""); err == nil {
			t.Fatal("a deck held by a checkout was sold again")
		}
		if _, err := w.s.App.Payments.PayTestCheckout(ctx, w.client, session(t, o)); err != nil {
			t.Fatal(err)
		}
		got, err := w.shop.Order(ctx, w.client, o.ID)
		if err != nil || got.State != shop.Paid || got.PaidAt == nil || got.CheckoutURL != "" {
			t.Fatalf("after paying by card: %+v (%v)", got, err)
		}
		if b := w.wallet(t, w.client); b != 100_00 {
			t.Fatalf("wallet %d after a card payment, want the 10000 it had", b)
		}
		if n := w.count(t, `SELECT COUNT(*) FROM ledger_transfers WHERE type = 'order' AND cause_id = $1`, itoa(o.ID)); n != 1 {
			t.Fatalf("%d order transfers, want 1", n)
		}
		// nothing expires a paid order
		w.clk.Advance(time.Hour)
		if n, err := w.shop.ExpireReservations(ctx); err != nil || n != 0 {
			t.Fatalf("expired %d (%v), want none", n, err)
		}
		w.verify(t)
	})
}

// SHOP-3: a card checkout left unpaid past its reservation is cancelled
// by the sweep, giving its stock and its coupon use back; paying its page
// afterwards leaves the money in the wallet and says so.
func TestCardCheckoutExpires(t *testing.T) {
	eachWorld(t, func(t *testing.T, w *world) {
		crystal := w.product(t, "Amethyst cluster", shop.Physical, 40_00, 1)
		if _, err := w.shop.CreateCoupon(ctx, w.admin, shop.CouponInput{Code: "ONCE", AmountOffCents: 10_00, MaxRedemptions: 1}); err != nil {
			t.Fatal(err)
		}
		o, _, err := w.shop.PlaceOrder(ctx, w.client, shop.OrderRequest{Items: []shop.Line{{ProductID: crystal.ID, Quantity: 1}},
			PayWith: shop.PayCard, Shipping: home, CouponCode: "once"})
		if err != nil {
			t.Fatal(err)
		}
		if o.TotalCents != 30_00 || o.DiscountCents != 10_00 {
			t.Fatalf("order %+v, want 3000 after 1000 off", o)
		}
		w.clk.Advance(shop.ReservationTTL - time.Second)
		if n, err := w.shop.ExpireReservations(ctx); err != nil || n != 0 {
			t.Fatalf("expired %d (%v) before the reservation ended", n, err)
		}
		w.clk.Advance(time.Second)
		if n, err := w.shop.ExpireReservations(ctx); err != nil || n != 1 {
			t.Fatalf("expired %d (%v), want 1", n, err)
		}
		got, err := w.shop.Order(ctx, w.client, o.ID)
		if err != nil || got.State != shop.Cancelled || got.ClosedAt == nil {
			t.Fatalf("after the reservation: %+v (%v)", got, err)
		}
		if s := w.stock(t, crystal.ID); s != 1 {
			t.Fatalf("stock %d after the reservation ended, want 1 back", s)
		}
		cs, _ := w.shop.Coupons(ctx)
		if cs[0].Redemptions != 0 {
			t.Fatalf("coupon redemptions %d after the order was cancelled, want 0", cs[0].Redemptions)
		}
		// the checkout page paid late: the money stays in the wallet
		if _, err := w.s.App.Payments.PayTestCheckout(ctx, w.client, session(t, o)); err != nil {
			t.Fatal(err)
		}
		if b := w.wallet(t, w.client); b != 130_00 {
			t.Fatalf("wallet %d after a late card payment, want 13000", b)
		}
		if got, _ := w.shop.Order(ctx, w.client, o.ID); got.State != shop.Cancelled {
			t.Fatalf("a cancelled order became %s", got.State)
		}
		items, err := w.s.App.Notify.List(ctx, w.client.ID, notify.ListFilter{})
		if err != nil || len(items) < 2 || items[0].Title != "Your payment for order #"+itoa(o.ID)+" is in your wallet" ||
			items[1].Title != "Order #"+itoa(o.ID)+" was cancelled" {
			t.Fatalf("notifications %+v (%v)", items, err)
		}
		// the crystal is for sale again, and the coupon too
		other := w.user(t, "Other")
		w.fund(t, other, 40_00)
		if o2, err := w.buy(t, other, crystal, 1, "ONCE"); err != nil || o2.TotalCents != 30_00 {
			t.Fatalf("buying the released crystal: %+v %v", o2, err)
		}
		w.verify(t)
	})
}
