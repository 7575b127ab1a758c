package privacy

import (
	"context"
	"errors"

	"github.com/soulseer/soulseer/internal/db"
)

// shopFile is shop.json.
type shopFile struct {
	Orders []orderData `json:"orders"`
}

type orderData struct {
	ID             int64        `json:"id"`
	State          string       `json:"state"`
	PayWith        string       `json:"pay_with"`
	SubtotalCents  int64        `json:"subtotal_cents"`
	DiscountCents  int64        `json:"discount_cents"`
	TotalCents     int64        `json:"total_cents"`
	CouponCode     string       `json:"coupon_code"`
	ShipTo         *addressData `json:"shipping_address"` // null: nothing to ship
	Carrier        string       `json:"carrier"`
	TrackingNumber string       `json:"tracking_number"`
	CreatedAt      stamp        `json:"created_at"`
	PaidAt         stamp        `json:"paid_at"`
	ShippedAt      stamp        `json:"shipped_at"`
	DeliveredAt    stamp        `json:"delivered_at"`
	ClosedAt       stamp        `json:"closed_at"`
	Items          []itemData   `json:"items"`
}

type addressData struct {
	Name       string `json:"name"`
	Line1      string `json:"line1"`
	Line2      string `json:"line2"`
	City       string `json:"city"`
	Region     string `json:"region"`
	PostalCode string `json:"postal_code"`
	Country    string `json:"country"`
}

type itemData struct {
	ID        int64  `json:"id"`
	ProductID int64  `json:"product_id"`
	Name      string `json:"name"`
	Kind      string `json:"kind"`
	UnitCents int64  `json:"unit_cents"`
	Quantity  int    `json:"quantity"`
	// FileName is a digital item's download, fetched again from the
	// order's page; "" for a physical one.
	FileName string `json:"file_name"`

	of int64
}

// readShop reads shop.json: the person's orders, their items and the
// files they can download.
func readShop(ctx context.Context, q db.Querier, userID int64) (any, error) {
	var f shopFile
	var errs [2]error
	var items []itemData
	f.Orders, errs[0] = list(ctx, q, `SELECT id, state, pay_with, subtotal_cents, discount_cents, total_cents, coupon_code, physical,
		ship_name, ship_line1, ship_line2, ship_city, ship_region, ship_postal_code, ship_country, carrier, tracking_number,
		created_at, paid_at, shipped_at, delivered_at, closed_at FROM shop_orders WHERE user_id = $1 ORDER BY id`,
		func(r db.Row, x *orderData) error {
			var physical bool
			var a addressData
			err := r.Scan(&x.ID, &x.State, &x.PayWith, &x.SubtotalCents, &x.DiscountCents, &x.TotalCents, &x.CouponCode, &physical,
				&a.Name, &a.Line1, &a.Line2, &a.City, &a.Region, &a.PostalCode, &a.Country, &x.Carrier, &x.TrackingNumber,
				&x.CreatedAt, &x.PaidAt, &x.ShippedAt, &x.DeliveredAt, &x.ClosedAt)
			if physical {
				x.ShipTo = &a
			}
			return err
		}, userID)
	items, errs[1] = list(ctx, q, `SELECT i.order_id, i.id, i.product_id, i.name, i.kind, i.unit_cents, i.quantity,
		CASE WHEN i.kind = 'digital' THEN COALESCE(p.file_name, '') ELSE '' END
		FROM shop_order_items i JOIN shop_orders o ON o.id = i.order_id LEFT JOIN shop_products p ON p.id = i.product_id
		WHERE o.user_id = $1 ORDER BY i.order_id, i.id`,
		func(r db.Row, x *itemData) error {
			return r.Scan(&x.of, &x.ID, &x.ProductID, &x.Name, &x.Kind, &x.UnitCents, &x.Quantity, &x.FileName)
		}, userID)
	if err := errors.Join(errs[:]...); err != nil {
		return nil, err
	}
	byOrder := groupBy(items, func(it itemData) int64 { return it.of })
	for i := range f.Orders {
		f.Orders[i].Items = orEmpty(byOrder[f.Orders[i].ID])
	}
	return f, nil
}
