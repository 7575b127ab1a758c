package web

import (
	"fmt"
	"net/http"
	"strconv"

	"github.com/soulseer/soulseer/internal/payment"
	"github.com/soulseer/soulseer/internal/shop"
)

// shopOrderPage is one order as its buyer sees it.
type shopOrderPage struct {
	Page
	Order shop.Order
	Steps []orderStep
	Lines []orderLine
	Just  *payment.TopUp // the card payment the checkout just returned from
	// LinkLife is how long a download link works, e.g. "24 hours".
	LinkLife string
}

// downloadLife says how long a download link works (SHOP-6), as
// configured.
func (s *Server) downloadLife() string {
	h := s.Config.DownloadTTL.Hours()
	if h == 1 {
		return "an hour"
	}
	return strconv.FormatFloat(h, 'f', -1, 64) + " hours"
}

// CanDownload reports whether the order holds files the viewer may
// fetch: links are signed for its buyer alone, once it is paid (SHOP-6).
func (p shopOrderPage) CanDownload() bool {
	if p.Order.UserID != p.User.ID || !p.Order.Downloadable() {
		return false
	}
	for _, it := range p.Order.Items {
		if it.Digital() {
			return true
		}
	}
	return false
}

// shopOrderShow shows the viewer's order (SHOP-7): its timeline, items,
// totals and discount, the shipping address with the carrier and tracking
// number once shipped, and for its buyer a Download button for each file
// once paid (SHOP-6, SHOP-8). Only the buyer and admins see it; to anyone
// else it does not exist (404).
func (s *Server) shopOrderShow(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	u := userOf(r)
	o, err := s.Shop.Order(r.Context(), u, id)
	if err != nil {
		return err
	}
	p := shopOrderPage{Page: s.page(w, r, fmt.Sprintf("Order #%d", o.ID)), Order: o, Steps: orderSteps(o), Lines: orderLines(o), Just: s.returnedTopUp(r),
		LinkLife: s.downloadLife()}
	return s.render(w, http.StatusOK, "shop_order", p)
}
