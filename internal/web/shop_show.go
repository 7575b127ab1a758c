package web

import (
	"net/http"
	"strings"

	"github.com/soulseer/soulseer/internal/db"
	"github.com/soulseer/soulseer/internal/shop"
)

// shopPage is the shop's front: its categories, the filters in use and the
// products they leave.
type shopPage struct {
	Page
	Categories []string
	Filter     shop.ProductFilter
	Products   []shopItem
	InCart     int               // items in the browser's cart
	Errors     map[string]string // refused filters
}

// Filtered reports whether any filter narrows the catalog.
func (p shopPage) Filtered() bool {
	f := p.Filter
	return f.Category != "" || f.Kind != "" || f.Query != "" || f.InStock
}

// shopShow lists the products on sale (SHOP-2, SHOP-3), narrowed by
// ?category=, ?kind=digital|physical, ?in_stock=1 and ?q= (words in the
// name or description); a filter that cannot apply is named and left out.
func (s *Server) shopShow(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	f := shop.ProductFilter{Category: strings.TrimSpace(q.Get("category")), Kind: q.Get("kind"), Query: strings.TrimSpace(q.Get("q")),
		InStock: q.Get("in_stock") != ""}
	errs := map[string]string{}
	if f.Kind != "" && f.Kind != shop.Digital && f.Kind != shop.Physical {
		errs["kind"], f.Kind = "Choose digital or physical.", ""
	}
	if db.CheckSearch(errs, "q", f.Query); errs["q"] != "" {
		f.Query = ""
	}
	cats, err := s.Shop.Categories(r.Context())
	if err != nil {
		return err
	}
	products, err := s.Shop.Products(r.Context(), f)
	if err != nil {
		return err
	}
	f.Query = strings.TrimSpace(q.Get("q")) // shown as typed
	p := shopPage{Page: s.page(w, r, "Shop"), Categories: cats, Filter: f, Products: shopItems(products), InCart: readCart(r).count(), Errors: errs}
	status := http.StatusOK
	if len(errs) > 0 {
		status = http.StatusBadRequest
	}
	return s.render(w, status, "shop", p)
}
