package web

import (
	"net/http"

	"github.com/soulseer/soulseer/internal/shop"
)

// shopProductPage is one product with the form that puts it in the cart.
type shopProductPage struct {
	Page
	Product  shopItem
	InCart   int               // how many of it the cart holds already
	Max      int               // the most one order may take of it
	Quantity string            // the quantity field, as typed
	Errors   map[string]string // the refused fields
	LinkLife string            // how long a download link works
}

// shopProductShow shows a product on sale (SHOP-2, SHOP-3): its picture,
// description, price and what is left, and a quantity to add to the cart
// while any is left.
func (s *Server) shopProductShow(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	p, err := s.Shop.Product(r.Context(), id, false)
	if err != nil {
		return err
	}
	data := shopProductPage{Page: s.page(w, r, p.Name), Product: shopItem{p}, InCart: readCart(r).quantity(id), Max: maxToOrder(p), Quantity: "1",
		LinkLife: s.downloadLife()}
	return s.render(w, http.StatusOK, "shop_product", data)
}

// maxToOrder is the most of p one order may take: what is left, at most
// shop.MaxQuantity.
func maxToOrder(p shop.Product) int {
	if p.Stock != nil {
		return int(min(*p.Stock, shop.MaxQuantity))
	}
	return shop.MaxQuantity
}
