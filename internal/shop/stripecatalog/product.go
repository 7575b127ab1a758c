package stripecatalog

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/stripe/stripe-go/v85"
)

// The kinds of product, read from the Stripe product's metadata "kind":
// a digital product is delivered as a file, a physical one is shipped.
const (
	KindDigital  = "digital"
	KindPhysical = "physical"
)

// The Stripe product metadata keys the shop reads.
const (
	metaKind  = "kind"
	metaStock = "stock"
)

// Product is a Stripe product as the shop sells it.
//
// Kind is metadata "kind" ("digital" or "physical", any case); missing or
// anything else leaves Kind "" with a "kind" problem. Stock is metadata
// "stock", a whole number ≥ 0; absent means nil (unlimited), and a value
// that is not a whole number ≥ 0 leaves Stock nil with a "stock" problem, so
// a typo never turns a limited product into an unlimited one. The price is
// the product's default price in the currency's smallest unit; no default
// price, a recurring price, a customer-chosen amount or an amount of zero
// is a "default_price" problem. Active is Stripe's flag (false: archived).
type Product struct {
	ProductID   string
	PriceID     string
	Name        string
	Description string
	Kind        string
	Stock       *int64
	PriceCents  int64
	Currency    string
	Active      bool
	ImageURL    string
	Updated     time.Time
	// Problems holds, per field ("kind", "stock", "default_price"), why
	// the product cannot be sold as it stands in Stripe; nil when none.
	Problems map[string]string
}

// Sellable reports whether the product may be offered in the shop: active
// in Stripe and with no problems.
func (p Product) Sellable() bool {
	return p.Active && len(p.Problems) == 0
}

// fromStripe maps a Stripe product with its expanded default price.
func fromStripe(sp *stripe.Product) Product {
	p := Product{
		ProductID:   sp.ID,
		Name:        sp.Name,
		Description: sp.Description,
		Active:      sp.Active,
		Updated:     time.Unix(sp.Updated, 0).UTC(),
	}
	if len(sp.Images) > 0 {
		p.ImageURL = sp.Images[0]
	}
	problems := map[string]string{}
	switch kind := strings.ToLower(strings.TrimSpace(sp.Metadata[metaKind])); kind {
	case KindDigital, KindPhysical:
		p.Kind = kind
	case "":
		problems["kind"] = `metadata "kind" is missing; set it to "digital" or "physical"`
	default:
		problems["kind"] = fmt.Sprintf(`metadata "kind" is %q; set it to "digital" or "physical"`, sp.Metadata[metaKind])
	}
	if raw, ok := sp.Metadata[metaStock]; ok {
		n, err := strconv.ParseInt(strings.TrimSpace(raw), 10, 64)
		if err != nil || n < 0 {
			problems["stock"] = fmt.Sprintf(`metadata "stock" is %q; set a whole number of 0 or more, or remove it for unlimited stock`, raw)
		} else {
			p.Stock = &n
		}
	}
	if reason := priceProblem(sp.DefaultPrice); reason != "" {
		problems["default_price"] = reason
	}
	if pr := sp.DefaultPrice; pr != nil {
		p.PriceID, p.PriceCents, p.Currency = pr.ID, pr.UnitAmount, string(pr.Currency)
	}
	if len(problems) > 0 {
		p.Problems = problems
	}
	return p
}

// priceProblem says why pr cannot be a shop product's price, or "".
func priceProblem(pr *stripe.Price) string {
	switch {
	case pr == nil || pr.ID == "":
		return "the product has no default price"
	case pr.Type != stripe.PriceTypeOneTime:
		return fmt.Sprintf("default price %s is not a one-time price", pr.ID)
	case pr.CustomUnitAmount != nil:
		return fmt.Sprintf("default price %s lets the customer choose the amount", pr.ID)
	case pr.UnitAmount <= 0:
		return fmt.Sprintf("default price %s has no amount above zero", pr.ID)
	}
	return ""
}
