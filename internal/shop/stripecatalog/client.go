// Package stripecatalog reads SoulSeer's shop catalogue from Stripe's
// products and prices and creates the shop's coupons there (SHOP-1, SHOP-4).
// It holds no state: the shop stores what it reads and decides what is sold.
package stripecatalog

import (
	"context"
	"errors"
	"fmt"
	"net/http"

	"github.com/stripe/stripe-go/v85"

	"github.com/soulseer/soulseer/internal/payment"
)

// ErrGone is returned for a product Stripe no longer has (deleted, or never
// created): the shop archives its copy rather than retrying.
var ErrGone = errors.New("stripecatalog: product gone from Stripe")

// Client reads the catalogue and writes promotions through the Stripe API.
type Client struct {
	api *stripe.Client
}

// New returns a Client using secretKey. apiURL overrides the API base URL
// (stripe-mock in tests, or a proxy); empty means Stripe.
func New(secretKey, apiURL string) *Client {
	return &Client{api: payment.NewStripeClient(secretKey, apiURL)}
}

// List returns every product in the Stripe catalogue, active and archived,
// each with its default price, following Stripe's pages to the end. A
// product that cannot be sold is still listed, with its Problems, so the
// shop can hide or archive its copy.
func (c *Client) List(ctx context.Context) ([]Product, error) {
	params := &stripe.ProductListParams{}
	params.Limit = stripe.Int64(100)
	params.AddExpand("data.default_price")
	var out []Product
	for p, err := range c.api.V1Products.List(ctx, params).All(ctx) {
		if err != nil {
			return nil, fmt.Errorf("stripecatalog: list products: %w", err)
		}
		out = append(out, fromStripe(p))
	}
	return out, nil
}

// Product returns one product with its default price as Stripe holds it
// now. A product Stripe no longer has answers ErrGone.
func (c *Client) Product(ctx context.Context, productID string) (Product, error) {
	if productID == "" {
		return Product{}, errors.New("stripecatalog: product: empty id")
	}
	params := &stripe.ProductRetrieveParams{}
	params.AddExpand("default_price")
	p, err := c.api.V1Products.Retrieve(ctx, productID, params)
	var se *stripe.Error
	if errors.As(err, &se) && se.HTTPStatusCode == http.StatusNotFound {
		return Product{}, fmt.Errorf("stripecatalog: product %s: %w", productID, ErrGone)
	}
	if err != nil {
		return Product{}, fmt.Errorf("stripecatalog: product %s: %w", productID, err)
	}
	if p.Deleted {
		return Product{}, fmt.Errorf("stripecatalog: product %s: %w", productID, ErrGone)
	}
	return fromStripe(p), nil
}
