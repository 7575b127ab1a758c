package web_test

import (
	"bytes"
	"html"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/soulseer/soulseer/internal/account"
	"github.com/soulseer/soulseer/internal/apptest"
	"github.com/soulseer/soulseer/internal/clock"
	"github.com/soulseer/soulseer/internal/db/dbtest"
)

// shopCartCookie is a browser's request with client A's digital product
// of the matrix in its cart (SHOP-5).
func shopCartCookie(t *testing.T, m *authzWorld) ([]byte, []string) {
	return nil, []string{"Cookie", "soulseer_cart=" + m.vals["apidigital"] + "x1"}
}

// shopCheckoutForm is the checkout form of that cart, paid from the
// wallet under a request key of the cell's own.
func shopCheckoutForm(t *testing.T, m *authzWorld) ([]byte, []string) {
	form := url.Values{"request_key": {m.fill("matrix-page-{n}")}, "pay_with": {"wallet"}}
	return []byte(form.Encode()), []string{"Content-Type", "application/x-www-form-urlencoded", "Cookie", "soulseer_cart=" + m.vals["apidigital"] + "x1"}
}

// shopDownloadOfA is {shopitem}, the digital item of client A's order of
// the matrix, and {shopdownload}, a fresh link to it signed for A (SHOP-6).
func shopDownloadOfA(t *testing.T, m *authzWorld) {
	t.Helper()
	apiShopOfA(t, m)
	links, err := m.s.App.Shop.Downloads(ctx, m.client, mustID(t, m.vals["apiorder"]))
	if err != nil || len(links) != 1 || !strings.HasPrefix(links[0].URL, "/shop/downloads/") {
		t.Fatalf("the matrix order's downloads: %v %+v", err, links)
	}
	m.vals["shopitem"], m.vals["shopdownload"] = id(links[0].ItemID), links[0].URL
}

// SHOP-2 … SHOP-8 through the pages on both engines: the catalog and its
// filters, a cart kept in a cookie whose tampering is cut back to what
// could be ordered, checkout refusals (short wallet with the shortfall,
// a missing city, an unknown coupon) that charge nothing and keep the
// cart, an order placed once under its form's key, its downloads (a
// fresh link at each click, refused to others, expired after a day) and
// the admin's forms: a product with its file and picture, a coupon, and
// shipping, delivering and refunding an order, each refusal named beside
// its field.
func TestShopPages_SHOP2_SHOP8(t *testing.T) {
	t.Parallel()
	for _, e := range dbtest.Engines() {
		t.Run(string(e), func(t *testing.T) {
			t.Parallel()
			clk := clock.NewFake(time.Now())
			shopPages(t, newWorld(t, apptest.Start(t, e, roomyLimits(), apptest.WithClock(clk))), clk)
		})
	}
}

