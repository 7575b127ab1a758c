package web

import (
	"net/http"

	"github.com/soulseer/soulseer/internal/apperr"
	"github.com/soulseer/soulseer/internal/shop"
)

// shopCouponList is the answer of GET /admin/shop/coupons.
type shopCouponList struct {
	Coupons []shop.Coupon `json:"coupons"`
}

// apiAdminShopCouponsList answers every coupon, newest first, with how
// often each was redeemed (SHOP-4).
func (s *Server) apiAdminShopCouponsList(w http.ResponseWriter, r *http.Request) error {
	list, err := s.Shop.Coupons(r.Context())
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, shopCouponList{Coupons: list})
}

// apiAdminShopCouponCreate adds a coupon (SHOP-4), made in Stripe too when
// the catalog is mirrored from there, audited: 201 with the coupon. Bad
// fields or a code taken already are a 400 naming them; Stripe refusing
// it is a 503.
func (s *Server) apiAdminShopCouponCreate(w http.ResponseWriter, r *http.Request) error {
	var in shop.CouponInput
	if err := decodeJSON(w, r, &in); err != nil {
		return err
	}
	c, err := s.Shop.CreateCoupon(r.Context(), userOf(r), in)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusCreated, c)
}

// shopCouponChange switches a coupon on or off.
type shopCouponChange struct {
	Active *bool `json:"active"`
}

// apiAdminShopCouponUpdate switches coupon {id} on or off for new orders
// (SHOP-4), audited: 204.
func (s *Server) apiAdminShopCouponUpdate(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	var req shopCouponChange
	if err := decodeJSON(w, r, &req); err != nil {
		return err
	}
	if req.Active == nil {
		return apperr.Validation(map[string]string{"active": "Say whether the coupon is active: true or false."})
	}
	if err := s.Shop.SetCouponActive(r.Context(), userOf(r), id, *req.Active); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}
