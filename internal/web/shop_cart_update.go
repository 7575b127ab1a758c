package web

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"github.com/soulseer/soulseer/internal/apperr"
	"github.com/soulseer/soulseer/internal/shop"
)

// shopCartUpdate changes the browser's cart (SHOP-5): action "add" puts
// quantity more of product_id in it, "update" sets the quantity (0 takes
// it out), "remove" takes it out and "coupon" keeps coupon_code for
// checkout. Nothing is charged or reserved here. A quantity out of range,
// or more than is left, is refused beside its field.
func (s *Server) shopCartUpdate(w http.ResponseWriter, r *http.Request) error {
	if err := parseForm(w, r); err != nil {
		return err
	}
	c := readCart(r)
	action := r.PostFormValue("action")
	if action == "coupon" {
		return s.shopCartCoupon(w, r, c)
	}
	id, err := strconv.ParseInt(r.PostFormValue("product_id"), 10, 64)
	if err != nil || id <= 0 {
		return apperr.Validation(map[string]string{"product_id": "Choose a product."})
	}
	qty, qerr := strconv.Atoi(strings.TrimSpace(r.PostFormValue("quantity")))
	switch action {
	case "remove":
		qty, qerr = 0, nil
	case "add":
		qty += c.quantity(id)
	case "update":
	default:
		return apperr.Validation(map[string]string{"action": "Choose to add, update or remove."})
	}
	p, err := s.Shop.Product(r.Context(), id, false)
	if apperr.CodeOf(err) == apperr.NotFound && action != "add" && qty == 0 {
		p, err = shop.Product{ID: id}, nil // taking a product no longer sold out of the cart
	}
	if err != nil {
		return err
	}
	msg := ""
	switch {
	case qerr != nil || qty < 0 || (action == "add" && qty < 1):
		msg = fmt.Sprintf("Choose a quantity from 1 to %d.", shop.MaxQuantity)
	case qty > shop.MaxQuantity:
		msg = fmt.Sprintf("Order at most %d of one product.", shop.MaxQuantity)
	case qty > 0 && p.SoldOut():
		msg = p.Name + " is sold out."
	case qty > 0 && p.Stock != nil && int64(qty) > *p.Stock:
		msg = fmt.Sprintf("Only %d left; lower the quantity.", *p.Stock)
	case qty > 0 && c.quantity(id) == 0 && len(c.Lines) == shop.MaxLines:
		msg = fmt.Sprintf("A cart holds at most %d different products.", shop.MaxLines)
	}
	if msg != "" {
		return s.shopCartRefused(w, r, action, p, c, msg)
	}
	c.set(id, qty)
	s.writeCart(w, c)
	switch {
	case action == "add":
		s.setFlash(w, fmt.Sprintf("%s is in your cart.", p.Name))
	case qty == 0:
		s.setFlash(w, "Removed from your cart.")
	default:
		s.setFlash(w, "Your cart is updated.")
	}
	http.Redirect(w, r, "/shop/cart", http.StatusSeeOther)
	return nil
}

// shopCartRefused shows the form a quantity came from again with msg
// beside it: the product's page for "add", else the cart.
func (s *Server) shopCartRefused(w http.ResponseWriter, r *http.Request, action string, p shop.Product, c cart, msg string) error {
	if action == "add" {
		data := shopProductPage{Page: s.page(w, r, p.Name), Product: shopItem{p}, InCart: c.quantity(p.ID), Max: maxToOrder(p),
			Quantity: r.PostFormValue("quantity"), Errors: map[string]string{"quantity": msg}, LinkLife: s.downloadLife()}
		return s.render(w, http.StatusBadRequest, "shop_product", data)
	}
	priced, _, err := s.priceCart(r.Context(), c)
	if err != nil {
		return err
	}
	data := shopCartPage{Page: s.page(w, r, "Your cart"), Cart: priced, Message: msg,
		Errors: map[string]string{"quantity_" + strconv.FormatInt(p.ID, 10): msg}}
	return s.render(w, http.StatusBadRequest, "shop_cart", data)
}

// shopCartCoupon keeps the coupon code typed on the cart page for
// checkout, or clears it when empty; a code no coupon on offer has is
// refused beside the field.
func (s *Server) shopCartCoupon(w http.ResponseWriter, r *http.Request, c cart) error {
	typed := strings.TrimSpace(r.PostFormValue("coupon_code"))
	c.Coupon = cartCoupon(typed)
	priced, _, err := s.priceCart(r.Context(), c)
	if err != nil {
		return err
	}
	if typed != "" && priced.Offer == nil {
		priced.Coupon = typed
		data := shopCartPage{Page: s.page(w, r, "Your cart"), Cart: priced, Errors: map[string]string{"coupon_code": "There is no such coupon."}}
		return s.render(w, http.StatusBadRequest, "shop_cart", data)
	}
	s.writeCart(w, c)
	if c.Coupon == "" {
		s.setFlash(w, "The coupon is removed.")
	} else {
		s.setFlash(w, fmt.Sprintf("Coupon %s: %s, applied at checkout.", priced.Offer.Code, priced.Offer.Label()))
	}
	http.Redirect(w, r, "/shop/cart", http.StatusSeeOther)
	return nil
}
