package demo

import (
	"context"
	"fmt"

	"github.com/soulseer/soulseer/internal/account"
	"github.com/soulseer/soulseer/internal/app"
	"github.com/soulseer/soulseer/internal/payment"
	"github.com/soulseer/soulseer/internal/shop"
)

// Demo shop's products and coupon (SHOP-2, SHOP-4).
const (
	ShopRecording = "Recorded reading: Full Moon ritual"
	ShopGuide     = "Tarot beginner's guide"
	ShopDeck      = "Rider–Waite tarot deck"
	ShopAmethyst  = "Amethyst cluster"
	ShopCoupon    = "WELCOME10"
)

// demoProduct is one product of the demo shop with its picture and, for
// a digital one, its file.
type demoProduct struct {
	name, description, category, kind string
	price                             int64
	stock                             *int64 // nil: unlimited
	palette                           [3]uint32
	shape                             shape
	fileName                          string
	file                              func() []byte
}

func stock(n int64) *int64 { return &n }

var demoProducts = []demoProduct{
	{name: ShopRecording, category: "Recorded readings", kind: shop.Digital, price: 12_00, palette: [3]uint32{0x120c24, 0x3b2a7a, 0xf4c96b}, shape: moonShape,
		description: "Luna's Full Moon ritual, recorded live: a guided release meditation and a five-card spread for letting go.\nA PDF of the ritual's steps and the spread to follow along.",
		fileName:    "full-moon-ritual.pdf",
		file: func() []byte {
			return pdfDocument("Full Moon ritual", "Recorded by Luna Starweaver for SoulSeer.", "1. Light a candle and name what you release.",
				"2. Draw five cards: past, present, what to release, what to keep, what comes.", "3. Close by thanking the moon.")
		}},
	{name: ShopGuide, category: "Guides", kind: shop.Digital, price: 9_99, palette: [3]uint32{0x1d1240, 0x6d4bc2, 0xf0abfc}, shape: cardShape,
		description: "Forty pages on the 78 cards, three beginner spreads and how to ask a good question.\nA PDF to read on any device.",
		fileName:    "tarot-beginners-guide.pdf",
		file: func() []byte {
			return pdfDocument("Tarot beginner's guide", "The Major Arcana: the Fool's journey in 22 cards.", "The Minor Arcana: four suits, four elements.",
				"Spread one: past, present, future.", "Spread two: the situation, the obstacle, the advice.")
		}},
	{name: ShopDeck, category: "Decks", kind: shop.Physical, price: 24_00, stock: stock(12), palette: [3]uint32{0x23123a, 0x8a3b6b, 0xf4c96b}, shape: cardShape,
		description: "The classic 78-card deck in its 1909 artwork, with a little white book. Shipped in a sturdy box."},
	{name: ShopAmethyst, category: "Crystals", kind: shop.Physical, price: 18_50, stock: stock(3), palette: [3]uint32{0x1a0f33, 0x7b4bd6, 0xd9c8ff}, shape: crystalShape,
		description: "A hand-picked Brazilian amethyst cluster, about 8 cm across, for calm and clear intuition. Each one is unique."},
}

// seedShop fills the shop (SHOP-2 … SHOP-7): two digital products with
// their files, a deck and a crystal with stock, the coupon WELCOME10, and
// a past order of the client's — an amethyst, shipped and delivered —
// paid from demo money credited for it. Loading again adds nothing.
func seedShop(ctx context.Context, a *app.App, admin, client account.User) error {
	have, err := a.Shop.Products(ctx, shop.ProductFilter{All: true})
	if err != nil {
		return err
	}
	byName := map[string]shop.Product{}
	for _, p := range have {
		byName[p.Name] = p
	}
	for _, d := range demoProducts {
		if _, ok := byName[d.name]; ok {
			continue
		}
		p, err := addProduct(ctx, a, admin, d)
		if err != nil {
			return fmt.Errorf("demo: product %s: %w", d.name, err)
		}
		byName[d.name] = p
	}
	coupons, err := a.Shop.Coupons(ctx)
	if err != nil {
		return err
	}
	if len(coupons) == 0 {
		if _, err := a.Shop.CreateCoupon(ctx, admin, shop.CouponInput{Code: ShopCoupon, PercentOff: 10}); err != nil {
			return fmt.Errorf("demo: coupon: %w", err)
		}
	}
	orders, err := a.Shop.Orders(ctx, shop.OrderFilter{UserID: client.ID})
	if err != nil || len(orders) > 0 {
		return err
	}
	amethyst := byName[ShopAmethyst]
	if _, err := a.Payments.Adjust(ctx, admin, payment.AdjustInput{UserID: client.ID, AmountCents: amethyst.PriceCents,
		Reason: "Demo money for the shop", Key: "demo-shop"}); err != nil {
		return err
	}
	o, _, err := a.Shop.PlaceOrder(ctx, client, shop.OrderRequest{Items: []shop.Line{{ProductID: amethyst.ID, Quantity: 1}}, PayWith: shop.PayWallet,
		Shipping: &shop.Address{Name: "Alex Rivers", Line1: "12 Willow Lane", City: "Portland", Region: "OR", PostalCode: "97201", Country: "US"},
		Key:      "demo-past-order"})
	if err != nil {
		return fmt.Errorf("demo: the client's past order: %w", err)
	}
	if _, err := a.Shop.Ship(ctx, admin, o.ID, "USPS", "9400 1000 0000 0000 0000 00"); err != nil {
		return err
	}
	_, err = a.Shop.Deliver(ctx, admin, o.ID)
	return err
}

// addProduct creates d with its picture and file.
func addProduct(ctx context.Context, a *app.App, admin account.User, d demoProduct) (shop.Product, error) {
	in := shop.ProductInput{Name: &d.name, Description: &d.description, Category: &d.category, Kind: &d.kind, PriceCents: &d.price,
		Stock: d.stock, Unlimited: d.stock == nil}
	p, err := a.Shop.CreateProduct(ctx, admin, in)
	if err != nil {
		return shop.Product{}, err
	}
	img, err := productPNG(d.palette, d.shape)
	if err != nil {
		return shop.Product{}, err
	}
	if p, err = a.Shop.SetProductImage(ctx, admin, p.ID, "product.png", img); err != nil {
		return shop.Product{}, err
	}
	if d.file != nil {
		if p, err = a.Shop.SetProductFile(ctx, admin, p.ID, d.fileName, d.file()); err != nil {
			return shop.Product{}, err
		}
	}
	return p, nil
}
