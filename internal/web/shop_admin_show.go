package web

import (
	"net/http"

	"github.com/soulseer/soulseer/internal/shop"
)

// adminShopPage is the admins' view of the catalog.
type adminShopPage struct {
	Page
	Products []shopItem
	Stripe   bool            // the catalog is mirrored from Stripe: sync shows
	LastSync shop.SyncResult // the latest sync, when Synced
	Synced   bool
}

// adminShopShow lists every product, archived too, with its stock and
// where it is kept, and, when the Stripe catalog is connected, how the
// latest sync went with a button to sync now (SHOP-1, SHOP-3).
func (s *Server) adminShopShow(w http.ResponseWriter, r *http.Request) error {
	products, err := s.Shop.Products(r.Context(), shop.ProductFilter{All: true})
	if err != nil {
		return err
	}
	p := adminShopPage{Page: s.page(w, r, "Shop"), Products: shopItems(products), Stripe: s.Shop.Catalog != nil}
	if p.LastSync, p.Synced, err = s.Shop.LastSync(r.Context()); err != nil {
		return err
	}
	return s.render(w, http.StatusOK, "admin_shop", p)
}
