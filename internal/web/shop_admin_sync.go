package web

import (
	"fmt"
	"net/http"

	"github.com/soulseer/soulseer/internal/apperr"
)

// adminShopSync reads the whole Stripe catalog now (SHOP-1), audited by
// the shop, and says what changed or why Stripe failed; without Stripe
// there is nothing to sync (409).
func (s *Server) adminShopSync(w http.ResponseWriter, r *http.Request) error {
	res, err := s.Shop.SyncNow(r.Context(), userOf(r))
	switch apperr.CodeOf(err) {
	case "":
		s.setFlash(w, fmt.Sprintf("Synced with Stripe: %d created, %d updated, %d archived.", res.Created, res.Updated, res.Archived))
	case apperr.Unavailable:
		s.setFlash(w, apperr.MessageOf(err))
	default:
		return err
	}
	http.Redirect(w, r, "/admin/shop", http.StatusSeeOther)
	return nil
}
