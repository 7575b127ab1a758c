// Package shop sells things — recorded readings, guides, decks, crystals —
// from a catalog kept here or mirrored from Stripe (SHOP-1 … SHOP-8):
// products with stock, coupons, orders paid from the wallet or by card, the
// life of an order from paid to delivered, refunds that restock, and links
// to digital files signed for one buyer and one item that expire.
//
// Money moves only through the ledger: an order paid from the wallet is
// one 'order' transfer posted in the same transaction that takes its stock
// and its coupon, so a short wallet, the last item gone or a coupon used up
// leaves nothing behind. A card checkout holds its stock for
// ReservationTTL; the card's money arrives in the wallet as a top-up and
// pays the order in the transaction that credits it.
package shop

import (
	"context"
	"log/slog"
	"time"

	"github.com/soulseer/soulseer/internal/clock"
	"github.com/soulseer/soulseer/internal/db"
	"github.com/soulseer/soulseer/internal/filestore"
	"github.com/soulseer/soulseer/internal/job"
	"github.com/soulseer/soulseer/internal/ledger"
	"github.com/soulseer/soulseer/internal/notify"
	"github.com/soulseer/soulseer/internal/payment"
	"github.com/soulseer/soulseer/internal/shop/stripecatalog"
	"github.com/soulseer/soulseer/internal/upload"
)

// Service keeps the catalog and coupons and takes, pays and fulfils orders.
type Service struct {
	DB       *db.DB
	Clock    clock.Clock
	Ledger   *ledger.Ledger
	Payments *payment.Service
	Files    *filestore.Store
	Uploads  *upload.Service // product pictures
	// Catalog is the Stripe catalog the shop mirrors; nil without Stripe,
	// when admins keep the products here.
	Catalog Catalog
	Notify  *notify.Service
	Jobs    *job.Queue
	Log     *slog.Logger
	// DownloadTTL is how long a download link works; DefaultDownloadTTL
	// when zero (SHOP-6).
	DownloadTTL time.Duration
}

// Defaults and bounds of the shop.
const (
	// DefaultDownloadTTL is how long a download link works unless
	// configured otherwise (SHOP-6).
	DefaultDownloadTTL = 24 * time.Hour
	// ReservationTTL is how long a card checkout holds its stock (SHOP-3);
	// it is also the shortest life Stripe gives a Checkout Session.
	ReservationTTL = 30 * time.Minute
	// ExpirySweepInterval is how often expired reservations are released.
	ExpirySweepInterval = time.Minute

	MaxNameLen        = 120
	MaxDescriptionLen = 5000
	MaxCategoryLen    = 40
	MaxPriceCents     = int64(10_000_00)
	MaxStock          = int64(1_000_000)
	MaxLines          = 20 // products in one order
	MaxQuantity       = 99 // of one product in one order
	MaxCouponCodeLen  = 40
	MaxRequestKeyLen  = 100
	MaxFileBytes      = 200 << 20 // a digital product's file
	MaxImageBytes     = 10 << 20
	ordersPageLen     = 100
)

func (s *Service) downloadTTL() time.Duration {
	if s.DownloadTTL > 0 {
		return s.DownloadTTL
	}
	return DefaultDownloadTTL
}

// Catalog is the Stripe product catalog (SHOP-1): where products come
// from and where coupons are made as promotion codes (SHOP-4);
// stripecatalog.Client is it.
type Catalog interface {
	List(ctx context.Context) ([]stripecatalog.Product, error)
	Product(ctx context.Context, productID string) (stripecatalog.Product, error)
	CreatePromotion(ctx context.Context, p stripecatalog.Promotion) (couponID, promotionCodeID string, err error)
}
