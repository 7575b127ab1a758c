package shop

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/soulseer/soulseer/internal/account"
	"github.com/soulseer/soulseer/internal/apperr"
	"github.com/soulseer/soulseer/internal/db"
)

// Order states (SHOP-7): pending → paid → shipped → delivered, a digital
// order paid → delivered at once. A card checkout left unpaid past its
// reservation is cancelled; a refunded order gave its money back.
const (
	Pending   = "pending"
	Paid      = "paid"
	Shipped   = "shipped"
	Delivered = "delivered"
	Cancelled = "cancelled"
	Refunded  = "refunded"
)

// States lists the order states in the order of an order's life.
func States() []string { return []string{Pending, Paid, Shipped, Delivered, Cancelled, Refunded} }

// Ways to pay (SHOP-5).
const (
	PayWallet = "wallet"
	PayCard   = "card"
)

// Order is what a buyer bought, with its own copy of names and prices.
type Order struct {
	ID             int64      `json:"id"`
	UserID         int64      `json:"user_id"`
	BuyerName      string     `json:"buyer_name"`
	State          string     `json:"state"`
	PayWith        string     `json:"pay_with"`
	SubtotalCents  int64      `json:"subtotal_cents"`
	DiscountCents  int64      `json:"discount_cents"`
	TotalCents     int64      `json:"total_cents"`
	CouponCode     string     `json:"coupon_code,omitempty"`
	Physical       bool       `json:"physical"`
	Shipping       *Address   `json:"shipping_address"`
	Carrier        string     `json:"carrier,omitempty"`
	TrackingNumber string     `json:"tracking_number,omitempty"`
	CheckoutURL    string     `json:"checkout_url,omitempty"`
	ReservedUntil  *time.Time `json:"reserved_until,omitempty"`
	CreatedAt      time.Time  `json:"created_at"`
	PaidAt         *time.Time `json:"paid_at,omitempty"`
	ShippedAt      *time.Time `json:"shipped_at,omitempty"`
	DeliveredAt    *time.Time `json:"delivered_at,omitempty"`
	ClosedAt       *time.Time `json:"closed_at,omitempty"`
	Items          []Item     `json:"items"`

	topUpID    int64
	couponID   int64
	requestKey string
}

// Item is one product in an order, as it was when bought.
type Item struct {
	ID        int64  `json:"id"`
	ProductID int64  `json:"product_id"`
	Name      string `json:"name"`
	Kind      string `json:"kind"`
	UnitCents int64  `json:"unit_cents"`
	Quantity  int    `json:"quantity"`
}

// LineCents is what the item's quantity costs.
func (it Item) LineCents() int64 { return it.UnitCents * int64(it.Quantity) }

// Digital reports whether the item is delivered as a file.
func (it Item) Digital() bool { return it.Kind == Digital }

// Downloadable reports whether the order's files may be fetched: it is
// paid for and not refunded.
func (o Order) Downloadable() bool {
	return o.State == Paid || o.State == Shipped || o.State == Delivered
}

const orderColumns = `o.id, o.user_id, u.display_name, o.state, o.pay_with, o.subtotal_cents, o.discount_cents, o.total_cents,
	COALESCE(o.coupon_id, 0), o.coupon_code, o.physical, o.ship_name, o.ship_line1, o.ship_line2, o.ship_city, o.ship_region,
	o.ship_postal_code, o.ship_country, o.carrier, o.tracking_number, COALESCE(o.topup_id, 0), COALESCE(t.checkout_url, ''),
	o.reserved_until, o.created_at, o.paid_at, o.shipped_at, o.delivered_at, o.closed_at, o.request_key`

const orderFrom = ` FROM shop_orders o JOIN users u ON u.id = o.user_id LEFT JOIN topups t ON t.id = o.topup_id`

func scanOrder(row db.Row) (Order, error) {
	var o Order
	var a Address
	var checkout string
	var reserved, paid, shipped, delivered, closed sql.NullInt64
	var created int64
	err := row.Scan(&o.ID, &o.UserID, &o.BuyerName, &o.State, &o.PayWith, &o.SubtotalCents, &o.DiscountCents, &o.TotalCents,
		&o.couponID, &o.CouponCode, &o.Physical, &a.Name, &a.Line1, &a.Line2, &a.City, &a.Region, &a.PostalCode, &a.Country,
		&o.Carrier, &o.TrackingNumber, &o.topUpID, &checkout, &reserved, &created, &paid, &shipped, &delivered, &closed, &o.requestKey)
	if err != nil {
		return Order{}, err
	}
	if o.Physical {
		o.Shipping = &a
	}
	if o.State == Pending {
		o.CheckoutURL = checkout
	}
	o.CreatedAt = db.Time(created)
	o.ReservedUntil, o.PaidAt, o.ShippedAt, o.DeliveredAt, o.ClosedAt = timeOrNil(reserved), timeOrNil(paid), timeOrNil(shipped), timeOrNil(delivered), timeOrNil(closed)
	return o, nil
}

