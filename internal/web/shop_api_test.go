package web_test

import (
	"bytes"
	"context"
	"net/http"
	"testing"

	"github.com/soulseer/soulseer/internal/account"
	"github.com/soulseer/soulseer/internal/apptest"
	"github.com/soulseer/soulseer/internal/config"
	"github.com/soulseer/soulseer/internal/db/dbtest"
	"github.com/soulseer/soulseer/internal/shop"
	"github.com/soulseer/soulseer/internal/shop/stripecatalog"
	"github.com/soulseer/soulseer/internal/stripetest"
)

// apiProduct is a product as the shop's API answers it.
type apiProduct struct {
	ID       int64  `json:"id"`
	Name     string `json:"name"`
	Kind     string `json:"kind"`
	Price    int64  `json:"price_cents"`
	Stock    *int64 `json:"stock"`
	Active   bool   `json:"active"`
	HasFile  bool   `json:"has_file"`
	FileName string `json:"file_name"`
	ImageURL string `json:"image_url"`
}

// apiOrder is an order as the shop's API answers it.
type apiOrder struct {
	ID             int64  `json:"id"`
	UserID         int64  `json:"user_id"`
	State          string `json:"state"`
	PayWith        string `json:"pay_with"`
	SubtotalCents  int64  `json:"subtotal_cents"`
	DiscountCents  int64  `json:"discount_cents"`
	TotalCents     int64  `json:"total_cents"`
	CouponCode     string `json:"coupon_code"`
	Carrier        string `json:"carrier"`
	TrackingNumber string `json:"tracking_number"`
	Shipping       *struct {
		City    string `json:"city"`
		Country string `json:"country"`
	} `json:"shipping_address"`
	Items []struct {
		ID        int64 `json:"id"`
		ProductID int64 `json:"product_id"`
		Quantity  int   `json:"quantity"`
	} `json:"items"`
}

// apiDownloads is the answer of an order's downloads.
type apiDownloads struct {
	Downloads []struct {
		ItemID    int64  `json:"item_id"`
		Name      string `json:"name"`
		FileName  string `json:"file_name"`
		URL       string `json:"url"`
		ExpiresAt string `json:"expires_at"`
	} `json:"downloads"`
}

// guideBytes is the digital product's file.
var guideBytes = []byte("%PDF-1.4\n% The Moon guide: reading the lunar cards.\n")

// SHOP-2 SHOP-3 SHOP-4 SHOP-5 SHOP-6 SHOP-7 SHOP-8, SHOP-1 without Stripe,
// through the API on both engines: an admin adds a digital product with
// its file and picture, a physical one with two in stock and a coupon;
// the client buys the digital one from the wallet with the coupon (sent
// twice under one Idempotency-Key: one order, charged once), fetches its
// signed download link as the buyer, buys both physical ones (no address,
// or one without a city, is a 400 naming the field; a third is sold out),
// which the admin ships and delivers; another client neither reads the
// order nor its downloads, and a short wallet is a 402. A refund gives the
// money back and ends the downloads. Every admin action is audited.
func TestShopAPI_SHOP2_SHOP8(t *testing.T) {
	t.Parallel()
	for _, e := range dbtest.Engines() {
		t.Run(string(e), func(t *testing.T) {
			t.Parallel()
			shopAPI(t, newWorld(t, apptest.Start(t, e, roomyLimits())))
		})
	}
}

