package shop

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/soulseer/soulseer/internal/account"
	"github.com/soulseer/soulseer/internal/apperr"
	"github.com/soulseer/soulseer/internal/db"
	"github.com/soulseer/soulseer/internal/ledger"
	"github.com/soulseer/soulseer/internal/payment"
)

// OrderRequest is an order to place (SHOP-5). Key names the request: the
// same key from the same buyer places one order however often it is sent.
type OrderRequest struct {
	Items      []Line   `json:"items"`
	CouponCode string   `json:"coupon_code"`
	PayWith    string   `json:"pay_with"`
	Shipping   *Address `json:"shipping_address"`
	Key        string   `json:"-"`
}

// Line is a product and how many of it.
type Line struct {
	ProductID int64 `json:"product_id"`
	Quantity  int   `json:"quantity"`
}

// check validates the request and returns its lines merged by product, in
// product order (the order stock rows are locked in, so two orders never
// wait on each other's rows).
func (req *OrderRequest) check() ([]Line, error) {
	errs := map[string]string{}
	merged := map[int64]int{}
	for _, l := range req.Items {
		if l.ProductID <= 0 || l.Quantity < 1 || l.Quantity > MaxQuantity {
			errs["items"] = fmt.Sprintf("Each item needs a product and a quantity from 1 to %d.", MaxQuantity)
			continue
		}
		merged[l.ProductID] += l.Quantity
	}
	switch {
	case len(req.Items) == 0:
		errs["items"] = "Your cart is empty."
	case len(merged) > MaxLines:
		errs["items"] = fmt.Sprintf("An order holds at most %d different products.", MaxLines)
	}
	lines := make([]Line, 0, len(merged))
	for id, q := range merged {
		if q > MaxQuantity {
			errs["items"] = fmt.Sprintf("Order at most %d of one product.", MaxQuantity)
		}
		lines = append(lines, Line{ProductID: id, Quantity: q})
	}
	slices.SortFunc(lines, func(a, b Line) int { return int(a.ProductID - b.ProductID) })
	if req.PayWith != PayWallet && req.PayWith != PayCard {
		errs["pay_with"] = "Choose to pay from your wallet or by card."
	}
	if len(strings.TrimSpace(req.CouponCode)) > MaxCouponCodeLen {
		errs["coupon_code"] = "There is no such coupon."
	}
	if len(req.Key) > MaxRequestKeyLen {
		errs["key"] = fmt.Sprintf("The request key is longer than %d characters.", MaxRequestKeyLen)
	}
	return lines, apperr.Validation(errs)
}