func timeOrNil(ms sql.NullInt64) *time.Time {
	if !ms.Valid {
		return nil
	}
	t := db.Time(ms.Int64)
	return &t
}

// Order returns order id to its buyer or an admin; to anyone else it does
// not exist (SEC-5).
func (s *Service) Order(ctx context.Context, viewer account.User, id int64) (Order, error) {
	o, err := s.order(ctx, s.DB.Read(), id, false)
	if err == nil && o.UserID != viewer.ID && viewer.Role != account.RoleAdmin {
		err = errNoOrder
	}
	return o, err
}

var errNoOrder = apperr.Errorf(apperr.NotFound, "No such order.")

// order reads order id with its items through q, locking its row inside
// a write transaction when lock is set.
func (s *Service) order(ctx context.Context, q db.Querier, id int64, lock bool) (Order, error) {
	query := `SELECT ` + orderColumns + orderFrom + ` WHERE o.id = $1`
	if lock {
		query += s.DB.ForUpdateOf("o") // the order's row only
	}
	o, err := scanOrder(q.QueryRowContext(ctx, query, id))
	if errors.Is(err, sql.ErrNoRows) {
		return Order{}, errNoOrder
	}
	if err != nil {
		return Order{}, fmt.Errorf("shop: order: %w", err)
	}
	if err := s.withItems(ctx, q, []*Order{&o}); err != nil {
		return Order{}, err
	}
	return o, nil
}

// OrderFilter narrows a list of orders. Zero fields match everything.
type OrderFilter struct {
	UserID int64
	State  string
}

// Orders lists orders newest first, at most a page of them.
func (s *Service) Orders(ctx context.Context, f OrderFilter) ([]Order, error) {
	var where []string
	var args []any
	if f.UserID != 0 {
		args = append(args, f.UserID)
		where = append(where, fmt.Sprintf("o.user_id = $%d", len(args)))
	}
	if f.State != "" {
		args = append(args, f.State)
		where = append(where, fmt.Sprintf("o.state = $%d", len(args)))
	}
	query := `SELECT ` + orderColumns + orderFrom
	if len(where) > 0 {
		query += " WHERE " + strings.Join(where, " AND ")
	}
	rows, err := s.DB.Read().QueryContext(ctx, query+fmt.Sprintf(" ORDER BY o.id DESC LIMIT %d", ordersPageLen), args...)
	if err != nil {
		return nil, fmt.Errorf("shop: orders: %w", err)
	}
	out, err := db.Collect(rows, scanOrder)
	if err != nil {
		return nil, err
	}
	ptrs := make([]*Order, len(out))
	for i := range out {
		ptrs[i] = &out[i]
	}
	return out, s.withItems(ctx, s.DB.Read(), ptrs)
}

// withItems reads the items of orders in one query per chunk.
func (s *Service) withItems(ctx context.Context, q db.Querier, orders []*Order) error {
	byID := make(map[int64]*Order, len(orders))
	ids := make([]int64, 0, len(orders))
	for _, o := range orders {
		o.Items = []Item{}
		byID[o.ID] = o
		ids = append(ids, o.ID)
	}
	for _, chunk := range db.Chunks(ids, 1) {
		args := make([]any, len(chunk))
		for i, id := range chunk {
			args[i] = id
		}
		rows, err := q.QueryContext(ctx, `SELECT order_id, id, product_id, name, kind, unit_cents, quantity FROM shop_order_items
			WHERE order_id IN (`+db.Params(len(chunk))+`) ORDER BY id`, args...)
		if err != nil {
			return fmt.Errorf("shop: order items: %w", err)
		}
		for rows.Next() {
			var orderID int64
			var it Item
			if err := rows.Scan(&orderID, &it.ID, &it.ProductID, &it.Name, &it.Kind, &it.UnitCents, &it.Quantity); err != nil {
				rows.Close()
				return err
			}
			byID[orderID].Items = append(byID[orderID].Items, it)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
	}
	return nil
}

// OrderPaidBy returns the order top-up topUpID pays for, if any: its
// checkout page lists the order instead of a top-up.
func (s *Service) OrderPaidBy(ctx context.Context, topUpID int64) (o Order, ok bool, err error) {
	var id int64
	err = s.DB.Read().QueryRowContext(ctx, `SELECT id FROM shop_orders WHERE topup_id = $1`, topUpID).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return Order{}, false, nil
	}
	if err != nil {
		return Order{}, false, fmt.Errorf("shop: order of top-up: %w", err)
	}
	o, err = s.order(ctx, s.DB.Read(), id, false)
	return o, err == nil, err
}
