package web

import (
	"crypto/rand"
	"net/http"

	"github.com/soulseer/soulseer/internal/shop"
)

// shopCheckoutPage is the checkout form: what the cart holds at today's
// prices, the coupon, how to pay and, for anything physical, where to
// send it.
type shopCheckoutPage struct {
	Page
	Cart       pricedCart
	CouponCode string
	PayWith    string
	Shipping   shop.Address
	Key        string            // names this form's order, so a double submit places one
	Message    string            // why the order was refused
	Short      bool              // the wallet was short: the message says by how much
	Errors     map[string]string // the refused fields, by the shop's names
}

// shippingField is one field of the shipping address form.
type shippingField struct {
	Name, Label, Autocomplete string
	Required                  bool
}

// ShippingFields are the address fields the form asks for, named as the
// shop names their errors (shipping_address.<field>).
func (shopCheckoutPage) ShippingFields() []shippingField {
	return []shippingField{
		{"name", "Full name", "shipping name", true},
		{"line1", "Street address", "shipping address-line1", true},
		{"line2", "Apartment, suite (optional)", "shipping address-line2", false},
		{"city", "City", "shipping address-level2", true},
		{"region", "State or region (optional)", "shipping address-level1", false},
		{"postal_code", "Postal code", "shipping postal-code", true},
		{"country", "Country (two-letter code, e.g. US)", "shipping country", true},
	}
}

// ShippingValue is the typed value of address field name.
func (p shopCheckoutPage) ShippingValue(name string) string {
	a := p.Shipping
	return map[string]string{"name": a.Name, "line1": a.Line1, "line2": a.Line2, "city": a.City, "region": a.Region,
		"postal_code": a.PostalCode, "country": a.Country}[name]
}

// shopCheckoutNew shows the checkout of the browser's cart (SHOP-4,
// SHOP-5): a fresh request key each time it is shown, the cart's coupon,
// the wallet chosen when it covers the total.
func (s *Server) shopCheckoutNew(w http.ResponseWriter, r *http.Request) error {
	priced, kept, err := s.priceCart(r.Context(), readCart(r))
	if err != nil {
		return err
	}
	if len(priced.Lines) == 0 {
		s.writeCart(w, kept)
		s.setFlash(w, "Your cart is empty.")
		http.Redirect(w, r, "/shop/cart", http.StatusSeeOther)
		return nil
	}
	p := shopCheckoutPage{Page: s.page(w, r, "Checkout"), Cart: priced, CouponCode: priced.Coupon, PayWith: shop.PayWallet, Key: rand.Text()}
	if p.Balance < priced.Total() {
		p.PayWith = shop.PayCard
	}
	return s.render(w, http.StatusOK, "shop_checkout", p)
}
