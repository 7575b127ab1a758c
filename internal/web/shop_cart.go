package web

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/soulseer/soulseer/internal/shop"
)

// cartCookie keeps a browser's cart: "id x quantity" pairs, e.g. "12x1-15x2",
// and the coupon code typed on the cart page after a "~".
const cartCookie = "soulseer_cart"

// cart is what a browser asked to buy. It carries no prices: every page
// reads them from the catalog as it is now (SHOP-5).
type cart struct {
	Lines  []shop.Line
	Coupon string
}

// readCart reads the cart cookie, keeping only what could be ordered:
// positive product ids, quantities clipped to 1…shop.MaxQuantity, each
// product once, at most shop.MaxLines products, and a coupon code of
// letters, digits and dashes.
func readCart(r *http.Request) cart {
	var c cart
	ck, err := r.Cookie(cartCookie)
	if err != nil {
		return c
	}
	lines, coupon, _ := strings.Cut(ck.Value, "~")
	seen := map[int64]bool{}
	for _, pair := range strings.Split(lines, "-") {
		idText, qtyText, ok := strings.Cut(pair, "x")
		id, err1 := strconv.ParseInt(idText, 10, 64)
		qty, err2 := strconv.Atoi(qtyText)
		if !ok || err1 != nil || err2 != nil || id <= 0 || qty < 1 || seen[id] || len(c.Lines) == shop.MaxLines {
			continue
		}
		seen[id] = true
		c.Lines = append(c.Lines, shop.Line{ProductID: id, Quantity: min(qty, shop.MaxQuantity)})
	}
	c.Coupon = cartCoupon(coupon)
	return c
}

// cartCoupon is code as a cart keeps it: in capitals, and only when it
// could be a coupon code at all.
func cartCoupon(code string) string {
	code = strings.ToUpper(strings.TrimSpace(code))
	if len(code) > shop.MaxCouponCodeLen || strings.Trim(code, "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-") != "" {
		return ""
	}
	return code
}

// quantity is how many of product id the cart holds.
func (c cart) quantity(id int64) int {
	for _, l := range c.Lines {
		if l.ProductID == id {
			return l.Quantity
		}
	}
	return 0
}

// set puts qty of product id in the cart (0 takes it out), keeping the
// order in which products were added.
func (c *cart) set(id int64, qty int) {
	qty = min(qty, shop.MaxQuantity)
	for i, l := range c.Lines {
		if l.ProductID == id {
			if qty <= 0 {
				c.Lines = append(c.Lines[:i], c.Lines[i+1:]...)
			} else {
				c.Lines[i].Quantity = qty
			}
			return
		}
	}
	if qty > 0 && len(c.Lines) < shop.MaxLines {
		c.Lines = append(c.Lines, shop.Line{ProductID: id, Quantity: qty})
	}
}

// count is how many items the cart holds in all.
func (c cart) count() int {
	n := 0
	for _, l := range c.Lines {
		n += l.Quantity
	}
	return n
}

// writeCart stores c in the browser for 30 days; an empty cart removes
// the cookie.
func (s *Server) writeCart(w http.ResponseWriter, c cart) {
	var b strings.Builder
	for i, l := range c.Lines {
		if i > 0 {
			b.WriteByte('-')
		}
		b.WriteString(strconv.FormatInt(l.ProductID, 10) + "x" + strconv.Itoa(l.Quantity))
	}
	if c.Coupon != "" {
		b.WriteString("~" + c.Coupon)
	}
	ck := &http.Cookie{Name: cartCookie, Value: b.String(), Path: "/shop", MaxAge: 30 * 24 * 3600,
		HttpOnly: true, Secure: s.Config.SecureCookies(), SameSite: http.SameSiteLaxMode}
	if b.Len() == 0 {
		ck.Value, ck.MaxAge = "", -1
	}
	http.SetCookie(w, ck)
}