func shopAPI(t *testing.T, w *world) {
	admin, client, anon := w.as["admin"], w.as["client"], w.as["anon"]
	other := w.s.CreateUser("pat@example.com", account.RoleClient)
	stranger := bearer(t, w.s, other)
	must := func(res apptest.Response, status int, v any) {
		t.Helper()
		if res.Status != status {
			t.Fatalf("status %d, want %d: %s", res.Status, status, res.Body)
		}
		if v != nil {
			res.JSON(t, v)
		}
	}

	// SHOP-2: the catalog, kept here.
	var guide, crystal apiProduct
	must(admin.Do("POST", "/api/v1/admin/shop/products", `{"name": "Moon reading guide", "kind": "digital", "price_cents": 1500, "unlimited": true, "category": "Guides"}`), 201, &guide)
	if p := problemOf(t, admin.Do("POST", "/api/v1/admin/shop/products", `{"name": " ", "kind": "scroll", "price_cents": 0}`), 400); p.Errors["name"] == "" || p.Errors["kind"] == "" || p.Errors["price_cents"] == "" {
		t.Errorf("a bad product: %+v", p)
	}
	problemOf(t, admin.Do("POST", "/api/v1/admin/shop/products", `{"name": "X", "kind": "digital", "price_cents": "ten"}`), 400)
	problemOf(t, client.Do("POST", "/api/v1/admin/shop/products", `{"name": "Mine", "kind": "digital", "price_cents": 100}`), 403)
	// A digital product without its file is not for sale yet.
	credit(t, w, w.client, 10000)
	problemOf(t, client.Do("POST", "/api/v1/shop/orders", map[string]any{"items": []map[string]any{{"product_id": guide.ID, "quantity": 1}}, "pay_with": "wallet"}), 409)

	body, ct := multipartFile(t, "file", "moon-guide.pdf", guideBytes)
	must(admin.Do("POST", "/api/v1/admin/shop/products/"+id(guide.ID)+"/file", body, "Content-Type", ct), 200, &guide)
	if !guide.HasFile || guide.FileName != "moon-guide.pdf" || guide.Stock != nil {
		t.Fatalf("after the file: %+v", guide)
	}
	body, ct = multipartFile(t, "image", "moon.png", pngBytes(t, 32, 32))
	must(admin.Do("POST", "/api/v1/admin/shop/products/"+id(guide.ID)+"/image", body, "Content-Type", ct), 200, &guide)
	if guide.ImageURL == "" {
		t.Errorf("no picture: %+v", guide)
	}
	body, ct = multipartFile(t, "image", "notes.txt", []byte("not a picture"))
	if p := problemOf(t, admin.Do("POST", "/api/v1/admin/shop/products/"+id(guide.ID)+"/image", body, "Content-Type", ct), 400); p.Errors["image"] == "" {
		t.Errorf("a text file as a picture: %+v", p)
	}
	problemOf(t, admin.Do("POST", "/api/v1/admin/shop/products/"+id(guide.ID)+"/file", `{"file": "x"}`), 400)

	must(admin.Do("POST", "/api/v1/admin/shop/products", `{"name": "Amethyst cluster", "kind": "physical", "price_cents": 2000, "stock": 2, "category": "Crystals"}`), 201, &crystal)
	body, ct = multipartFile(t, "file", "amethyst.pdf", guideBytes)
	if p := problemOf(t, admin.Do("POST", "/api/v1/admin/shop/products/"+id(crystal.ID)+"/file", body, "Content-Type", ct), 400); p.Errors["file"] == "" {
		t.Errorf("a file for a physical product: %+v", p)
	}
	var archived apiProduct
	must(admin.Do("POST", "/api/v1/admin/shop/products", `{"name": "Old deck", "kind": "physical", "price_cents": 900, "stock": 1}`), 201, &archived)
	must(admin.Do("PATCH", "/api/v1/admin/shop/products/"+id(archived.ID), `{"active": false}`), 200, &archived)
	if archived.Active {
		t.Errorf("archived %+v", archived)
	}
	problemOf(t, anon.Do("GET", "/api/v1/shop/products/"+id(archived.ID), nil), 404)
	must(admin.Do("GET", "/api/v1/shop/products/"+id(archived.ID), nil), 200, nil)
	problemOf(t, admin.Do("PATCH", "/api/v1/admin/shop/products/999999", `{"name": "Gone"}`), 404)

	var list struct {
		Products   []apiProduct `json:"products"`
		Categories []string     `json:"categories"`
	}
	must(anon.Do("GET", "/api/v1/shop/products", nil), 200, &list)
	if len(list.Products) != 2 || len(list.Categories) != 2 {
		t.Fatalf("the catalog lists %+v", list)
	}
	must(anon.Do("GET", "/api/v1/shop/products?kind=physical&in_stock=true&q=amethyst", nil), 200, &list)
	if len(list.Products) != 1 || list.Products[0].ID != crystal.ID || *list.Products[0].Stock != 2 {
		t.Errorf("physical in stock: %+v", list.Products)
	}
	must(admin.Do("GET", "/api/v1/shop/products?archived=true", nil), 200, &list)
	if len(list.Products) != 3 {
		t.Errorf("an admin's catalog with the archived: %d products", len(list.Products))
	}
	if p := problemOf(t, anon.Do("GET", "/api/v1/shop/products?kind=scroll&in_stock=maybe", nil), 400); p.Errors["kind"] == "" || p.Errors["in_stock"] == "" {
		t.Errorf("bad filters: %+v", p)
	}

	// SHOP-4: a coupon.
	var coupon struct {
		ID          int64  `json:"id"`
		Code        string `json:"code"`
		PercentOff  int    `json:"percent_off"`
		Redemptions int64  `json:"redemptions"`
	}
	must(admin.Do("POST", "/api/v1/admin/shop/coupons", `{"code": "moon20", "percent_off": 20, "max_redemptions": 5}`), 201, &coupon)
	if coupon.Code != "MOON20" {
		t.Errorf("coupon %+v", coupon)
	}
	if p := problemOf(t, admin.Do("POST", "/api/v1/admin/shop/coupons", `{"code": "moon20", "percent_off": 10}`), 400); p.Errors["code"] == "" {
		t.Errorf("a taken code: %+v", p)
	}
	if p := problemOf(t, admin.Do("POST", "/api/v1/admin/shop/coupons", `{"code": "BOTH", "percent_off": 10, "amount_off_cents": 100}`), 400); p.Errors["percent_off"] == "" {
		t.Errorf("both kinds of discount: %+v", p)
	}
	if p := problemOf(t, admin.Do("PATCH", "/api/v1/admin/shop/coupons/"+id(coupon.ID), `{}`), 400); p.Errors["active"] == "" {
		t.Errorf("a change without active: %+v", p)
	}
	problemOf(t, admin.Do("PATCH", "/api/v1/admin/shop/coupons/999999", `{"active": false}`), 404)

	// SHOP-1: without Stripe the catalog is kept here.
	var status struct {
		Last   *struct{} `json:"last"`
		Stripe bool      `json:"stripe"`
	}
	must(admin.Do("GET", "/api/v1/admin/shop/sync", nil), 200, &status)
	if status.Stripe || status.Last != nil {
		t.Errorf("sync status without Stripe: %+v", status)
	}
	if p := problemOf(t, admin.Do("POST", "/api/v1/admin/shop/sync", nil), 409); p.Detail != "The catalog is kept here: Stripe is not configured." {
		t.Errorf("sync without Stripe: %+v", p)
	}

	// SHOP-5: the digital guide from the wallet with the coupon, sent twice
	// under one key: one order, charged once.
	buyGuide := map[string]any{"items": []map[string]any{{"product_id": guide.ID, "quantity": 1}}, "coupon_code": "moon20", "pay_with": "wallet"}
	var first, again apiOrder
	must(client.Do("POST", "/api/v1/shop/orders", buyGuide, "Idempotency-Key", "guide-1"), 201, &first)
	if first.State != shop.Delivered || first.SubtotalCents != 1500 || first.DiscountCents != 300 || first.TotalCents != 1200 || first.CouponCode != "MOON20" || first.Shipping != nil {
		t.Fatalf("the guide's order %+v", first)
	}
	must(client.Do("POST", "/api/v1/shop/orders", buyGuide, "Idempotency-Key", "guide-1"), 200, &again)
	if again.ID != first.ID {
		t.Fatalf("the replay placed order %d, not %d", again.ID, first.ID)
	}
	if b := balance(t, client); b != 10000-1200 {
		t.Fatalf("balance %d after one order of 1200 from 10000", b)
	}
	if p := problemOf(t, client.Do("POST", "/api/v1/shop/orders", buyGuide, "Idempotency-Key", string(bytes.Repeat([]byte("k"), 101))), 400); p.Errors["Idempotency-Key"] == "" {
		t.Errorf("a long key: %+v", p)
	}
	if p := problemOf(t, client.Do("POST", "/api/v1/shop/orders", map[string]any{"items": []map[string]any{{"product_id": guide.ID, "quantity": 1}}, "coupon_code": "NOPE", "pay_with": "wallet"}), 400); p.Errors["coupon_code"] == "" {
		t.Errorf("an unknown coupon: %+v", p)
	}
	if p := problemOf(t, client.Do("POST", "/api/v1/shop/orders", `{"items": [], "pay_with": "cash"}`), 400); p.Errors["items"] == "" || p.Errors["pay_with"] == "" {
		t.Errorf("an empty order: %+v", p)
	}
	problemOf(t, client.Do("POST", "/api/v1/shop/orders", `{"items": [{"product_id": 1, "quantity": 1}], "pay_with": "wallet", "gift": true}`), 400)
	problemOf(t, anon.Do("POST", "/api/v1/shop/orders", buyGuide), 401)
	// A short wallet is told what to add.
	if p := problemOf(t, stranger.Do("POST", "/api/v1/shop/orders", buyGuide), 402); p.Code != "insufficient_funds" {
		t.Errorf("a short wallet: %+v", p)
	}

	// SHOP-6, SHOP-8: the buyer's signed link, fresh each time.
	var dl apiDownloads
	must(client.Do("GET", "/api/v1/shop/orders/"+id(first.ID)+"/downloads", nil), 200, &dl)
	if len(dl.Downloads) != 1 || dl.Downloads[0].FileName != "moon-guide.pdf" || dl.Downloads[0].URL == "" || dl.Downloads[0].ItemID != first.Items[0].ID {
		t.Fatalf("downloads %+v", dl)
	}
	res := client.Do("GET", dl.Downloads[0].URL, nil)
	if res.Status != http.StatusOK || !bytes.Equal(res.Body, guideBytes) {
		t.Fatalf("the buyer's download: %d %q", res.Status, res.Body)
	}
	if res := stranger.Do("GET", dl.Downloads[0].URL, nil); res.Status != http.StatusForbidden {
		t.Errorf("another client's use of the buyer's link: %d", res.Status)
	}
	problemOf(t, stranger.Do("GET", "/api/v1/shop/orders/"+id(first.ID), nil), 404)
	problemOf(t, stranger.Do("GET", "/api/v1/shop/orders/"+id(first.ID)+"/downloads", nil), 404)
	problemOf(t, admin.Do("GET", "/api/v1/shop/orders/"+id(first.ID)+"/downloads", nil), 404)
	must(admin.Do("GET", "/api/v1/shop/orders/"+id(first.ID), nil), 200, nil)

	// SHOP-3, SHOP-5: the physical crystals need an address; two take the
	// whole stock.
	buyCrystals := map[string]any{"items": []map[string]any{{"product_id": crystal.ID, "quantity": 2}}, "pay_with": "wallet"}
	if p := problemOf(t, client.Do("POST", "/api/v1/shop/orders", buyCrystals), 400); p.Errors["shipping_address.name"] == "" {
		t.Errorf("no address: %+v", p)
	}
	address := map[string]any{"name": "Cleo Moon", "line1": "1 Star Lane", "line2": "", "city": "", "region": "CA", "postal_code": "94110", "country": "us"}
	buyCrystals["shipping_address"] = address
	if p := problemOf(t, client.Do("POST", "/api/v1/shop/orders", buyCrystals), 400); p.Errors["shipping_address.city"] == "" {
		t.Errorf("no city: %+v", p)
	}
	address["city"] = "San Francisco"
	var parcel apiOrder
	must(client.Do("POST", "/api/v1/shop/orders", buyCrystals, "Idempotency-Key", "crystals-1"), 201, &parcel)
	if parcel.State != shop.Paid || parcel.TotalCents != 4000 || parcel.Shipping == nil || parcel.Shipping.Country != "US" {
		t.Fatalf("the crystals' order %+v", parcel)
	}
	var left apiProduct
	must(anon.Do("GET", "/api/v1/shop/products/"+id(crystal.ID), nil), 200, &left)
	if left.Stock == nil || *left.Stock != 0 {
		t.Errorf("stock after two of two: %+v", left.Stock)
	}
	credit(t, w, other, 5000)
	buyCrystals["items"] = []map[string]any{{"product_id": crystal.ID, "quantity": 1}}
	problemOf(t, stranger.Do("POST", "/api/v1/shop/orders", buyCrystals), 409)

	// SHOP-7: the admin ships and delivers it; the buyer sees its tracking.
	var queue struct {
		Orders []apiOrder `json:"orders"`
	}
	must(admin.Do("GET", "/api/v1/admin/shop/orders?state=paid", nil), 200, &queue)
	if len(queue.Orders) != 1 || queue.Orders[0].ID != parcel.ID {
		t.Fatalf("paid orders %+v", queue.Orders)
	}
	problemOf(t, admin.Do("GET", "/api/v1/admin/shop/orders?state=lost", nil), 400)
	problemOf(t, admin.Do("POST", "/api/v1/admin/shop/orders/"+id(parcel.ID)+"/deliver", nil), 409)
	if p := problemOf(t, admin.Do("POST", "/api/v1/admin/shop/orders/"+id(parcel.ID)+"/ship", `{"carrier": "", "tracking_number": ""}`), 400); p.Errors["carrier"] == "" || p.Errors["tracking_number"] == "" {
		t.Errorf("a shipment without details: %+v", p)
	}
	problemOf(t, admin.Do("POST", "/api/v1/admin/shop/orders/"+id(first.ID)+"/ship", `{"carrier": "UPS", "tracking_number": "1Z1"}`), 409) // nothing to ship
	problemOf(t, client.Do("POST", "/api/v1/admin/shop/orders/"+id(parcel.ID)+"/ship", `{"carrier": "UPS", "tracking_number": "1Z1"}`), 403)
	must(admin.Do("POST", "/api/v1/admin/shop/orders/"+id(parcel.ID)+"/ship", `{"carrier": "UPS", "tracking_number": "1Z999AA10123456784"}`), 200, &parcel)
	if parcel.State != shop.Shipped || parcel.TrackingNumber != "1Z999AA10123456784" {
		t.Fatalf("shipped %+v", parcel)
	}
	must(admin.Do("POST", "/api/v1/admin/shop/orders/"+id(parcel.ID)+"/deliver", nil), 200, &parcel)
	must(client.Do("GET", "/api/v1/shop/orders/"+id(parcel.ID), nil), 200, &parcel)
	if parcel.State != shop.Delivered || parcel.Carrier != "UPS" {
		t.Fatalf("delivered %+v", parcel)
	}
	var mine struct {
		Orders []apiOrder `json:"orders"`
	}
	must(client.Do("GET", "/api/v1/shop/orders", nil), 200, &mine)
	if len(mine.Orders) != 2 || mine.Orders[0].ID != parcel.ID || mine.Orders[1].ID != first.ID {
		t.Errorf("the client's orders %+v", mine.Orders)
	}
	must(stranger.Do("GET", "/api/v1/shop/orders", nil), 200, &mine)
	if len(mine.Orders) != 0 {
		t.Errorf("another client lists %+v", mine.Orders)
	}

	// SHOP-7: a refund gives the money back, once, and ends the downloads.
	if p := problemOf(t, admin.Do("POST", "/api/v1/admin/shop/orders/"+id(first.ID)+"/refund", `{"reason": ""}`), 400); p.Errors["reason"] == "" {
		t.Errorf("a refund without a reason: %+v", p)
	}
	var refunded apiOrder
	must(admin.Do("POST", "/api/v1/admin/shop/orders/"+id(first.ID)+"/refund", `{"reason": "Asked to"}`), 200, &refunded)
	must(admin.Do("POST", "/api/v1/admin/shop/orders/"+id(first.ID)+"/refund", `{"reason": "Asked to"}`), 200, &refunded)
	if refunded.State != shop.Refunded {
		t.Errorf("refunded %+v", refunded)
	}
	if b := balance(t, client); b != 10000-4000 {
		t.Errorf("balance %d after the guide's refund, want %d", b, 10000-4000)
	}
	problemOf(t, client.Do("GET", "/api/v1/shop/orders/"+id(first.ID)+"/downloads", nil), 409)

	var coupons struct {
		Coupons []struct {
			Code        string `json:"code"`
			Redemptions int64  `json:"redemptions"`
			Active      bool   `json:"active"`
		} `json:"coupons"`
	}
	if res := admin.Do("PATCH", "/api/v1/admin/shop/coupons/"+id(coupon.ID), `{"active": false}`); res.Status != http.StatusNoContent {
		t.Fatalf("switch the coupon off: %d %s", res.Status, res.Body)
	}
	must(admin.Do("GET", "/api/v1/admin/shop/coupons", nil), 200, &coupons)
	if len(coupons.Coupons) != 1 || coupons.Coupons[0].Redemptions != 1 || coupons.Coupons[0].Active {
		t.Errorf("coupons %+v", coupons.Coupons)
	}
	// Three products made, one archived, a file and a picture, a coupon made
	// and switched off, a shipment, a delivery and one refund (the second
	// changed nothing).
	if n := shopAudits(t, w); n != 11 {
		t.Errorf("%d audit records of shop actions, want 11", n)
	}
}

