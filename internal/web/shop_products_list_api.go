package web

import (
	"net/http"
	"strconv"

	"github.com/soulseer/soulseer/internal/account"
	"github.com/soulseer/soulseer/internal/apperr"
	"github.com/soulseer/soulseer/internal/shop"
)

// shopProductList is the answer of GET /shop/products.
type shopProductList struct {
	Products   []shop.Product `json:"products"`
	Categories []string       `json:"categories"` // of the products on sale, for filtering
}

// apiShopProductsList answers the catalog (SHOP-2, SHOP-3), narrowed by
// category, kind, q (words in the name or description) and in_stock;
// admins asking with archived=true get the archived products too. A kind
// other than digital or physical, or an in_stock that is not true or
// false, is a 400 naming it.
func (s *Server) apiShopProductsList(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	f := shop.ProductFilter{Category: q.Get("category"), Kind: q.Get("kind"), Query: q.Get("q"),
		All: q.Get("archived") == "true" && userOf(r).Role == account.RoleAdmin}
	errs := map[string]string{}
	if f.Kind != "" && f.Kind != shop.Digital && f.Kind != shop.Physical {
		errs["kind"] = "Use digital or physical."
	}
	if v := q.Get("in_stock"); v != "" {
		b, err := strconv.ParseBool(v)
		if err != nil {
			errs["in_stock"] = "Use true or false."
		}
		f.InStock = b
	}
	if err := apperr.Validation(errs); err != nil {
		return err
	}
	products, err := s.Shop.Products(r.Context(), f)
	if err != nil {
		return err
	}
	categories, err := s.Shop.Categories(r.Context())
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, shopProductList{Products: products, Categories: nonNil(categories)})
}
