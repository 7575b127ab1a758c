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
	"github.com/soulseer/soulseer/internal/payment"
	"github.com/soulseer/soulseer/internal/shop/stripecatalog"
)

// Coupon takes a percentage or an amount off an order (SHOP-4). Codes are
// kept in capitals and match whatever the case typed.
type Coupon struct {
	ID             int64      `json:"id"`
	Code           string     `json:"code"`
	PercentOff     int        `json:"percent_off,omitempty"`
	AmountOffCents int64      `json:"amount_off_cents,omitempty"`
	MinOrderCents  int64      `json:"min_order_cents"`
	MaxRedemptions *int64     `json:"max_redemptions"`
	Redemptions    int64      `json:"redemptions"`
	ExpiresAt      *time.Time `json:"expires_at"`
	Active         bool       `json:"active"`
	InStripe       bool       `json:"in_stripe"`
	CreatedAt      time.Time  `json:"created_at"`
}

// Discount is what the coupon takes off subtotal: a percentage rounded
// down to the cent, or its amount, never more than the subtotal.
func (c Coupon) Discount(subtotal int64) int64 {
	d := c.AmountOffCents
	if c.PercentOff > 0 {
		d = subtotal * int64(c.PercentOff) / 100
	}
	return min(d, subtotal)
}

// Label says what the coupon gives, e.g. "20% off" or "$5.00 off".
func (c Coupon) Label() string {
	if c.PercentOff > 0 {
		return fmt.Sprintf("%d%% off", c.PercentOff)
	}
	return fmt.Sprintf("$%d.%02d off", c.AmountOffCents/100, c.AmountOffCents%100)
}

const couponColumns = `id, code, percent_off, amount_off_cents, min_order_cents, max_redemptions, redemptions, expires_at, active, stripe_promotion_code_id, created_at`

func scanCoupon(row db.Row) (Coupon, error) {
	var c Coupon
	var maxRed, expires sql.NullInt64
	var promo string
	var created int64
	if err := row.Scan(&c.ID, &c.Code, &c.PercentOff, &c.AmountOffCents, &c.MinOrderCents, &maxRed, &c.Redemptions, &expires, &c.Active, &promo, &created); err != nil {
		return Coupon{}, err
	}
	if maxRed.Valid {
		c.MaxRedemptions = &maxRed.Int64
	}
	if expires.Valid {
		t := db.Time(expires.Int64)
		c.ExpiresAt = &t
	}
	c.InStripe, c.CreatedAt = promo != "", db.Time(created)
	return c, nil
}

// Coupons lists every coupon, newest first.
func (s *Service) Coupons(ctx context.Context) ([]Coupon, error) {
	rows, err := s.DB.Read().QueryContext(ctx, `SELECT `+couponColumns+` FROM shop_coupons ORDER BY id DESC`)
	if err != nil {
		return nil, fmt.Errorf("shop: coupons: %w", err)
	}
	return db.Collect(rows, scanCoupon)
}

// CouponInput is a new coupon: exactly one of PercentOff (1–100) and
// AmountOffCents; zero MaxRedemptions and ExpiresAt mean no limit.
type CouponInput struct {
	Code           string     `json:"code"`
	PercentOff     int        `json:"percent_off"`
	AmountOffCents int64      `json:"amount_off_cents"`
	MinOrderCents  int64      `json:"min_order_cents"`
	MaxRedemptions int64      `json:"max_redemptions"`
	ExpiresAt      *time.Time `json:"expires_at"`
}

// couponCode is code as kept: trimmed, in capitals.
func couponCode(code string) string { return strings.ToUpper(strings.TrimSpace(code)) }

func (in *CouponInput) validate(now time.Time) error {
	errs := map[string]string{}
	in.Code = couponCode(in.Code)
	switch {
	case in.Code == "":
		errs["code"] = "Give the coupon a code."
	case len(in.Code) > MaxCouponCodeLen || strings.Trim(in.Code, "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-") != "":
		errs["code"] = fmt.Sprintf("Use up to %d letters, digits and dashes.", MaxCouponCodeLen)
	}
	switch {
	case in.PercentOff != 0 && in.AmountOffCents != 0:
		errs["percent_off"] = "Give a percentage or an amount off, not both."
	case in.PercentOff == 0 && in.AmountOffCents == 0:
		errs["percent_off"] = "Give a percentage or an amount off."
	case in.PercentOff < 0 || in.PercentOff > 100:
		errs["percent_off"] = "The percentage must be between 1 and 100."
	case in.AmountOffCents < 0 || in.AmountOffCents > MaxPriceCents:
		errs["amount_off_cents"] = fmt.Sprintf("The amount must be between $0.01 and $%d.", MaxPriceCents/100)
	}
	if in.MinOrderCents < 0 || in.MinOrderCents > MaxPriceCents*MaxLines {
		errs["min_order_cents"] = "The minimum order is out of range."
	}
	if in.MaxRedemptions < 0 || in.MaxRedemptions > 1_000_000 {
		errs["max_redemptions"] = "The number of uses must be between 1 and 1,000,000, or empty for no limit."
	}
	if in.ExpiresAt != nil && !in.ExpiresAt.After(now) {
		errs["expires_at"] = "The expiry must be in the future."
	}
	return apperr.Validation(errs)
}