// SHOP-1 against stripe-mock on both engines: with Stripe configured an
// admin's sync reads the catalog, is recorded for the sync status and
// audited.
func TestShopAPISync_SHOP1(t *testing.T) {
	t.Parallel()
	for _, e := range dbtest.Engines() {
		t.Run(string(e), func(t *testing.T) {
			t.Parallel()
			mock := stripetest.Start(t)
			w := newWorld(t, apptest.Start(t, e, roomyLimits(), apptest.WithConfig(func(c *config.Config) {
				c.StripeSecretKey, c.StripeWebhookSecret, c.StripeAPIURL = "sk_test_123", "whsec_test_123", mock
			})))
			admin := w.as["admin"]
			before := shopAudits(t, w)
			var res struct {
				StartedAt  string `json:"started_at"`
				FinishedAt string `json:"finished_at"`
				Created    int    `json:"created"`
				Skipped    int    `json:"skipped"`
			}
			if r := admin.Do("POST", "/api/v1/admin/shop/sync", nil); r.Status != http.StatusOK {
				t.Fatalf("sync: %d %s", r.Status, r.Body)
			} else {
				r.JSON(t, &res)
			}
			if res.FinishedAt == "" || res.Created+res.Skipped == 0 {
				t.Errorf("the sync read nothing: %+v", res)
			}
			var status struct {
				Last *struct {
					FinishedAt string `json:"finished_at"`
				} `json:"last"`
				Stripe bool `json:"stripe"`
			}
			if r := admin.Do("GET", "/api/v1/admin/shop/sync", nil); r.Status != http.StatusOK {
				t.Fatalf("sync status: %d %s", r.Status, r.Body)
			} else {
				r.JSON(t, &status)
			}
			if !status.Stripe || status.Last == nil || status.Last.FinishedAt == "" {
				t.Errorf("sync status %+v", status)
			}
			if after := shopAudits(t, w); after != before+1 {
				t.Errorf("%d audit records of the sync, want 1", after-before)
			}
			problemOf(t, w.as["client"].Do("POST", "/api/v1/admin/shop/sync", nil), 403)
		})
	}
}

