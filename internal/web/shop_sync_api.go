package web

import (
	"net/http"

	"github.com/soulseer/soulseer/internal/shop"
)

// shopSyncStatus is the answer of GET /admin/shop/sync.
type shopSyncStatus struct {
	Last   *shop.SyncResult `json:"last"`   // null before the first sync
	Stripe bool             `json:"stripe"` // whether the catalog is mirrored from Stripe
}

// apiAdminShopSyncCreate mirrors the Stripe catalog now (SHOP-1), audited:
// 200 with what the sync did. Without Stripe the catalog is kept here
// (409); a sync Stripe failed is recorded and answered 503 with the reason.
func (s *Server) apiAdminShopSyncCreate(w http.ResponseWriter, r *http.Request) error {
	res, err := s.Shop.SyncNow(r.Context(), userOf(r))
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, res)
}

// apiAdminShopSyncShow answers the latest sync of the catalog (SHOP-1),
// null before the first, and whether the catalog comes from Stripe.
func (s *Server) apiAdminShopSyncShow(w http.ResponseWriter, r *http.Request) error {
	res, ok, err := s.Shop.LastSync(r.Context())
	if err != nil {
		return err
	}
	out := shopSyncStatus{Stripe: s.Shop.Catalog != nil}
	if ok {
		out.Last = &res
	}
	return writeJSON(w, http.StatusOK, out)
}
