package demo_test

import (
	"bytes"
	"io"
	"testing"

	"github.com/soulseer/soulseer/internal/apptest"
	"github.com/soulseer/soulseer/internal/demo"
	"github.com/soulseer/soulseer/internal/ledger"
	"github.com/soulseer/soulseer/internal/shop"
)

// SHOP-2 SHOP-3 SHOP-4 SHOP-7: after loading the demo twice the shop
// sells four products once each — two downloads with their PDF files and
// pictures, the deck with 12 in stock and the amethyst with the 2 the
// client's past order left — WELCOME10 takes 10% off, and the client has
// one order, delivered with its tracking number, paid with the demo
// money credited for it.
func TestDemoShop_SHOP2(t *testing.T) {
	eachLoaded(t, func(t *testing.T, s *apptest.Server) {
		products, err := s.App.Shop.Products(ctx, shop.ProductFilter{All: true})
		if err != nil || len(products) != 4 {
			t.Fatalf("the shop holds %d products (%v), want 4", len(products), err)
		}
		client, err := s.App.Accounts.GetByEmail(ctx, demo.ClientEmail)
		if err != nil {
			t.Fatal(err)
		}
		for _, p := range products {
			if p.ThumbURL == "" {
				t.Errorf("%s has no picture", p.Name)
			}
			switch p.Name {
			case demo.ShopRecording, demo.ShopGuide:
				if p.Kind != shop.Digital || !p.HasFile || p.Stock != nil {
					t.Errorf("%s: %+v, want a digital product with its file", p.Name, p)
				}
				f, err := s.App.Files.Open(ctx, shopFileKey(t, s, p.ID))
				if err != nil {
					t.Fatal(err)
				}
				b, _ := io.ReadAll(f)
				f.Close()
				if !bytes.HasPrefix(b, []byte("%PDF-1.4")) || !bytes.HasSuffix(b, []byte("%%EOF\n")) {
					t.Errorf("%s's file is not a PDF: %.40q", p.Name, b)
				}
			case demo.ShopDeck:
				if p.Kind != shop.Physical || p.Stock == nil || *p.Stock != 12 {
					t.Errorf("the deck: %+v", p)
				}
			case demo.ShopAmethyst:
				if p.Kind != shop.Physical || p.Stock == nil || *p.Stock != 2 {
					t.Errorf("the amethyst: %+v, want 2 left after the past order", p)
				}
			default:
				t.Errorf("unexpected product %q", p.Name)
			}
		}
		coupons, err := s.App.Shop.Coupons(ctx)
		if err != nil || len(coupons) != 1 || coupons[0].Code != demo.ShopCoupon || coupons[0].Discount(1000) != 100 {
			t.Fatalf("coupons %+v (%v), want WELCOME10 at 10%% off", coupons, err)
		}
		orders, err := s.App.Shop.Orders(ctx, shop.OrderFilter{UserID: client.ID})
		if err != nil || len(orders) != 1 || orders[0].State != shop.Delivered || orders[0].TrackingNumber == "" || orders[0].Items[0].Name != demo.ShopAmethyst {
			t.Fatalf("the client's orders %+v (%v), want the amethyst, delivered", orders, err)
		}
		var paid int
		if err := s.App.DB.Read().QueryRowContext(ctx, `SELECT COUNT(*) FROM ledger_transfers WHERE type = $1 AND cause_type = 'shop_order'`,
			ledger.TypeOrder).Scan(&paid); err != nil {
			t.Fatal(err)
		}
		if paid != 1 {
			t.Fatalf("%d shop payments, want 1", paid)
		}
	})
}

// shopFileKey is where product id's file is stored.
func shopFileKey(t *testing.T, s *apptest.Server, id int64) string {
	t.Helper()
	var key string
	if err := s.App.DB.Read().QueryRowContext(ctx, `SELECT file_key FROM shop_products WHERE id = $1`, id).Scan(&key); err != nil {
		t.Fatal(err)
	}
	return key
}