// balance is the wallet balance the API shows c.
func balance(t *testing.T, c *apptest.Client) int64 {
	t.Helper()
	res := c.Do("GET", "/api/v1/wallet", nil)
	if res.Status != http.StatusOK {
		t.Fatalf("wallet: %d %s", res.Status, res.Body)
	}
	return decode[struct {
		BalanceCents int64 `json:"balance_cents"`
	}](t, res).BalanceCents
}

// shopAudits counts the audit records of shop actions.
func shopAudits(t *testing.T, w *world) int {
	t.Helper()
	var n int
	if err := w.s.App.DB.Read().QueryRowContext(ctx, `SELECT count(*) FROM audit_log WHERE action LIKE 'shop.%'`).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// apiShopOfA is the shop of the authorisation matrix (SHOP-2 … SHOP-6),
// made once: {apidigital}, a digital product with its file, unlimited and
// priced within every client's wallet; {apicoupon}, a coupon; and
// {apiorder}, client A's order of the product, paid and delivered.
func apiShopOfA(t *testing.T, m *authzWorld) {
	t.Helper()
	if m.vals["apiorder"] != "" {
		return
	}
	name := "Matrix guide"
	kind, price := shop.Digital, int64(300)
	p, err := m.s.App.Shop.CreateProduct(ctx, m.admin, shop.ProductInput{Name: &name, Kind: &kind, PriceCents: &price, Unlimited: true})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := m.s.App.Shop.SetProductFile(ctx, m.admin, p.ID, "matrix.pdf", guideBytes); err != nil {
		t.Fatal(err)
	}
	c, err := m.s.App.Shop.CreateCoupon(ctx, m.admin, shop.CouponInput{Code: "MATRIX", AmountOffCents: 100})
	if err != nil {
		t.Fatal(err)
	}
	o, _, err := m.s.App.Shop.PlaceOrder(ctx, m.client, shop.OrderRequest{Items: []shop.Line{{ProductID: p.ID, Quantity: 1}}, PayWith: shop.PayWallet})
	if err != nil {
		t.Fatal(err)
	}
	m.vals["apidigital"], m.vals["apicoupon"], m.vals["apiorder"] = id(p.ID), id(c.ID), id(o.ID)
}

// apiShopParcelOfA is {apiparcel}, a physical order client A paid from
// the wallet, not shipped yet (SHOP-7).
func apiShopParcelOfA(t *testing.T, m *authzWorld) {
	t.Helper()
	if m.vals["apiparcelproduct"] == "" {
		name := "Matrix candle"
		kind, price := shop.Physical, int64(200)
		p, err := m.s.App.Shop.CreateProduct(ctx, m.admin, shop.ProductInput{Name: &name, Kind: &kind, PriceCents: &price, Unlimited: true})
		if err != nil {
			t.Fatal(err)
		}
		m.vals["apiparcelproduct"] = id(p.ID)
	}
	o, _, err := m.s.App.Shop.PlaceOrder(ctx, m.client, shop.OrderRequest{Items: []shop.Line{{ProductID: mustID(t, m.vals["apiparcelproduct"]), Quantity: 1}},
		PayWith: shop.PayWallet, Shipping: &shop.Address{Name: "Cleo", Line1: "1 Star Lane", City: "Leeds", PostalCode: "LS1 1AA", Country: "GB"}})
	if err != nil {
		t.Fatal(err)
	}
	m.vals["apiparcel"] = id(o.ID)
}

// apiShopParcelShippedOfA is {apiparcel} shipped (SHOP-7).
func apiShopParcelShippedOfA(t *testing.T, m *authzWorld) {
	t.Helper()
	apiShopParcelOfA(t, m)
	if _, err := m.s.App.Shop.Ship(ctx, m.admin, mustID(t, m.vals["apiparcel"]), "Royal Mail", "RM123"); err != nil {
		t.Fatal(err)
	}
}

// apiShopCatalogInStripe connects the matrix's shop to a Stripe catalog
// of one product, so an admin's sync has something to read (SHOP-1).
func apiShopCatalogInStripe(t *testing.T, m *authzWorld) {
	if m.s.App.Shop.Catalog == nil {
		m.s.App.Shop.Catalog = oneProductCatalog{}
	}
}

// oneProductCatalog is a Stripe catalog holding one sellable product.
type oneProductCatalog struct{}

func (oneProductCatalog) List(ctx context.Context) ([]stripecatalog.Product, error) {
	p, err := oneProductCatalog{}.Product(ctx, "prod_matrix")
	return []stripecatalog.Product{p}, err
}

func (oneProductCatalog) Product(context.Context, string) (stripecatalog.Product, error) {
	return stripecatalog.Product{ProductID: "prod_matrix", PriceID: "price_matrix", Name: "Matrix tarot deck", Kind: stripecatalog.KindPhysical,
		PriceCents: 2500, Currency: "usd", Active: true}, nil
}

func (oneProductCatalog) CreatePromotion(context.Context, stripecatalog.Promotion) (string, string, error) {
	return "coupon_matrix", "promo_matrix", nil
}

// apiShopFileForm is a digital product's file sent in the multipart field
// "file".
func apiShopFileForm(t *testing.T, m *authzWorld) ([]byte, []string) {
	b, ct := multipartFile(t, "file", "matrix.pdf", guideBytes)
	return b, []string{"Content-Type", ct}
}

// apiShopImageForm is a product picture sent in the multipart field
// "image".
func apiShopImageForm(t *testing.T, m *authzWorld) ([]byte, []string) {
	b, ct := multipartFile(t, "image", "matrix.png", pngBytes(t, 16, 16))
	return b, []string{"Content-Type", ct}
}
