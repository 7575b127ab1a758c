package shop_test

import (
	"io"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/soulseer/soulseer/internal/apperr"
	"github.com/soulseer/soulseer/internal/payment"
	"github.com/soulseer/soulseer/internal/shop"
)

// link splits a download link into its item, expiry and signature.
func link(t *testing.T, d shop.Download) (item, expires int64, sig string) {
	t.Helper()
	u, err := url.Parse(d.URL)
	if err != nil || !strings.HasPrefix(u.Path, "/shop/downloads/") {
		t.Fatalf("download link %q", d.URL)
	}
	item, _ = strconv.ParseInt(strings.TrimPrefix(u.Path, "/shop/downloads/"), 10, 64)
	expires, _ = strconv.ParseInt(u.Query().Get("e"), 10, 64)
	return item, expires, u.Query().Get("s")
}

// SHOP-6, SHOP-8: a bought digital item's link opens its file for the
// buyer only; another user, an altered link and an expired one are
// refused; asking again gives a fresh link that works; a refunded order's
// links stop working.
func TestDownloadLinks(t *testing.T) {
	eachWorld(t, func(t *testing.T, w *world) {
		guide := w.product(t, "Tarot beginner's guide", shop.Digital, 12_00, -1)
		o, err := w.buy(t, w.client, guide, 1, "")
		if err != nil {
			t.Fatal(err)
		}
		if o.State != shop.Delivered || o.DeliveredAt == nil {
			t.Fatalf("a digital order is %s, want delivered once paid (SHOP-7)", o.State)
		}
		ds, err := w.shop.Downloads(ctx, w.client, o.ID)
		if err != nil || len(ds) != 1 || ds[0].FileName != "guide.pdf" || !ds[0].ExpiresAt.Equal(t0.Add(shop.DefaultDownloadTTL)) {
			t.Fatalf("downloads %+v (%v)", ds, err)
		}
		item, expires, sig := link(t, ds[0])
		f, err := w.shop.OpenDownload(ctx, w.client, item, expires, sig)
		if err != nil || f.File == nil {
			t.Fatalf("the buyer's link: %+v %v", f, err)
		}
		body, _ := io.ReadAll(f.File)
		f.File.Close()
		if string(body) != "%PDF-1.4 the guide Tarot beginner's guide" || f.Name != "guide.pdf" {
			t.Fatalf("the file is %q named %q", body, f.Name)
		}

		thief := w.user(t, "Thief")
		if _, err := w.shop.Downloads(ctx, thief, o.ID); apperr.CodeOf(err) != apperr.NotFound {
			t.Fatalf("another user's downloads: %v, want NotFound", err)
		}
		refusals := []struct {
			name          string
			item, expires int64
			sig           string
			code          apperr.Code
		}{
			{"altered signature", item, expires, sig[:len(sig)-2] + "AA", apperr.Forbidden},
			{"longer life", item, expires + 3600, sig, apperr.Forbidden},
			{"another item", item + 1, expires, sig, apperr.Forbidden},
		}
		for _, r := range refusals {
			if _, err := w.shop.OpenDownload(ctx, w.client, r.item, r.expires, r.sig); apperr.CodeOf(err) != r.code {
				t.Errorf("%s: %v, want %s", r.name, err, r.code)
			}
		}
		if _, err := w.shop.OpenDownload(ctx, thief, item, expires, sig); apperr.CodeOf(err) != apperr.Forbidden {
			t.Fatalf("another user with the buyer's link: %v, want Forbidden", err)
		}

		w.clk.Advance(shop.DefaultDownloadTTL)
		if _, err := w.shop.OpenDownload(ctx, w.client, item, expires, sig); apperr.CodeOf(err) != apperr.Gone {
			t.Fatalf("an expired link: %v, want Gone", err)
		}
		fresh, err := w.shop.Downloads(ctx, w.client, o.ID)
		if err != nil || len(fresh) != 1 || fresh[0].URL == ds[0].URL {
			t.Fatalf("a fresh link: %+v (%v)", fresh, err)
		}
		item, expires, sig = link(t, fresh[0])
		if f, err := w.shop.OpenDownload(ctx, w.client, item, expires, sig); err != nil {
			t.Fatalf("the fresh link: %v", err)
		} else {
			f.File.Close()
		}

		if _, err := w.shop.Refund(ctx, w.admin, o.ID, "Bought twice by mistake"); err != nil {
			t.Fatal(err)
		}
		if _, err := w.shop.OpenDownload(ctx, w.client, item, expires, sig); apperr.CodeOf(err) != apperr.Gone {
			t.Fatalf("a refunded order's link: %v, want Gone", err)
		}
		if _, err := w.shop.Downloads(ctx, w.client, o.ID); apperr.CodeOf(err) != apperr.Conflict {
			t.Fatalf("downloads of a refunded order: %v, want Conflict", err)
		}
		w.clk.Advance(time.Minute)
		w.verify(t)
	})
}

