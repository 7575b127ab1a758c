package shop

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/soulseer/soulseer/internal/apperr"
	"github.com/soulseer/soulseer/internal/db"
)

// Kinds of product (SHOP-2): a digital one is a file delivered by a signed
// link; a physical one is shipped to an address.
const (
	Digital  = "digital"
	Physical = "physical"
)

// Product is one thing the shop sells. Stock nil means unlimited.
type Product struct {
	ID              int64     `json:"id"`
	Name            string    `json:"name"`
	Description     string    `json:"description"`
	Category        string    `json:"category"`
	Kind            string    `json:"kind"`
	PriceCents      int64     `json:"price_cents"`
	Stock           *int64    `json:"stock"`
	Active          bool      `json:"active"`
	ImageURL        string    `json:"image_url"`
	ThumbURL        string    `json:"thumb_url"`
	HasFile         bool      `json:"has_file"`
	FileName        string    `json:"file_name,omitempty"`
	FileBytes       int64     `json:"file_bytes,omitempty"`
	StripeProductID string    `json:"stripe_product_id,omitempty"`
	CreatedAt       time.Time `json:"created_at"`
	UpdatedAt       time.Time `json:"updated_at"`

	fileKey, fileType string
}

// SoldOut reports whether none is left.
func (p Product) SoldOut() bool { return p.Stock != nil && *p.Stock == 0 }

// Stripe reports whether the product is mirrored from the Stripe catalog,
// which is then where it is edited.
func (p Product) Stripe() bool { return p.StripeProductID != "" }

const productColumns = `id, name, description, category, kind, price_cents, stock, active, image_url, thumb_url,
	file_key, file_name, file_type, file_bytes, COALESCE(stripe_product_id, ''), created_at, updated_at`

func scanProduct(row db.Row) (Product, error) {
	var p Product
	var stock sql.NullInt64
	var created, updated int64
	err := row.Scan(&p.ID, &p.Name, &p.Description, &p.Category, &p.Kind, &p.PriceCents, &stock, &p.Active, &p.ImageURL, &p.ThumbURL,
		&p.fileKey, &p.FileName, &p.fileType, &p.FileBytes, &p.StripeProductID, &created, &updated)
	if err != nil {
		return Product{}, err
	}
	if stock.Valid {
		p.Stock = &stock.Int64
	}
	p.HasFile = p.fileKey != ""
	p.CreatedAt, p.UpdatedAt = db.Time(created), db.Time(updated)
	return p, nil
}

// ProductFilter narrows the catalog. The zero value lists what is on sale.
type ProductFilter struct {
	Category string
	Kind     string
	Query    string // words in the name or description
	InStock  bool
	All      bool // archived products too (admins)
}