// PlaceOrder places buyer's order (SHOP-3, SHOP-4, SHOP-5). In one
// transaction it takes the stock of every product (never below zero: a
// product with too few left refuses the whole order as sold out), takes a
// use of the coupon and writes the order with its own copy of names and
// prices. Paid from the wallet, the same transaction posts the 'order'
// transfer, so a short wallet undoes all of it; paid by card, the order
// waits (pending) holding its stock for ReservationTTL while the buyer
// pays on the checkout page, and is paid when the card's top-up is
// credited. A physical product needs a shipping address. The same key
// answers the order it placed first (replayed), placing nothing.
func (s *Service) PlaceOrder(ctx context.Context, buyer account.User, req OrderRequest) (o Order, replayed bool, err error) {
	lines, err := req.check()
	if err != nil {
		return Order{}, false, err
	}
	if req.Key == "" {
		req.Key = randomHex()
	} else if o, err := s.orderByKey(ctx, s.DB.Read(), buyer.ID, req.Key); err == nil {
		return o, true, nil
	} else if !errors.Is(err, errNoOrder) {
		return Order{}, false, err
	}
	now := s.Clock.Now()
	var id int64
	var total int64
	err = s.DB.Tx(ctx, func(tx *db.Tx) error {
		products, err := s.forSale(ctx, tx, lines)
		if err != nil {
			return err
		}
		physical := slices.ContainsFunc(products, func(p Product) bool { return p.Kind == Physical })
		var ship Address
		if physical {
			if req.Shipping == nil {
				return apperr.Validation(map[string]string{"shipping_address.name": "Enter where to send your order."})
			}
			ship = *req.Shipping
			if err := ship.clean(); err != nil {
				return err
			}
		}
		var subtotal int64
		for i, l := range lines {
			subtotal += products[i].PriceCents * int64(l.Quantity)
		}
		if err := takeStock(ctx, tx, products, lines); err != nil {
			return err
		}
		var coupon Coupon
		if strings.TrimSpace(req.CouponCode) != "" {
			if coupon, err = s.redeem(ctx, tx, req.CouponCode, subtotal); err != nil {
				return err
			}
		}
		discount := coupon.Discount(subtotal)
		total = subtotal - discount
		state, payWith := Pending, req.PayWith
		var paidAt, deliveredAt, reserved any
		switch {
		case total == 0 || payWith == PayWallet:
			state, paidAt = Paid, db.Millis(now)
			if total == 0 {
				payWith = PayWallet // nothing to pay by card
			}
			if !physical {
				state, deliveredAt = Delivered, paidAt
			}
		default:
			reserved = db.Millis(now.Add(ReservationTTL))
		}
		var couponID any
		if coupon.ID != 0 {
			couponID = coupon.ID
		}
		err = tx.QueryRowContext(ctx, `INSERT INTO shop_orders (user_id, request_key, state, pay_with, subtotal_cents, discount_cents, total_cents,
			coupon_id, coupon_code, physical, ship_name, ship_line1, ship_line2, ship_city, ship_region, ship_postal_code, ship_country,
			reserved_until, created_at, paid_at, delivered_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21) RETURNING id`,
			buyer.ID, req.Key, state, payWith, subtotal, discount, total, couponID, coupon.Code, physical,
			ship.Name, ship.Line1, ship.Line2, ship.City, ship.Region, ship.PostalCode, ship.Country,
			reserved, db.Millis(now), paidAt, deliveredAt).Scan(&id)
		if err != nil {
			return err
		}
		for i, l := range lines {
			p := products[i]
			if _, err := tx.ExecContext(ctx, `INSERT INTO shop_order_items (order_id, product_id, name, kind, unit_cents, quantity) VALUES ($1, $2, $3, $4, $5, $6)`,
				id, p.ID, p.Name, p.Kind, p.PriceCents, l.Quantity); err != nil {
				return err
			}
		}
		if state == Pending {
			return nil
		}
		if err := s.payFromWallet(ctx, tx, buyer.ID, id, total); err != nil {
			return err
		}
		return s.tell(ctx, tx, Order{ID: id, UserID: buyer.ID, Physical: physical}, state)
	})
	switch {
	case err != nil && s.DB.IsUniqueViolation(err):
		// the same key raced itself: the first order stands
		if o, err := s.orderByKey(ctx, s.DB.Read(), buyer.ID, req.Key); err == nil {
			return o, true, nil
		}
		return Order{}, false, fmt.Errorf("shop: place order: %w", err)
	case ledger.ShortOfFunds(err):
		return Order{}, false, s.Ledger.Shortfall(ctx, buyer.ID, total, "this order costs %s: add %s or pay by card")
	case apperr.As(err) != nil:
		return Order{}, false, err
	case err != nil:
		return Order{}, false, fmt.Errorf("shop: place order: %w", err)
	}
	o, err = s.order(ctx, s.DB.Read(), id, false)
	if err != nil || o.State != Pending {
		return o, false, err
	}
	return s.openCheckout(ctx, buyer, o)
}

// forSale reads the products of lines, in the same order, as they are
// now: each must be on sale, and a digital one must have its file.
func (s *Service) forSale(ctx context.Context, tx *db.Tx, lines []Line) ([]Product, error) {
	out := make([]Product, len(lines))
	for i, l := range lines {
		p, err := scanProduct(tx.QueryRowContext(ctx, `SELECT `+productColumns+` FROM shop_products WHERE id = $1`, l.ProductID))
		switch {
		case errors.Is(err, sql.ErrNoRows) || err == nil && !p.Active:
			return nil, apperr.Validation(map[string]string{"items": "One of the products is no longer sold; remove it from your cart."})
		case err != nil:
			return nil, err
		case p.Kind == Digital && !p.HasFile:
			return nil, apperr.Errorf(apperr.Conflict, "%s is not ready for sale yet.", p.Name)
		}
		out[i] = p
	}
	return out, nil
}

