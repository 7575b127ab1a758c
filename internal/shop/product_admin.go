package shop

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"net/http"
	"path"
	"strconv"
	"strings"

	"github.com/soulseer/soulseer/internal/account"
	"github.com/soulseer/soulseer/internal/apperr"
	"github.com/soulseer/soulseer/internal/audit"
	"github.com/soulseer/soulseer/internal/db"
)

// CreateProduct adds a product kept here (SHOP-2), audited as admin's.
func (s *Service) CreateProduct(ctx context.Context, admin account.User, in ProductInput) (Product, error) {
	p := Product{Active: true}
	if err := in.apply(&p); err != nil {
		return Product{}, err
	}
	now := db.Millis(s.Clock.Now())
	err := s.DB.Tx(ctx, func(tx *db.Tx) error {
		err := tx.QueryRowContext(ctx, `INSERT INTO shop_products (name, description, category, kind, price_cents, stock, active, created_at, updated_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8) RETURNING id`,
			p.Name, p.Description, p.Category, p.Kind, p.PriceCents, nullStock(p), p.Active, now).Scan(&p.ID)
		if err != nil {
			return err
		}
		return s.audit(ctx, tx, admin, "shop.product_create", "shop_product", p.ID, productDetails(p))
	})
	if err != nil {
		return Product{}, fmt.Errorf("shop: create product: %w", err)
	}
	return s.Product(ctx, p.ID, true)
}

// UpdateProduct changes what in sets on product id. A product mirrored
// from Stripe is edited in Stripe: here only its category may change.
func (s *Service) UpdateProduct(ctx context.Context, admin account.User, id int64, in ProductInput) (Product, error) {
	p, err := s.Product(ctx, id, true)
	if err != nil {
		return Product{}, err
	}
	if p.Stripe() && (in.Name != nil || in.Description != nil || in.Kind != nil || in.PriceCents != nil || in.Stock != nil || in.Unlimited || in.Active != nil) {
		return Product{}, apperr.Errorf(apperr.Conflict, "This product comes from the Stripe catalog: change it there and sync.")
	}
	if err := in.apply(&p); err != nil {
		return Product{}, err
	}
	err = s.DB.Tx(ctx, func(tx *db.Tx) error {
		_, err := tx.ExecContext(ctx, `UPDATE shop_products SET name = $1, description = $2, category = $3, kind = $4, price_cents = $5,
			stock = $6, active = $7, updated_at = $8 WHERE id = $9`,
			p.Name, p.Description, p.Category, p.Kind, p.PriceCents, nullStock(p), p.Active, db.Millis(s.Clock.Now()), id)
		if err != nil {
			return err
		}
		return s.audit(ctx, tx, admin, "shop.product_update", "shop_product", id, productDetails(p))
	})
	if err != nil {
		return Product{}, fmt.Errorf("shop: update product: %w", err)
	}
	return s.Product(ctx, id, true)
}

// SetProductFile stores the file a digital product delivers (SHOP-2),
// replacing the one before; a physical product has none.
func (s *Service) SetProductFile(ctx context.Context, admin account.User, id int64, name string, data []byte) (Product, error) {
	p, err := s.Product(ctx, id, true)
	if err != nil {
		return Product{}, err
	}
	name = path.Base(strings.ReplaceAll(strings.TrimSpace(name), `\`, "/"))
	switch {
	case p.Kind != Digital:
		return Product{}, apperr.Validation(map[string]string{"file": "Only a digital product delivers a file."})
	case len(data) == 0:
		return Product{}, apperr.Validation(map[string]string{"file": "Choose a file."})
	case len(data) > MaxFileBytes:
		return Product{}, apperr.Validation(map[string]string{"file": fmt.Sprintf("The file is larger than %d MB.", MaxFileBytes>>20)})
	case name == "" || name == "." || name == "/" || len(name) > 200:
		return Product{}, apperr.Validation(map[string]string{"file": "Give the file a name of at most 200 characters."})
	}
	contentType := http.DetectContentType(data)
	key := "shop/" + strconv.FormatInt(id, 10) + "/" + randomHex() + "/" + name
	if err := s.Files.Put(ctx, key, contentType, data); err != nil {
		return Product{}, err
	}
	old := p.fileKey
	err = s.DB.Tx(ctx, func(tx *db.Tx) error {
		_, err := tx.ExecContext(ctx, `UPDATE shop_products SET file_key = $1, file_name = $2, file_type = $3, file_bytes = $4, updated_at = $5 WHERE id = $6`,
			key, name, contentType, len(data), db.Millis(s.Clock.Now()), id)
		if err != nil {
			return err
		}
		return s.audit(ctx, tx, admin, "shop.product_file", "shop_product", id, map[string]any{"file_name": name, "bytes": len(data)})
	})
	if err != nil {
		_ = s.Files.Delete(ctx, key)
		return Product{}, fmt.Errorf("shop: set file: %w", err)
	}
	// Links already given point at the product, not the key: the old
	// file can go.
	if old != "" {
		_ = s.Files.Delete(ctx, old)
	}
	return s.Product(ctx, id, true)
}

// SetProductImage makes the picture in data the product's, stored as an
// upload (re-encoded, without metadata, with a thumbnail).
func (s *Service) SetProductImage(ctx context.Context, admin account.User, id int64, name string, data []byte) (Product, error) {
	if _, err := s.Product(ctx, id, true); err != nil {
		return Product{}, err
	}
	u, err := s.Uploads.Create(ctx, admin, name, data)
	if err != nil {
		return Product{}, imageError(err)
	}
	if u.ThumbURL() == "" {
		return Product{}, apperr.Validation(map[string]string{"image": "Choose a picture (JPEG, PNG, WebP or GIF)."})
	}
	err = s.DB.Tx(ctx, func(tx *db.Tx) error {
		if _, err := s.Uploads.Attach(ctx, tx, admin, []int64{u.ID}); err != nil {
			return err
		}
		_, err := tx.ExecContext(ctx, `UPDATE shop_products SET image_upload_id = $1, image_url = $2, thumb_url = $3, updated_at = $4 WHERE id = $5`,
			u.ID, u.URL(), u.ThumbURL(), db.Millis(s.Clock.Now()), id)
		if err != nil {
			return err
		}
		return s.audit(ctx, tx, admin, "shop.product_image", "shop_product", id, map[string]any{"upload_id": u.ID})
	})
	if err != nil {
		return Product{}, fmt.Errorf("shop: set image: %w", err)
	}
	return s.Product(ctx, id, true)
}

// imageError names the image field in an upload's refusal, which names
// its file.
func imageError(err error) error {
	if e := apperr.As(err); e != nil && e.Fields["file"] != "" {
		return apperr.Validation(map[string]string{"image": e.Fields["file"]})
	}
	return err
}

func productDetails(p Product) map[string]any {
	d := map[string]any{"name": p.Name, "kind": p.Kind, "price_cents": p.PriceCents, "category": p.Category, "active": p.Active}
	if p.Stock != nil {
		d["stock"] = *p.Stock
	}
	return d
}

// audit records an admin's action on the shop in tx.
func (s *Service) audit(ctx context.Context, tx *db.Tx, admin account.User, action, model string, id int64, details map[string]any) error {
	return audit.Record(ctx, tx, audit.Entry{ActorID: admin.ID, Action: action, Model: model, ObjectID: strconv.FormatInt(id, 10), Details: details, At: s.Clock.Now()})
}

func randomHex() string {
	b := make([]byte, 12)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}