// CreateCoupon adds a coupon (SHOP-4), audited as admin's. With the
// Stripe catalog connected it is made there first, as a coupon and a
// promotion code of the same code, so Stripe's checkout knows it too.
func (s *Service) CreateCoupon(ctx context.Context, admin account.User, in CouponInput) (Coupon, error) {
	now := s.Clock.Now()
	if err := in.validate(now); err != nil {
		return Coupon{}, err
	}
	var taken bool
	if err := s.DB.Read().QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM shop_coupons WHERE code = $1)`, in.Code).Scan(&taken); err != nil {
		return Coupon{}, fmt.Errorf("shop: create coupon: %w", err)
	}
	if taken {
		return Coupon{}, apperr.Validation(map[string]string{"code": "A coupon with this code exists already."})
	}
	var stripeCoupon, stripePromo string
	if s.Catalog != nil {
		var err error
		promo := stripecatalog.Promotion{Code: in.Code, PercentOff: int64(in.PercentOff), AmountOffCents: in.AmountOffCents,
			Currency: payment.Currency, MaxRedemptions: in.MaxRedemptions, MinimumCents: in.MinOrderCents}
		if in.ExpiresAt != nil {
			promo.ExpiresAt = *in.ExpiresAt
		}
		if stripeCoupon, stripePromo, err = s.Catalog.CreatePromotion(ctx, promo); err != nil {
			s.Log.Error("stripe coupon", "code", in.Code, "err", err)
			return Coupon{}, apperr.Errorf(apperr.Unavailable, "Stripe did not take the coupon: %s", err)
		}
	}
	var maxRed, expires any
	if in.MaxRedemptions > 0 {
		maxRed = in.MaxRedemptions
	}
	if in.ExpiresAt != nil {
		expires = db.Millis(*in.ExpiresAt)
	}
	var id int64
	err := s.DB.Tx(ctx, func(tx *db.Tx) error {
		err := tx.QueryRowContext(ctx, `INSERT INTO shop_coupons (code, percent_off, amount_off_cents, min_order_cents, max_redemptions, expires_at,
			stripe_coupon_id, stripe_promotion_code_id, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id`,
			in.Code, in.PercentOff, in.AmountOffCents, in.MinOrderCents, maxRed, expires, stripeCoupon, stripePromo, db.Millis(now)).Scan(&id)
		if err != nil {
			return err
		}
		return s.audit(ctx, tx, admin, "shop.coupon_create", "shop_coupon", id, map[string]any{"code": in.Code,
			"percent_off": in.PercentOff, "amount_off_cents": in.AmountOffCents, "max_redemptions": in.MaxRedemptions})
	})
	if s.DB.IsUniqueViolation(err) {
		return Coupon{}, apperr.Validation(map[string]string{"code": "A coupon with this code exists already."})
	}
	if err != nil {
		return Coupon{}, fmt.Errorf("shop: create coupon: %w", err)
	}
	return scanCoupon(s.DB.Read().QueryRowContext(ctx, `SELECT `+couponColumns+` FROM shop_coupons WHERE id = $1`, id))
}

// SetCouponActive switches coupon id on or off for new orders, audited.
func (s *Service) SetCouponActive(ctx context.Context, admin account.User, id int64, active bool) error {
	return s.DB.Tx(ctx, func(tx *db.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE shop_coupons SET active = $1 WHERE id = $2`, active, id)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return apperr.Errorf(apperr.NotFound, "No such coupon.")
		}
		return s.audit(ctx, tx, admin, "shop.coupon_active", "shop_coupon", id, map[string]any{"active": active})
	})
}

// redeem takes one use of the coupon with code for an order of subtotal in
// tx and returns it; the count is raised only while it is below the
// maximum, so racing orders never redeem more than that (SHOP-4). Each
// reason a coupon does not apply is told as the coupon_code field's error.
func (s *Service) redeem(ctx context.Context, tx *db.Tx, code string, subtotal int64) (Coupon, error) {
	refuse := func(msg string) (Coupon, error) {
		return Coupon{}, apperr.Validation(map[string]string{"coupon_code": msg})
	}
	now := db.Millis(s.Clock.Now())
	c, err := scanCoupon(tx.QueryRowContext(ctx, `UPDATE shop_coupons SET redemptions = redemptions + 1
		WHERE code = $1 AND active AND min_order_cents <= $2 AND (max_redemptions IS NULL OR redemptions < max_redemptions)
		AND (expires_at IS NULL OR expires_at > $3) RETURNING `+couponColumns, couponCode(code), subtotal, now))
	if err == nil {
		return c, nil
	}
	if !errors.Is(err, sql.ErrNoRows) {
		return Coupon{}, err
	}
	c, err = scanCoupon(tx.QueryRowContext(ctx, `SELECT `+couponColumns+` FROM shop_coupons WHERE code = $1`, couponCode(code)))
	switch {
	case errors.Is(err, sql.ErrNoRows) || err == nil && !c.Active:
		return refuse("There is no such coupon.")
	case err != nil:
		return Coupon{}, err
	case c.ExpiresAt != nil && db.Millis(*c.ExpiresAt) <= now:
		return refuse("This coupon has expired.")
	case c.MinOrderCents > subtotal:
		return refuse(fmt.Sprintf("This coupon needs an order of at least $%d.%02d.", c.MinOrderCents/100, c.MinOrderCents%100))
	default:
		return refuse("This coupon has been used up.")
	}
}

// unredeem gives back the use an order that was never paid took.
func unredeem(ctx context.Context, tx *db.Tx, couponID int64) error {
	_, err := tx.ExecContext(ctx, `UPDATE shop_coupons SET redemptions = redemptions - 1 WHERE id = $1 AND redemptions > 0`, couponID)
	return err
}
