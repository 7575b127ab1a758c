// Package shop holds the browser story of the shop: browsing, the cart,
// checkout from the wallet and by card, downloads and shipping (see
// package e2e).
package shop

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"testing"

	"github.com/soulseer/soulseer/internal/browsertest"
	"github.com/soulseer/soulseer/internal/db"
	"github.com/soulseer/soulseer/internal/demo"
	"github.com/soulseer/soulseer/internal/e2e"
	"github.com/soulseer/soulseer/internal/ledger"
	"github.com/soulseer/soulseer/internal/shop"
)

// TestShop follows the demo client through the shop on every engine, each
// page checked for accessibility at both widths.
func TestShop(t *testing.T) {
	e2e.EachEngine(t, testShop)
}

// download is what fetching a download link answered.
type download struct {
	Status      int    `json:"status"`
	Disposition string `json:"disposition"`
	Head        string `json:"head"`
	Size        int    `json:"size"`
	URL         string `json:"url"`
}

// fetchDownload clicks nothing: it sends the order page's Download form of
// item as the browser would and reads what its fresh link serves.
const fetchDownload = `(function (item) {
  var form = document.querySelector('[data-download="' + item + '"] form');
  return fetch(form.action, {method: "POST", body: new URLSearchParams(new FormData(form))}).then(function (r) {
    return r.text().then(function (t) {
      return {status: r.status, disposition: r.headers.get("Content-Disposition") || "", head: t.slice(0, 8), size: t.length, url: r.url};
    });
  });
})(%d)`