// Products lists the catalog by category and name.
func (s *Service) Products(ctx context.Context, f ProductFilter) ([]Product, error) {
	var where []string
	var args []any
	arg := func(v any) string { args = append(args, v); return fmt.Sprintf("$%d", len(args)) }
	if !f.All {
		where = append(where, "active")
	}
	if f.Category != "" {
		where = append(where, "category = "+arg(f.Category))
	}
	if f.Kind != "" {
		where = append(where, "kind = "+arg(f.Kind))
	}
	if f.InStock {
		where = append(where, "(stock IS NULL OR stock > 0)")
	}
	if q := strings.ToLower(strings.TrimSpace(f.Query)); q != "" {
		like := arg("%" + strings.NewReplacer(`\`, `\\`, "%", `\%`, "_", `\_`).Replace(q) + "%")
		where = append(where, "(LOWER(name) LIKE "+like+` ESCAPE '\' OR LOWER(description) LIKE `+like+` ESCAPE '\')`)
	}
	query := `SELECT ` + productColumns + ` FROM shop_products`
	if len(where) > 0 {
		query += " WHERE " + strings.Join(where, " AND ")
	}
	rows, err := s.DB.Read().QueryContext(ctx, query+` ORDER BY category, name, id`, args...)
	if err != nil {
		return nil, fmt.Errorf("shop: products: %w", err)
	}
	return db.Collect(rows, scanProduct)
}

// Categories lists the categories of products on sale, in order.
func (s *Service) Categories(ctx context.Context) ([]string, error) {
	rows, err := s.DB.Read().QueryContext(ctx, `SELECT DISTINCT category FROM shop_products WHERE active AND category <> '' ORDER BY category`)
	if err != nil {
		return nil, fmt.Errorf("shop: categories: %w", err)
	}
	return db.Collect(rows, func(r db.Row) (c string, err error) { return c, r.Scan(&c) })
}

// Product returns product id; an archived one only to admins (all).
func (s *Service) Product(ctx context.Context, id int64, all bool) (Product, error) {
	p, err := scanProduct(s.DB.Read().QueryRowContext(ctx, `SELECT `+productColumns+` FROM shop_products WHERE id = $1`, id))
	if errors.Is(err, sql.ErrNoRows) || err == nil && !p.Active && !all {
		return Product{}, apperr.Errorf(apperr.NotFound, "No such product.")
	}
	if err != nil {
		return Product{}, fmt.Errorf("shop: product: %w", err)
	}
	return p, nil
}

// ProductInput is what an admin sets on a product kept here. Nil fields
// are left as they are when updating.
type ProductInput struct {
	Name        *string `json:"name"`
	Description *string `json:"description"`
	Category    *string `json:"category"`
	Kind        *string `json:"kind"`
	PriceCents  *int64  `json:"price_cents"`
	// Stock: a number, or Unlimited to sell without counting.
	Stock     *int64 `json:"stock"`
	Unlimited bool   `json:"unlimited"`
	Active    *bool  `json:"active"`
}

// validate checks in, filling p with the result; every field's fault is
// named at once.
func (in ProductInput) apply(p *Product) error {
	errs := map[string]string{}
	if in.Name != nil {
		p.Name = strings.TrimSpace(*in.Name)
		switch {
		case p.Name == "":
			errs["name"] = "Give the product a name."
		case utf8.RuneCountInString(p.Name) > MaxNameLen:
			errs["name"] = fmt.Sprintf("Keep the name to %d characters.", MaxNameLen)
		}
	}
	if in.Description != nil {
		if p.Description = strings.TrimSpace(*in.Description); utf8.RuneCountInString(p.Description) > MaxDescriptionLen {
			errs["description"] = fmt.Sprintf("Keep the description to %d characters.", MaxDescriptionLen)
		}
	}
	if in.Category != nil {
		if p.Category = strings.TrimSpace(*in.Category); utf8.RuneCountInString(p.Category) > MaxCategoryLen {
			errs["category"] = fmt.Sprintf("Keep the category to %d characters.", MaxCategoryLen)
		}
	}
	if in.Kind != nil {
		if p.Kind = *in.Kind; p.Kind != Digital && p.Kind != Physical {
			errs["kind"] = "Choose digital or physical."
		}
	}
	if in.PriceCents != nil {
		if p.PriceCents = *in.PriceCents; p.PriceCents < 1 || p.PriceCents > MaxPriceCents {
			errs["price_cents"] = fmt.Sprintf("The price must be between $0.01 and $%d.", MaxPriceCents/100)
		}
	}
	switch {
	case in.Unlimited:
		p.Stock = nil
	case in.Stock != nil:
		if *in.Stock < 0 || *in.Stock > MaxStock {
			errs["stock"] = fmt.Sprintf("Stock must be between 0 and %d.", MaxStock)
		}
		n := *in.Stock
		p.Stock = &n
	}
	if in.Active != nil {
		p.Active = *in.Active
	}
	if p.Name == "" && errs["name"] == "" {
		errs["name"] = "Give the product a name."
	}
	if p.Kind == "" && errs["kind"] == "" {
		errs["kind"] = "Choose digital or physical."
	}
	if p.PriceCents == 0 && errs["price_cents"] == "" {
		errs["price_cents"] = "Give the product a price."
	}
	if len(errs) > 0 {
		return apperr.Validation(errs)
	}
	return nil
}

func nullStock(p Product) any {
	if p.Stock == nil {
		return nil
	}
	return *p.Stock
}
