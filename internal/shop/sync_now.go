package shop

import (
	"context"

	"github.com/soulseer/soulseer/internal/account"
	"github.com/soulseer/soulseer/internal/apperr"
	"github.com/soulseer/soulseer/internal/audit"
	"github.com/soulseer/soulseer/internal/db"
)

// SyncNow is an admin's manual sync of the catalog (SHOP-1): it mirrors
// the Stripe catalog as the periodic sync does and audits the run as
// admin's, with what it did. Without Stripe there is nothing to sync from
// (Conflict); a sync Stripe failed is recorded, audited and refused as
// Unavailable with the reason.
func (s *Service) SyncNow(ctx context.Context, admin account.User) (SyncResult, error) {
	if s.Catalog == nil {
		return SyncResult{}, apperr.Errorf(apperr.Conflict, "The catalog is kept here: Stripe is not configured.")
	}
	res, err := s.Sync(ctx)
	details := map[string]any{"created": res.Created, "updated": res.Updated, "archived": res.Archived, "skipped": res.Skipped, "error": res.Error}
	if aerr := s.DB.Tx(ctx, func(tx *db.Tx) error {
		return audit.Record(ctx, tx, audit.Entry{ActorID: admin.ID, Action: "shop.sync", Model: "shop_catalog", ObjectID: "stripe", Details: details, At: s.Clock.Now()})
	}); aerr != nil && err == nil {
		err = aerr
	}
	if err != nil && res.Error != "" {
		s.Log.Error("shop sync", "err", err)
		return res, apperr.Errorf(apperr.Unavailable, "The sync from Stripe did not finish: %s", res.Error)
	}
	return res, err
}