// testShop: the demo client, with $20 added to the wallet, browses the
// shop (four products, the amethyst "Only 2 left"), filters the downloads,
// puts the beginner's guide in the cart, applies WELCOME10 and pays from
// the wallet: the order is delivered at once with 10% off and the wallet
// charged $9.00 (SHOP-2, SHOP-4, SHOP-5, SHOP-7). Its Download button
// serves the PDF as an attachment through a link signed for the client,
// fresh at each click; an altered link is refused (SHOP-6, SHOP-8). The
// client then buys the tarot deck by card: an address without a city is
// sent back beside the field with nothing charged, then the built-in test
// checkout pays the order, which waits to ship with its stock taken
// (SHOP-3, SHOP-5). The admin finds it among the paid orders and ships it
// with a tracking number, and the client sees the tracking number on the
// order's page (SHOP-7).
func testShop(t *testing.T, e db.Engine) {
	ctx := context.Background()
	st := &story{e2e.Demo(t, e)}
	s, b := st.S, st.B
	client := st.User(demo.ClientEmail)
	tu, err := s.App.Payments.CreateTopUp(ctx, client, 20_00, "")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.App.Payments.PayTestCheckout(ctx, client, tu.CheckoutSessionID); err != nil {
		t.Fatal(err)
	}
	funds, err := s.App.Ledger.Balance(ctx, s.App.DB.Read(), ledger.Wallet(client.ID))
	if err != nil || funds < 20_00 {
		t.Fatalf("the client's wallet holds %d after the top-up (%v)", funds, err)
	}
	products, err := s.App.Shop.Products(ctx, shop.ProductFilter{})
	if err != nil {
		t.Fatal(err)
	}
	byName := map[string]shop.Product{}
	for _, p := range products {
		byName[p.Name] = p
	}
	guide, deck := byName[demo.ShopGuide], byName[demo.ShopDeck]

	tab := b.NewTab("client")
	st.LogIn(tab, demo.ClientEmail, demo.Password, "/dashboard")

	// SHOP-2, SHOP-3: the catalog with pictures, prices and what is left.
	tab.ClickNav(`.nav a[href="/shop"]`)
	if n := tab.Count(".shop-card"); n != 4 {
		t.Fatalf("the shop shows %d products, want the demo's 4", n)
	}
	tab.WaitText(fmt.Sprintf(`.shop-card[data-product-id="%d"] [data-stock]`, byName[demo.ShopAmethyst].ID), "Only 2 left")
	tab.WaitText(fmt.Sprintf(`.shop-card[data-product-id="%d"] [data-price]`, guide.ID), "$9.99")
	tab.Screenshot("shop")
	tab.Select(`select[name="kind"]`, "digital")
	tab.ClickNav(`[data-shop-filters] button[type="submit"]`)
	if n := tab.Count(".shop-card"); n != 2 {
		t.Fatalf("the digital filter shows %d products, want 2", n)
	}

	// The guide, into the cart, with the coupon (SHOP-4).
	tab.ClickNav(fmt.Sprintf(`.shop-card[data-product-id="%d"] .shop-card-link`, guide.ID))
	tab.WaitText("h1", demo.ShopGuide)
	tab.Screenshot("shop-product")
	tab.ClickNav("[data-add-to-cart]")
	if p := tab.Path(); p != "/shop/cart" {
		t.Fatalf("adding to the cart led to %s", p)
	}
	tab.WaitText(".flash", demo.ShopGuide+" is in your cart.")
	tab.Fill(`input[name="coupon_code"]`, "nope")
	tab.ClickNavStatus(`.cart-coupon button[type="submit"]`, 400)
	tab.WaitText(".cart-coupon .field-error", "There is no such coupon.")
	tab.Fill(`input[name="coupon_code"]`, "welcome10")
	tab.ClickNav(`.cart-coupon button[type="submit"]`)
	tab.WaitText("[data-discount]", "−$0.99")
	tab.WaitText("[data-cart-total]", "$9.00")
	tab.Screenshot("shop-cart")

	// SHOP-5: paid from the wallet, delivered at once.
	tab.ClickNav("[data-checkout]")
	if v := tab.Value(`input[name="coupon_code"]`); v != demo.ShopCoupon {
		t.Errorf("checkout's coupon field holds %q, want the cart's %s", v, demo.ShopCoupon)
	}
	if !tab.Checked(`input[name="pay_with"][value="wallet"]`) {
		t.Error("checkout does not choose the wallet, which covers the order")
	}
	tab.Screenshot("shop-checkout")
	tab.ClickNav("[data-place-order]")
	digital := st.orderOnPage(tab)
	tab.WaitText(".flash", "Thank you! Order #"+strconv.FormatInt(digital.ID, 10)+" is paid: $9.00 was taken from your wallet.")
	tab.WaitText("h1 [data-order-state]", "Delivered")
	tab.WaitText("[data-discount]", "−$0.99")
	if digital.State != shop.Delivered || digital.DiscountCents != 99 || digital.TotalCents != 9_00 || digital.CouponCode != demo.ShopCoupon {
		t.Fatalf("the guide's order %+v", digital)
	}
	st.CheckWallet(client.ID, funds-9_00)

	// SHOP-6, SHOP-8: the Download button serves the file through a fresh
	// link signed for the client; an altered one is refused.
	item := digital.Items[0].ID
	var first download
	for i := range 2 {
		got := browsertest.Eval[download](tab, fmt.Sprintf(fetchDownload, item))
		if got.Status != 200 || !strings.Contains(got.Disposition, `attachment; filename=tarot-beginners-guide.pdf`) || got.Head != "%PDF-1.4" || got.Size < 200 {
			t.Fatalf("download %d: %+v", i+1, got)
		}
		if !strings.Contains(got.URL, "/shop/downloads/"+strconv.FormatInt(item, 10)+"?e=") {
			t.Fatalf("download %d came from %s, not a signed link", i+1, got.URL)
		}
		first = got
	}
	tab.ExpectConsoleError("status of 403")
	altered := browsertest.Eval[int](tab, fmt.Sprintf(`fetch(%q + "x").then(function (r) { return r.status; })`, first.URL))
	if altered != 403 {
		t.Errorf("an altered link answered %d, want 403", altered)
	}

	// SHOP-3, SHOP-5: the deck by card, to an address.
	tab.Visit("/shop/products/" + strconv.FormatInt(deck.ID, 10))
	tab.WaitText("[data-stock]", "In stock")
	tab.ClickNav("[data-add-to-cart]")
	tab.ClickNav("[data-checkout]")
	tab.SetChecked(`input[name="pay_with"][value="card"]`, true)
	for name, v := range map[string]string{"name": "Alex Rivers", "line1": "12 Willow Lane", "postal_code": "97201", "country": "us"} {
		tab.Fill(`input[name="shipping_address.`+name+`"]`, v)
	}
	tab.ClickNavStatus("[data-place-order]", 400)
	tab.WaitText(`.ship-fields .field-error`, "Enter the city.")
	if v := tab.Value(`input[name="shipping_address.line1"]`); v != "12 Willow Lane" {
		t.Errorf("after the error the street holds %q", v)
	}
	st.CheckWallet(client.ID, funds-9_00)
	tab.Fill(`input[name="shipping_address.city"]`, "Portland")
	tab.ClickNav("[data-place-order]")
	if p := tab.Path(); !strings.HasPrefix(p, "/wallet/test-checkout/") {
		t.Fatalf("paying by card led to %s, want the test checkout", p)
	}
	tab.WaitText(".checkout-sum", "$24.00")
	tab.ClickNav(`.checkout-card form[action$="/pay"] button[type="submit"]`)
	parcel := st.orderOnPage(tab)
	if tab.URL().Query().Get("topup") == "" {
		t.Errorf("the checkout returned to %s, want the order with ?topup=", tab.URL())
	}
	tab.WaitText(".flash", "Payment received — $24.00 paid your order.")
	tab.WaitText("h1 [data-order-state]", "Paid")
	if parcel.State != shop.Paid || parcel.PayWith != shop.PayCard || parcel.Shipping == nil || parcel.Shipping.Country != "US" {
		t.Fatalf("the deck's order %+v", parcel)
	}
	if p, err := s.App.Shop.Product(ctx, deck.ID, false); err != nil || *p.Stock != 11 {
		t.Fatalf("the deck's stock after one sold: %v %v", p.Stock, err)
	}
	st.CheckWallet(client.ID, funds-9_00)
	tab.Screenshot("shop-order")

	// SHOP-7: the admin ships it with a tracking number.
	adm := b.NewTab("admin")
	st.LogIn(adm, demo.AdminEmail, demo.Password, "/admin")
	adm.ClickNav(`.tabs a[href="/admin/shop"]`)
	adm.WaitText(fmt.Sprintf(`tr[data-product-id="%d"] [data-stock-count]`, deck.ID), "11")
	adm.Screenshot("admin-shop")
	adm.ClickNav(`.tabs a[href="/admin/shop/orders"]`)
	adm.ClickNav(`.tabs a[href="/admin/shop/orders?state=paid"]`)
	if n := adm.Count("tr[data-order]"); n != 1 {
		t.Fatalf("%d paid orders listed, want the deck's", n)
	}
	adm.ClickNav(fmt.Sprintf(`tr[data-order="%d"] a`, parcel.ID))
	adm.WaitText("[data-shipping]", "12 Willow Lane")
	adm.Fill(`[data-ship-form] input[name="carrier"]`, "USPS")
	adm.ClickNavStatus("[data-ship]", 400)
	adm.WaitText("[data-ship-form] .field-error", "Give the tracking number")
	adm.Fill(`[data-ship-form] input[name="tracking_number"]`, "9400 1112 0206 2000 0000 01")
	adm.ClickNav("[data-ship]")
	adm.WaitText(".flash", "Marked as shipped")
	adm.WaitText("h1 [data-order-state]", "Shipped")
	adm.Screenshot("admin-shop-order")

	// The buyer sees the carrier and tracking number.
	tab.Visit("/shop/orders/" + strconv.FormatInt(parcel.ID, 10))
	tab.WaitText("h1 [data-order-state]", "Shipped")
	tab.WaitText("[data-carrier]", "USPS")
	tab.WaitText("[data-tracking]", "9400 1112 0206 2000 0000 01")
	tab.ClickNav(`a[href="/shop/orders"]`)
	if n := tab.Count("[data-order]"); n != 3 {
		t.Errorf("the client lists %d orders, want the demo's past one and today's two", n)
	}
	tab.CheckConsole()
	adm.CheckConsole()
}

// story is one run of a story in this package: the shared run (app, data,
// browser) with this package's own steps as methods.
type story struct{ *e2e.Story }

// orderOnPage is the order whose page tab shows, as the shop has it.
func (st *story) orderOnPage(tab *browsertest.Tab) shop.Order {
	st.T.Helper()
	p := tab.Path()
	id, err := strconv.ParseInt(strings.TrimPrefix(p, "/shop/orders/"), 10, 64)
	if err != nil {
		st.T.Fatalf("the browser is on %s, not an order's page", p)
	}
	o, err := st.S.App.Shop.Order(context.Background(), st.User(demo.AdminEmail), id)
	if err != nil {
		st.T.Fatal(err)
	}
	return o
}
