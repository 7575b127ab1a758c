package web

import (
	"context"

	"github.com/soulseer/soulseer/internal/apperr"
	"github.com/soulseer/soulseer/internal/shop"
)

// cartLine is one product of a cart at the catalog's price of now.
type cartLine struct {
	Product  shopItem
	Quantity int
}

// Cents is what the line costs.
func (l cartLine) Cents() int64 { return l.Product.PriceCents * int64(l.Quantity) }

// TooMany reports whether the cart holds more than is left in stock.
func (l cartLine) TooMany() bool {
	return l.Product.Stock != nil && int64(l.Quantity) > *l.Product.Stock
}

// pricedCart is a cart read against the catalog: prices always come from
// the database, never from the browser (SHOP-5).
type pricedCart struct {
	Lines    []cartLine
	Gone     int   // products no longer sold, taken out of the cart
	Subtotal int64 // before any coupon
	Physical bool  // something must be shipped: checkout asks for an address
	Coupon   string
	// Offer is the cart's coupon when one of that code is on offer, and
	// Discount what it would take off; checkout decides for certain.
	Offer    *shop.Coupon
	Discount int64
}

// Total is the subtotal less the expected discount.
func (p pricedCart) Total() int64 { return p.Subtotal - p.Discount }

// priceCart reads each product of c as the catalog has it now, leaving
// out those no longer sold, and returns the cart as it should be kept.
func (s *Server) priceCart(ctx context.Context, c cart) (pricedCart, cart, error) {
	out := pricedCart{Coupon: c.Coupon}
	kept := cart{Coupon: c.Coupon}
	for _, l := range c.Lines {
		p, err := s.Shop.Product(ctx, l.ProductID, false)
		if apperr.CodeOf(err) == apperr.NotFound {
			out.Gone++
			continue
		}
		if err != nil {
			return pricedCart{}, c, err
		}
		kept.Lines = append(kept.Lines, l)
		out.Lines = append(out.Lines, cartLine{Product: shopItem{p}, Quantity: l.Quantity})
		out.Subtotal += p.PriceCents * int64(l.Quantity)
		out.Physical = out.Physical || p.Kind == shop.Physical
	}
	if c.Coupon != "" {
		coupons, err := s.Shop.Coupons(ctx)
		if err != nil {
			return pricedCart{}, c, err
		}
		for i := range coupons {
			if coupons[i].Code == c.Coupon && coupons[i].Active {
				out.Offer, out.Discount = &coupons[i], coupons[i].Discount(out.Subtotal)
			}
		}
	}
	return out, kept, nil
}