func shopPages(t *testing.T, w *world, clk *clock.Fake) {
	admin, client, anon := w.as["admin"], w.as["client"], w.as["anon"]
	other := bearer(t, w.s, w.s.CreateUser("pat@example.com", account.RoleClient))
	want := func(res apptest.Response, status int, texts ...string) {
		t.Helper()
		if res.Status != status {
			t.Fatalf("status %d, want %d: %.600s", res.Status, status, res.Body)
		}
		for _, s := range texts {
			if !bytes.Contains(res.Body, []byte(s)) && !bytes.Contains(res.Body, []byte(html.EscapeString(s))) {
				t.Fatalf("the page lacks %q: %.3000s", s, res.Body)
			}
		}
	}
	orders := func() int {
		t.Helper()
		var n int
		if err := w.s.App.DB.Read().QueryRowContext(ctx, `SELECT COUNT(*) FROM shop_orders`).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}

	// The admin adds a digital guide (a refusal first), its file and
	// picture, a physical candle with two in stock, and a coupon.
	want(admin.Form("/admin/shop/products/new", url.Values{"name": {"Moon guide"}, "kind": {"digital"}, "price": {"ten"}, "stock": {"many"}}), 400,
		"Write the price in dollars, e.g. 12 or 9.99.", "Write how many are in stock", `value="Moon guide"`)
	want(admin.Form("/admin/shop/products/new", url.Values{"name": {" "}, "kind": {"scroll"}, "price": {"1"}, "unlimited": {"on"}}), 400,
		"Give the product a name.", "Choose digital or physical.")
	res := admin.Form("/admin/shop/products/new", url.Values{"name": {"Moon guide"}, "kind": {"digital"}, "price": {"15"}, "unlimited": {"on"},
		"active": {"on"}, "category": {"Guides"}})
	want(res, 303)
	guidePage := res.Header.Get("Location")
	guideID := mustID(t, strings.TrimPrefix(guidePage, "/admin/shop/products/"))
	body, ct := multipartFile(t, "file", "moon-guide.pdf", guideBytes)
	want(admin.Do("POST", guidePage, body, "Content-Type", ct), 303)
	body, ct = multipartFile(t, "image", "moon.png", pngBytes(t, 40, 30))
	want(admin.Do("POST", guidePage, body, "Content-Type", ct), 303)
	body, ct = multipartFile(t, "image", "notes.txt", []byte("not a picture"))
	want(admin.Do("POST", guidePage, body, "Content-Type", ct), 400, "The upload was refused.")
	want(admin.Do("GET", guidePage, nil), 200, "moon-guide.pdf")
	if p, err := w.s.App.Shop.Product(ctx, guideID, true); err != nil || !p.HasFile || p.ThumbURL == "" {
		t.Fatalf("the guide after its uploads: %+v %v", p, err)
	}
	res = admin.Form("/admin/shop/products/new", url.Values{"name": {"Moon candle"}, "kind": {"physical"}, "price": {"8.50"}, "stock": {"2"}, "active": {"on"}})
	want(res, 303)
	candleID := mustID(t, strings.TrimPrefix(res.Header.Get("Location"), "/admin/shop/products/"))
	want(admin.Form("/admin/shop/coupons", url.Values{"code": {"half"}, "percent_off": {"50"}, "amount_off": {"2"}}), 400,
		"Give a percentage or an amount off, not both.")
	want(admin.Form("/admin/shop/coupons", url.Values{"code": {"moon20"}, "percent_off": {"20"}, "expires": {clk.Now().AddDate(0, 1, 0).Format(time.DateOnly)}}), 303)
	want(admin.Do("GET", "/admin/shop/coupons", nil), 200, "MOON20", "20% off")
	want(admin.Do("GET", "/admin/shop", nil), 200, "Moon guide", "Moon candle", "Stripe is not configured")
	want(client.Do("GET", "/admin/shop", nil), 403)

	// The catalog and its filters (SHOP-2, SHOP-3).
	want(anon.Do("GET", "/shop", nil), 200, "Moon guide", "Moon candle", "Only 2 left", "$15.00")
	want(anon.Do("GET", "/shop?kind=scroll&q="+strings.Repeat("x", 101), nil), 400, "Choose digital or physical.", "Search with at most 100 characters.")
	if res := anon.Do("GET", "/shop?kind=physical&q=candle", nil); bytes.Contains(res.Body, []byte("Moon guide")) || !bytes.Contains(res.Body, []byte("Moon candle")) {
		t.Errorf("the physical filter: %.2000s", res.Body)
	}
	want(anon.Do("GET", "/shop/products/"+id(candleID), nil), 200, "Moon candle", "Add to cart")

	// The cart lives in a cookie: what could not be ordered is dropped,
	// and prices come from the catalog.
	res = anon.Do("GET", "/shop/cart", nil, "Cookie", "soulseer_cart=999999x1-"+id(guideID)+"x1-"+id(guideID)+"x7-junk~no code!")
	want(res, 200, "1 product no longer sold left your cart.", "Moon guide", "$15.00")
	if c := res.Header.Get("Set-Cookie"); !strings.HasPrefix(c, "soulseer_cart="+id(guideID)+"x1;") {
		t.Errorf("the cart kept: %q", c)
	}
	want(client.Form("/shop/cart", url.Values{"action": {"add"}, "product_id": {id(candleID)}, "quantity": {"3"}}), 400, "Only 2 left; lower the quantity.")
	want(client.Form("/shop/cart", url.Values{"action": {"add"}, "product_id": {id(candleID)}, "quantity": {"0"}}), 400, "Choose a quantity from 1 to 99.")
	want(client.Form("/shop/cart", url.Values{"action": {"add"}, "product_id": {id(guideID)}, "quantity": {"2"}}), 303)
	want(client.Form("/shop/cart", url.Values{"action": {"update"}, "product_id": {id(guideID)}, "quantity": {"1"}}), 303)
	want(client.Form("/shop/cart", url.Values{"action": {"add"}, "product_id": {id(candleID)}, "quantity": {"1"}}), 303)
	want(client.Form("/shop/cart", url.Values{"action": {"coupon"}, "coupon_code": {"nope"}}), 400, "There is no such coupon.")
	want(client.Form("/shop/cart", url.Values{"action": {"coupon"}, "coupon_code": {"moon20"}}), 303)
	want(client.Do("GET", "/shop/cart", nil), 200, "$23.50", "Coupon MOON20 (20% off)", "−$4.70", "$18.80")

	// Checkout refusals charge nothing and keep the cart (SHOP-3, SHOP-4, SHOP-5).
	res = client.Do("GET", "/shop/checkout", nil)
	want(res, 200, "Shipping address", `value="MOON20"`)
	form := url.Values{"request_key": {"checkout-1"}, "pay_with": {"wallet"}, "coupon_code": {"moon20"}, "shipping_address.name": {"Cleo Moon"},
		"shipping_address.line1": {"1 Star Lane"}, "shipping_address.postal_code": {"94110"}, "shipping_address.country": {"us"}}
	want(client.Form("/shop/checkout", form), 400, "Enter the city.", `value="1 Star Lane"`)
	form.Set("shipping_address.city", "San Francisco")
	want(client.Form("/shop/checkout", form), 402, "Your balance is $0.00 and this order costs $18.80: add $18.80 or pay by card.", "Add funds")
	credit(t, w, w.client, 50_00)
	form.Set("coupon_code", "NOPE")
	want(client.Form("/shop/checkout", form), 400, "There is no such coupon.")
	if n := orders(); n != 0 {
		t.Fatalf("%d orders after refusals", n)
	}
	// Placed once under its key, however often sent.
	form.Set("coupon_code", "moon20")
	res = client.Form("/shop/checkout", form)
	want(res, 303)
	orderPath := res.Header.Get("Location")
	if c := res.Header.Get("Set-Cookie"); !strings.Contains(c, "soulseer_cart=;") {
		t.Errorf("the placed order left the cart: %q", c)
	}
	// A double submit: the second request carries the cart as the first did.
	again := client.Do("POST", "/shop/checkout", form.Encode(), "Content-Type", "application/x-www-form-urlencoded",
		"Cookie", "soulseer_cart="+id(guideID)+"x1-"+id(candleID)+"x1~MOON20")
	if again.Status != 303 || again.Header.Get("Location") != orderPath {
		t.Errorf("the same form again: %d to %s, want %s", again.Status, again.Header.Get("Location"), orderPath)
	}
	if n := orders(); n != 1 {
		t.Fatalf("%d orders after one placed twice", n)
	}
	if b := balance(t, client); b != 50_00-18_80 {
		t.Fatalf("balance %d after one order of $18.80 from $50", b)
	}
	orderID := mustID(t, strings.TrimPrefix(orderPath, "/shop/orders/"))
	want(client.Do("GET", orderPath, nil), 200, "Thank you! Order #"+id(orderID)+" is paid", "−$4.70", "San Francisco", "Download")
	want(other.Do("GET", orderPath, nil), 404)
	want(admin.Do("GET", orderPath, nil), 200)

	// Downloads: a fresh link at each click, the buyer's alone (SHOP-6, SHOP-8).
	o, err := w.s.App.Shop.Order(ctx, w.client, orderID)
	if err != nil {
		t.Fatal(err)
	}
	var item int64
	for _, it := range o.Items {
		if it.Digital() {
			item = it.ID
		}
	}
	link := client.Form(orderPath+"/downloads", url.Values{"item": {id(item)}}).Header.Get("Location")
	if !strings.HasPrefix(link, "/shop/downloads/"+id(item)+"?e=") {
		t.Fatalf("the Download button led to %q", link)
	}
	res = client.Do("GET", link, nil)
	want(res, 200)
	if !bytes.Equal(res.Body, guideBytes) || res.Header.Get("Content-Disposition") != "attachment; filename=moon-guide.pdf" {
		t.Fatalf("the download: %q %q", res.Header.Get("Content-Disposition"), res.Body)
	}
	want(other.Do("GET", link, nil), 403, "This download link is not yours or has been altered.")
	want(client.Do("GET", link+"x", nil), 403)
	if res := anon.Do("GET", link, nil); res.Status != 303 || !strings.HasPrefix(res.Header.Get("Location"), "/login?next=") {
		t.Errorf("a visitor's download: %d %s", res.Status, res.Header.Get("Location"))
	}
	want(other.Form(orderPath+"/downloads", url.Values{"item": {id(item)}}), 404)
	clk.Advance(25 * time.Hour)
	want(client.Do("GET", link, nil), 410, "This download link has expired. Open your order for a fresh one.", "Your orders")
	fresh := client.Form(orderPath+"/downloads", url.Values{"item": {id(item)}}).Header.Get("Location")
	if fresh == link {
		t.Fatal("the second click gave the expired link again")
	}
	want(client.Do("GET", fresh, nil), 200)

	// The admin ships, delivers and refunds it (SHOP-7).
	adminOrder := "/admin/shop/orders/" + id(orderID)
	want(admin.Do("GET", "/admin/shop/orders?state=paid", nil), 200, "#"+id(orderID))
	want(admin.Form(adminOrder+"/deliver", nil), 409, "only a shipped order is delivered")
	want(admin.Form(adminOrder+"/ship", url.Values{"carrier": {"UPS"}}), 400, "Give the tracking number", `value="UPS"`)
	want(admin.Form(adminOrder+"/ship", url.Values{"carrier": {"UPS"}, "tracking_number": {"1Z999"}}), 303)
	want(client.Do("GET", orderPath, nil), 200, "1Z999", "UPS", "Shipped")
	want(admin.Form(adminOrder+"/deliver", nil), 303)
	want(admin.Form(adminOrder+"/refund", url.Values{"reason": {""}}), 400, "Give the reason for the refund")
	want(admin.Form(adminOrder+"/refund", url.Values{"reason": {"Arrived broken"}}), 303)
	want(admin.Do("GET", adminOrder, nil), 200, "Refunded")
	if b := balance(t, client); b != 50_00 {
		t.Errorf("balance %d after the refund, want all $50 back", b)
	}
	if p, err := w.s.App.Shop.Product(ctx, candleID, true); err != nil || *p.Stock != 2 {
		t.Errorf("the candle's stock after the refund: %v %v", p.Stock, err)
	}

	// By card: the order waits on the checkout page (SHOP-5).
	want(client.Form("/shop/cart", url.Values{"action": {"add"}, "product_id": {id(guideID)}, "quantity": {"1"}}), 303)
	res = client.Form("/shop/checkout", url.Values{"request_key": {"checkout-card"}, "pay_with": {"card"}})
	want(res, 303)
	if loc := res.Header.Get("Location"); !strings.Contains(loc, "/wallet/test-checkout/") {
		t.Fatalf("paying by card led to %q, want the test checkout", loc)
	}
	if n := orders(); n != 2 {
		t.Fatalf("%d orders, want the card's too", n)
	}
	// Two products, their file and picture, a coupon, ship, deliver, refund.
	if n := shopAudits(t, w); n != 8 {
		t.Errorf("%d audit records of the admin's shop actions, want 8", n)
	}
}
