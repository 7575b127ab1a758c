package web

import (
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/soulseer/soulseer/internal/apperr"
	"github.com/soulseer/soulseer/internal/ledger"
	"github.com/soulseer/soulseer/internal/shop"
)

// couponForm is the new coupon's form as the admin typed it.
type couponForm struct {
	Code, PercentOff, AmountOff, MinOrder, MaxRedemptions, Expires string
	Errors                                                         map[string]string
}

// adminShopCouponsPage lists the coupons with the form adding one.
type adminShopCouponsPage struct {
	Page
	Coupons []shop.Coupon
	New     couponForm
	Stripe  bool   // new coupons are made in Stripe too
	Message string // why the last coupon was refused
}

// adminShopCouponsShow lists every coupon with its uses, and the form
// that adds one (SHOP-4).
func (s *Server) adminShopCouponsShow(w http.ResponseWriter, r *http.Request) error {
	return s.renderCoupons(w, r, http.StatusOK, couponForm{}, "")
}

// renderCoupons renders the coupons page with the new coupon's form f.
func (s *Server) renderCoupons(w http.ResponseWriter, r *http.Request, status int, f couponForm, msg string) error {
	coupons, err := s.Shop.Coupons(r.Context())
	if err != nil {
		return err
	}
	p := adminShopCouponsPage{Page: s.page(w, r, "Coupons"), Coupons: coupons, New: f, Stripe: s.Shop.Catalog != nil, Message: msg}
	return s.render(w, status, "admin_shop_coupons", p)
}

// adminShopCouponCreate adds the coupon the form describes (SHOP-4),
// audited by the shop: a percentage or an amount off, an optional
// minimum order, number of uses and last day. Each refused field is named
// beside it.
func (s *Server) adminShopCouponCreate(w http.ResponseWriter, r *http.Request) error {
	if err := parseForm(w, r); err != nil {
		return err
	}
	f := couponForm{Code: r.PostFormValue("code"), PercentOff: r.PostFormValue("percent_off"), AmountOff: r.PostFormValue("amount_off"),
		MinOrder: r.PostFormValue("min_order"), MaxRedemptions: r.PostFormValue("max_redemptions"), Expires: r.PostFormValue("expires")}
	in, fields := shop.CouponInput{Code: f.Code}, map[string]string{}
	whole := func(v, field, msg string) int64 {
		if v = strings.TrimSpace(v); v == "" {
			return 0
		}
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil {
			fields[field] = msg
		}
		return n
	}
	cents := func(v, field string) int64 {
		if v = strings.TrimSpace(v); v == "" {
			return 0
		}
		c, ok := ledger.ParseCents(v)
		if !ok {
			fields[field] = "Write an amount in dollars, e.g. 5 or 2.50."
		}
		return c
	}
	in.PercentOff = int(whole(f.PercentOff, "percent_off", "The percentage must be between 1 and 100."))
	in.AmountOffCents = cents(f.AmountOff, "amount_off_cents")
	in.MinOrderCents = cents(f.MinOrder, "min_order_cents")
	in.MaxRedemptions = whole(f.MaxRedemptions, "max_redemptions", "Write how many times it may be used, or leave it empty for no limit.")
	if v := strings.TrimSpace(f.Expires); v != "" {
		day, err := time.ParseInLocation(time.DateOnly, v, userOf(r).Location())
		if err != nil {
			fields["expires_at"] = "Choose the last day the coupon works."
		}
		end := day.AddDate(0, 0, 1) // it works through its last day
		in.ExpiresAt = &end
	}
	err := apperr.Validation(fields)
	var c shop.Coupon
	if err == nil {
		c, err = s.Shop.CreateCoupon(r.Context(), userOf(r), in)
	}
	if e := apperr.As(err); e != nil && e.Code == apperr.Invalid {
		f.Errors = e.Fields
		return s.renderCoupons(w, r, http.StatusBadRequest, f, e.Message)
	}
	if err != nil {
		return err
	}
	s.setFlash(w, "Coupon "+c.Code+" is ready: "+c.Label()+".")
	http.Redirect(w, r, "/admin/shop/coupons", http.StatusSeeOther)
	return nil
}

// adminShopCouponUpdate switches coupon id on or off for new orders
// (SHOP-4), audited by the shop.
func (s *Server) adminShopCouponUpdate(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	if err := parseForm(w, r); err != nil {
		return err
	}
	active := r.PostFormValue("active") == "true"
	if err := s.Shop.SetCouponActive(r.Context(), userOf(r), id, active); err != nil {
		return err
	}
	if active {
		s.setFlash(w, "The coupon works again.")
	} else {
		s.setFlash(w, "The coupon is switched off.")
	}
	http.Redirect(w, r, "/admin/shop/coupons", http.StatusSeeOther)
	return nil
}
