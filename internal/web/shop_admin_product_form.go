package web

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/soulseer/soulseer/internal/apperr"
	"github.com/soulseer/soulseer/internal/ledger"
	"github.com/soulseer/soulseer/internal/shop"
)

// productForm is a product's form as the admin typed it.
type productForm struct {
	Name, Description, Category, Kind string
	Price                             string // in dollars
	Stock                             string
	Unlimited, Active                 bool
	Errors                            map[string]string // what was refused, by field
}

// adminShopProductPage is the page that adds a product (Product zero) or
// edits one, with its file and picture.
type adminShopProductPage struct {
	Page
	Product shop.Product
	Form    productForm
	Message string            // why the last save was refused
	Uploads map[string]string // refused uploads: "file", "image"
}

// formOfProduct is p's form as it stands.
func formOfProduct(p shop.Product) productForm {
	f := productForm{Name: p.Name, Description: p.Description, Category: p.Category, Kind: p.Kind, Price: dollars(p.PriceCents),
		Unlimited: p.Stock == nil, Active: p.Active}
	if p.Stock != nil {
		f.Stock = strconv.FormatInt(*p.Stock, 10)
	}
	return f
}

// readProductForm reads a product's form into the form as typed and the
// shop's input; the fields that do not parse are named in Errors. A
// product from the Stripe catalog takes its category alone.
func readProductForm(r *http.Request, fromStripe bool) (productForm, shop.ProductInput) {
	f := productForm{Name: r.PostFormValue("name"), Description: r.PostFormValue("description"), Category: r.PostFormValue("category"),
		Kind: r.PostFormValue("kind"), Price: r.PostFormValue("price"), Stock: r.PostFormValue("stock"),
		Unlimited: r.PostFormValue("unlimited") != "", Active: r.PostFormValue("active") != "", Errors: map[string]string{}}
	in := shop.ProductInput{Category: &f.Category}
	if fromStripe {
		return f, in
	}
	in.Name, in.Description, in.Kind, in.Active, in.Unlimited = &f.Name, &f.Description, &f.Kind, &f.Active, f.Unlimited
	if cents, ok := ledger.ParseCents(f.Price); ok {
		in.PriceCents = &cents
	} else {
		f.Errors["price_cents"] = "Write the price in dollars, e.g. 12 or 9.99."
	}
	if !f.Unlimited {
		n, err := strconv.ParseInt(strings.TrimSpace(f.Stock), 10, 64)
		if err != nil {
			f.Errors["stock"] = "Write how many are in stock as a whole number, or tick unlimited."
		}
		in.Stock = &n
	}
	return f, in
}

// saveProduct creates (id 0) or updates product id from its form (SHOP-2,
// SHOP-3), audited by the shop; a refusal shows the form again with each
// field's fault beside it.
func (s *Server) saveProduct(w http.ResponseWriter, r *http.Request, id int64) error {
	var current shop.Product
	if id != 0 {
		var err error
		if current, err = s.Shop.Product(r.Context(), id, true); err != nil {
			return err
		}
	}
	f, in := readProductForm(r, current.Stripe())
	var saved shop.Product
	err := apperr.Validation(f.Errors)
	switch {
	case err != nil:
	case id == 0:
		saved, err = s.Shop.CreateProduct(r.Context(), userOf(r), in)
	default:
		saved, err = s.Shop.UpdateProduct(r.Context(), userOf(r), id, in)
	}
	if code := apperr.CodeOf(err); code == apperr.Invalid || code == apperr.Conflict {
		if e := apperr.As(err); e != nil && e.Fields != nil {
			f.Errors = e.Fields
		}
		title := "New product"
		if id != 0 {
			title = current.Name
		}
		if current.Stripe() {
			f = formOfProduct(current)
		}
		p := adminShopProductPage{Page: s.page(w, r, title), Product: current, Form: f, Message: apperr.MessageOf(err)}
		return s.render(w, statusOf(code), "admin_shop_product", p)
	}
	if err != nil {
		return err
	}
	s.setFlash(w, saved.Name+" is saved.")
	http.Redirect(w, r, "/admin/shop/products/"+strconv.FormatInt(saved.ID, 10), http.StatusSeeOther)
	return nil
}
