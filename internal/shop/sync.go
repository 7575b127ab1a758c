package shop

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/riverqueue/river"
	"github.com/stripe/stripe-go/v85"

	"github.com/soulseer/soulseer/internal/db"
	"github.com/soulseer/soulseer/internal/payment"
	"github.com/soulseer/soulseer/internal/shop/stripecatalog"
)

// SyncInterval is how often the whole catalog is read again from Stripe,
// catching whatever a lost webhook missed (SHOP-1).
const SyncInterval = time.Hour

// SyncResult is what one sync of the catalog did.
type SyncResult struct {
	StartedAt  time.Time `json:"started_at"`
	FinishedAt time.Time `json:"finished_at"`
	Created    int       `json:"created"`
	Updated    int       `json:"updated"`
	Archived   int       `json:"archived"`
	Skipped    int       `json:"skipped"` // never sellable, so never shown
	Error      string    `json:"error,omitempty"`
}

// errNoCatalog refuses a sync when Stripe is not configured.
var errNoCatalog = errors.New("shop: no Stripe catalog is configured")

// Sync mirrors the whole Stripe catalog (SHOP-1): each product is created
// or updated here, one not sellable in Stripe (archived, no one-time
// price, no kind) leaves the shop, and one Stripe no longer lists is
// archived. Orders keep their own copy of what they bought. The result is
// recorded for the admins' sync status.
func (s *Service) Sync(ctx context.Context) (SyncResult, error) {
	if s.Catalog == nil {
		return SyncResult{}, errNoCatalog
	}
	res := SyncResult{StartedAt: s.Clock.Now()}
	products, err := s.Catalog.List(ctx)
	if err == nil {
		seen := make(map[string]bool, len(products))
		for _, p := range products {
			seen[p.ProductID] = true
			if err = s.mirror(ctx, p, &res); err != nil {
				break
			}
		}
		if err == nil {
			err = s.archiveMissing(ctx, seen, &res)
		}
	}
	res.FinishedAt = s.Clock.Now()
	if err != nil {
		res.Error = err.Error()
	}
	if rerr := s.DB.Tx(ctx, func(tx *db.Tx) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO shop_catalog_syncs (started_at, finished_at, created, updated, archived, skipped, error)
			VALUES ($1, $2, $3, $4, $5, $6, $7)`, db.Millis(res.StartedAt), db.Millis(res.FinishedAt), res.Created, res.Updated, res.Archived, res.Skipped, res.Error)
		return err
	}); rerr != nil && err == nil {
		err = rerr
	}
	return res, err
}

// LastSync is the latest sync of the catalog; ok is false before the first.
func (s *Service) LastSync(ctx context.Context) (res SyncResult, ok bool, err error) {
	var started, finished int64
	err = s.DB.Read().QueryRowContext(ctx, `SELECT started_at, finished_at, created, updated, archived, skipped, error FROM shop_catalog_syncs
		ORDER BY id DESC LIMIT 1`).Scan(&started, &finished, &res.Created, &res.Updated, &res.Archived, &res.Skipped, &res.Error)
	if errors.Is(err, sql.ErrNoRows) {
		return SyncResult{}, false, nil
	}
	if err != nil {
		return SyncResult{}, false, fmt.Errorf("shop: last sync: %w", err)
	}
	res.StartedAt, res.FinishedAt = db.Time(started), db.Time(finished)
	return res, true, nil
}

// SyncProduct mirrors one product as Stripe holds it now (SHOP-1); one
// Stripe no longer has is archived. Events only say which product to read
// again, so replayed and out-of-order events end in Stripe's state.
func (s *Service) SyncProduct(ctx context.Context, productID string) error {
	if s.Catalog == nil {
		return errNoCatalog
	}
	p, err := s.Catalog.Product(ctx, productID)
	var res SyncResult
	switch {
	case errors.Is(err, stripecatalog.ErrGone):
		return s.DB.Tx(ctx, func(tx *db.Tx) error {
			_, err := tx.ExecContext(ctx, `UPDATE shop_products SET active = FALSE, updated_at = $1 WHERE stripe_product_id = $2 AND active`,
				db.Millis(s.Clock.Now()), productID)
			return err
		})
	case err != nil:
		return err
	}
	return s.mirror(ctx, p, &res)
}

// mirror writes Stripe product p here, counting what it did in res. A
// product never sellable and not here yet is skipped. Stock follows
// Stripe's metadata only when that changed since it was last seen.
func (s *Service) mirror(ctx context.Context, p stripecatalog.Product, res *SyncResult) error {
	now := db.Millis(s.Clock.Now())
	sellable := p.Sellable() && p.Currency == payment.Currency
	return s.DB.Tx(ctx, func(tx *db.Tx) error {
		var id int64
		var seenStock sql.NullInt64
		err := tx.QueryRowContext(ctx, `SELECT id, stripe_stock FROM shop_products WHERE stripe_product_id = $1`+s.DB.ForUpdate(), p.ProductID).Scan(&id, &seenStock)
		if errors.Is(err, sql.ErrNoRows) {
			if !sellable {
				res.Skipped++
				return nil
			}
			res.Created++
			_, err = tx.ExecContext(ctx, `INSERT INTO shop_products (name, description, kind, price_cents, stock, active, image_url, thumb_url,
				stripe_product_id, stripe_price_id, stripe_stock, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, TRUE, $6, $6, $7, $8, $5, $9, $9)`,
				clip(p.Name, MaxNameLen), clip(p.Description, MaxDescriptionLen), p.Kind, p.PriceCents, nullInt(p.Stock), p.ImageURL, p.ProductID, p.PriceID, now)
			return err
		}
		if err != nil {
			return err
		}
		if !sellable {
			res.Archived++
			_, err := tx.ExecContext(ctx, `UPDATE shop_products SET active = FALSE, updated_at = $1 WHERE id = $2`, now, id)
			return err
		}
		res.Updated++
		if _, err := tx.ExecContext(ctx, `UPDATE shop_products SET name = $1, description = $2, kind = $3, price_cents = $4, active = TRUE,
			image_url = $5, thumb_url = $5, stripe_price_id = $6, updated_at = $7 WHERE id = $8`,
			clip(p.Name, MaxNameLen), clip(p.Description, MaxDescriptionLen), p.Kind, p.PriceCents, p.ImageURL, p.PriceID, now, id); err != nil {
			return err
		}
		if sameStock(seenStock, p.Stock) {
			return nil
		}
		_, err = tx.ExecContext(ctx, `UPDATE shop_products SET stock = $1, stripe_stock = $1 WHERE id = $2`, nullInt(p.Stock), id)
		return err
	})
}

// archiveMissing archives the mirrored products the catalog no longer has.
func (s *Service) archiveMissing(ctx context.Context, seen map[string]bool, res *SyncResult) error {
	rows, err := s.DB.Read().QueryContext(ctx, `SELECT stripe_product_id FROM shop_products WHERE stripe_product_id IS NOT NULL AND active`)
	if err != nil {
		return err
	}
	var gone []string
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			rows.Close()
			return err
		}
		if !seen[id] {
			gone = append(gone, id)
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	for _, id := range gone {
		if err := s.DB.Tx(ctx, func(tx *db.Tx) error {
			_, err := tx.ExecContext(ctx, `UPDATE shop_products SET active = FALSE, updated_at = $1 WHERE stripe_product_id = $2`, db.Millis(s.Clock.Now()), id)
			return err
		}); err != nil {
			return err
		}
		res.Archived++
	}
	return nil
}

func sameStock(seen sql.NullInt64, now *int64) bool {
	if now == nil {
		return !seen.Valid
	}
	return seen.Valid && seen.Int64 == *now
}

func nullInt(n *int64) any {
	if n == nil {
		return nil
	}
	return *n
}

// clip cuts s to at most n characters.
func clip(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n])
}

// CatalogChanged is payment.Service's hook for the product.* and price.*
// webhooks (SHOP-1): in the event's transaction it queues the product the
// event concerns to be read again from Stripe (SyncProductArgs), so the
// webhook answers at once and a failed read is retried.
func (s *Service) CatalogChanged(ctx context.Context, tx *db.Tx, ev stripe.Event) (string, error) {
	id, ok := stripecatalog.ProductOfEvent(ev)
	if !ok || s.Catalog == nil {
		return "no product to read again", nil
	}
	if err := s.Jobs.InsertTx(ctx, tx, SyncProductArgs{ProductID: id}, nil); err != nil {
		return "", err
	}
	return "product " + id + " queued to be read again", nil
}

// SyncArgs is the periodic job that mirrors the whole catalog.
type SyncArgs struct{}

// Kind names the job.
func (SyncArgs) Kind() string { return "shop.sync" }

// SyncWorker runs Sync.
type SyncWorker struct {
	river.WorkerDefaults[SyncArgs]
	Shop *Service
}

// Work mirrors the catalog; a failed sync is recorded and tried again at
// the next interval.
func (w *SyncWorker) Work(ctx context.Context, _ *river.Job[SyncArgs]) error {
	_, err := w.Shop.Sync(ctx)
	return err
}

// SyncProductArgs is the job that reads one product again from Stripe.
type SyncProductArgs struct {
	ProductID string `json:"product_id"`
}

// Kind names the job.
func (SyncProductArgs) Kind() string { return "shop.sync_product" }

// SyncProductWorker runs SyncProduct.
type SyncProductWorker struct {
	river.WorkerDefaults[SyncProductArgs]
	Shop *Service
}

// Work mirrors the product; a failure is retried by the queue.
func (w *SyncProductWorker) Work(ctx context.Context, j *river.Job[SyncProductArgs]) error {
	return w.Shop.SyncProduct(ctx, j.Args.ProductID)
}