// SHOP-7: a physical order goes paid → shipped (carrier and tracking
// number) → delivered, each step told to the buyer and audited; a refund
// restocks and returns what is left of the money after a part refunded
// from the admins' refund page; steps out of order are refused.
func TestOrderLife(t *testing.T) {
	eachWorld(t, func(t *testing.T, w *world) {
		deck := w.product(t, "Rider-Waite tarot deck", shop.Physical, 30_00, 5)
		guide := w.product(t, "Guide", shop.Digital, 10_00, -1)
		o, err := w.buy(t, w.client, deck, 2, "")
		if err != nil || o.State != shop.Paid {
			t.Fatalf("%+v %v", o, err)
		}
		if _, err := w.shop.Deliver(ctx, w.admin, o.ID); apperr.CodeOf(err) != apperr.Conflict {
			t.Fatalf("delivering an order not shipped: %v, want Conflict", err)
		}
		if _, err := w.shop.Ship(ctx, w.admin, o.ID, "", ""); apperr.CodeOf(err) != apperr.Invalid {
			t.Fatalf("shipping without carrier: %v", err)
		}
		digital, _ := w.buy(t, w.client, guide, 1, "")
		if _, err := w.shop.Ship(ctx, w.admin, digital.ID, "USPS", "1Z"); apperr.CodeOf(err) != apperr.Conflict {
			t.Fatalf("shipping a digital order: %v, want Conflict", err)
		}
		shipped, err := w.shop.Ship(ctx, w.admin, o.ID, "USPS", "9400 1000 0000 0000 0000 00")
		if err != nil || shipped.State != shop.Shipped || shipped.TrackingNumber != "9400 1000 0000 0000 0000 00" || shipped.ShippedAt == nil {
			t.Fatalf("shipped: %+v %v", shipped, err)
		}
		if again, err := w.shop.Ship(ctx, w.admin, o.ID, "USPS", "9400 1000 0000 0000 0000 00"); err != nil || again.State != shop.Shipped {
			t.Fatalf("shipping again: %+v %v", again, err)
		}
		delivered, err := w.shop.Deliver(ctx, w.admin, o.ID)
		if err != nil || delivered.State != shop.Delivered {
			t.Fatalf("delivered: %+v %v", delivered, err)
		}
		if _, err := w.shop.Refund(ctx, w.admin, o.ID, ""); apperr.CodeOf(err) != apperr.Invalid {
			t.Fatalf("a refund without a reason: %v", err)
		}
		before := w.wallet(t, w.client)
		// part of the charge refunded from the admins' refund page first
		var charge int64
		if err := w.s.App.DB.Read().QueryRowContext(ctx, `SELECT id FROM ledger_transfers WHERE type = 'order' AND cause_id = $1`, itoa(o.ID)).Scan(&charge); err != nil {
			t.Fatal(err)
		}
		if _, err := w.s.App.Payments.RefundMoney(ctx, w.admin, payment.RefundInput{Kind: payment.RefundWallet, TransferID: charge, AmountCents: 10_00,
			Reason: "Late delivery", Key: "late"}); err != nil {
			t.Fatal(err)
		}
		refunded, err := w.shop.Refund(ctx, w.admin, o.ID, "Arrived damaged")
		if err != nil || refunded.State != shop.Refunded {
			t.Fatalf("refunded: %+v %v", refunded, err)
		}
		if _, err := w.shop.Refund(ctx, w.admin, o.ID, "Arrived damaged"); err != nil {
			t.Fatalf("refunding again: %v", err)
		}
		if got := w.wallet(t, w.client); got != before+60_00 {
			t.Fatalf("wallet %d after the refunds, want %d: the order's 6000 back once", got, before+60_00)
		}
		if s := w.stock(t, deck.ID); s != 5 {
			t.Fatalf("stock %d after the refund, want 5", s)
		}
		for action, want := range map[string]int{"shop.order_shipped": 1, "shop.order_delivered": 1, "shop.order_refunded": 1} {
			if n := w.count(t, `SELECT COUNT(*) FROM audit_log WHERE action = $1 AND object_id = $2`, action, itoa(o.ID)); n != want {
				t.Errorf("%d audit records of %s, want %d", n, action, want)
			}
		}
		if n := w.count(t, `SELECT COUNT(*) FROM notifications WHERE user_id = $1 AND kind = 'order' AND url = $2`, w.client.ID, "/shop/orders/"+itoa(o.ID)); n != 4 {
			t.Fatalf("%d notifications of the order, want 4 (paid, shipped, delivered, refunded)", n)
		}
		w.verify(t)
	})
}