// takeStock lowers the stock of each counted product by its quantity, in
// product order, only while enough is left; the first that has too few
// refuses the order as sold out (SHOP-3).
func takeStock(ctx context.Context, tx *db.Tx, products []Product, lines []Line) error {
	for i, l := range lines {
		p := products[i]
		if p.Stock == nil {
			continue
		}
		res, err := tx.ExecContext(ctx, `UPDATE shop_products SET stock = stock - $1 WHERE id = $2 AND stock >= $1`, l.Quantity, p.ID)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 1 {
			continue
		}
		var left int64
		if err := tx.QueryRowContext(ctx, `SELECT COALESCE(stock, 0) FROM shop_products WHERE id = $1`, p.ID).Scan(&left); err != nil {
			return err
		}
		if left == 0 {
			return apperr.Errorf(apperr.Conflict, "%s is sold out.", p.Name)
		}
		return apperr.Errorf(apperr.Conflict, "Only %d of %s left; lower the quantity.", left, p.Name)
	}
	return nil
}

// putBackStock returns an order's items to stock.
func putBackStock(ctx context.Context, tx *db.Tx, o Order) error {
	for _, it := range o.Items {
		if _, err := tx.ExecContext(ctx, `UPDATE shop_products SET stock = stock + $1 WHERE id = $2 AND stock IS NOT NULL`, it.Quantity, it.ProductID); err != nil {
			return err
		}
	}
	return nil
}

// payFromWallet posts order id's payment: total from buyer's wallet to
// the platform, keyed by the order so it is posted once.
func (s *Service) payFromWallet(ctx context.Context, tx *db.Tx, buyerID, id, total int64) error {
	if total == 0 {
		return nil
	}
	ref := strconv.FormatInt(id, 10)
	_, err := s.Ledger.Post(ctx, tx, ledger.Transfer{Key: "shop-order:" + ref, Type: ledger.TypeOrder, Postings: []ledger.Posting{
		{Account: ledger.Wallet(buyerID), Amount: -total},
		{Account: ledger.PlatformRevenueShard(int(buyerID % ledger.PlatformRevenueShards)), Amount: total},
	}, CauseType: "shop_order", CauseID: ref, ActorID: buyerID, Memo: "Shop order #" + ref})
	return err
}

// orderByKey finds the order buyerID placed with key.
func (s *Service) orderByKey(ctx context.Context, q db.Querier, buyerID int64, key string) (Order, error) {
	var id int64
	err := q.QueryRowContext(ctx, `SELECT id FROM shop_orders WHERE user_id = $1 AND request_key = $2`, buyerID, key).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return Order{}, errNoOrder
	}
	if err != nil {
		return Order{}, err
	}
	return s.order(ctx, q, id, false)
}

// openCheckout opens the card checkout of pending order o: a top-up of
// its total whose page lists its products and closes when the
// reservation ends. When no page can be opened the order is cancelled at
// once, giving back its stock and coupon.
func (s *Service) openCheckout(ctx context.Context, buyer account.User, o Order) (Order, bool, error) {
	lines := make([]payment.CheckoutLine, 0, len(o.Items))
	for _, it := range o.Items {
		lines = append(lines, payment.CheckoutLine{Name: it.Name, UnitCents: it.UnitCents, Quantity: int64(it.Quantity)})
	}
	if o.DiscountCents > 0 {
		// a page lists no negative lines: one line for the whole order
		lines = []payment.CheckoutLine{{Name: fmt.Sprintf("SoulSeer order #%d (coupon %s)", o.ID, o.CouponCode), UnitCents: o.TotalCents, Quantity: 1}}
	}
	t, err := s.Payments.CreatePurchaseTopUp(ctx, buyer, o.TotalCents, "/shop/orders/"+strconv.FormatInt(o.ID, 10), lines, *o.ReservedUntil)
	if err != nil {
		if cerr := s.cancel(ctx, o.ID, ""); cerr != nil {
			return Order{}, false, cerr
		}
		return Order{}, false, err
	}
	err = s.DB.Tx(ctx, func(tx *db.Tx) error {
		_, err := tx.ExecContext(ctx, `UPDATE shop_orders SET topup_id = $1 WHERE id = $2`, t.ID, o.ID)
		return err
	})
	if err != nil {
		return Order{}, false, fmt.Errorf("shop: link checkout: %w", err)
	}
	o, err = s.order(ctx, s.DB.Read(), o.ID, false)
	return o, false, err
}
