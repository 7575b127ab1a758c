package shop

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"strconv"
	"time"

	"github.com/soulseer/soulseer/internal/account"
	"github.com/soulseer/soulseer/internal/apperr"
	"github.com/soulseer/soulseer/internal/filestore"
	"github.com/soulseer/soulseer/internal/signing"
)

// Download is a link to one digital item of an order (SHOP-6).
type Download struct {
	ItemID    int64     `json:"item_id"`
	Name      string    `json:"name"`
	FileName  string    `json:"file_name"`
	URL       string    `json:"url"`
	ExpiresAt time.Time `json:"expires_at"`
}

// Downloads gives viewer, the buyer of order id, a fresh link to each of
// its digital items, signed for them and that item and working for the
// download TTL (SHOP-6, SHOP-8). An order not paid, or refunded, has
// none to give (Conflict).
func (s *Service) Downloads(ctx context.Context, viewer account.User, id int64) ([]Download, error) {
	o, err := s.order(ctx, s.DB.Read(), id, false)
	if err != nil || o.UserID != viewer.ID {
		return nil, errNoOrder
	}
	if !o.Downloadable() {
		return nil, apperr.Errorf(apperr.Conflict, "Order #%d is %s: it has no downloads.", o.ID, o.State)
	}
	key, err := s.signingKey(ctx)
	if err != nil {
		return nil, err
	}
	expires := s.Clock.Now().Add(s.downloadTTL()).Truncate(time.Second)
	out := []Download{}
	for _, it := range o.Items {
		if !it.Digital() {
			continue
		}
		var fileName string
		if err := s.DB.Read().QueryRowContext(ctx, `SELECT file_name FROM shop_products WHERE id = $1`, it.ProductID).Scan(&fileName); err != nil {
			return nil, fmt.Errorf("shop: downloads: %w", err)
		}
		q := url.Values{"e": {strconv.FormatInt(expires.Unix(), 10)}, "s": {signing.Sign(key, signedFor(viewer.ID, it.ID, expires.Unix())...)}}
		out = append(out, Download{ItemID: it.ID, Name: it.Name, FileName: fileName, ExpiresAt: expires,
			URL: "/shop/downloads/" + strconv.FormatInt(it.ID, 10) + "?" + q.Encode()})
	}
	return out, nil
}

// signedFor names what a download link's signature covers: the buyer,
// the item and when the link expires (Unix seconds).
func signedFor(userID, itemID, expires int64) []any {
	return []any{"shop-download", userID, itemID, expires}
}

// DownloadFile is what a valid link opens: the file itself, or, from a
// bucket that signs its own addresses, where to fetch it.
type DownloadFile struct {
	Redirect string
	File     *filestore.File
	Name     string
}

// link refusals: a link signed for someone else or altered (403), or
// expired (410, with the way to a fresh one).
var (
	errBadLink     = apperr.Errorf(apperr.Forbidden, "This download link is not yours or has been altered. Open your orders to download your files.")
	errExpiredLink = apperr.Errorf(apperr.Gone, "This download link has expired. Open your order for a fresh one.")
)

// OpenDownload opens item's file for viewer through a link that expires
// at expires (Unix seconds) with signature sig (SHOP-6): it must be signed
// for this viewer and item, not expired, and the order still paid for.
func (s *Service) OpenDownload(ctx context.Context, viewer account.User, itemID, expires int64, sig string) (DownloadFile, error) {
	key, err := s.signingKey(ctx)
	if err != nil {
		return DownloadFile{}, err
	}
	if !signing.Valid(key, sig, signedFor(viewer.ID, itemID, expires)...) {
		return DownloadFile{}, errBadLink
	}
	if s.Clock.Now().Unix() >= expires {
		return DownloadFile{}, errExpiredLink
	}
	var orderID int64
	var fileKey, fileName string
	err = s.DB.Read().QueryRowContext(ctx, `SELECT i.order_id, p.file_key, p.file_name FROM shop_order_items i JOIN shop_products p ON p.id = i.product_id
		WHERE i.id = $1 AND i.kind = 'digital'`, itemID).Scan(&orderID, &fileKey, &fileName)
	if errors.Is(err, sql.ErrNoRows) || err == nil && fileKey == "" {
		return DownloadFile{}, apperr.Errorf(apperr.NotFound, "No such download.")
	}
	if err != nil {
		return DownloadFile{}, fmt.Errorf("shop: open download: %w", err)
	}
	o, err := s.order(ctx, s.DB.Read(), orderID, false)
	if err != nil {
		return DownloadFile{}, err
	}
	if o.UserID != viewer.ID {
		return DownloadFile{}, errBadLink
	}
	if !o.Downloadable() {
		return DownloadFile{}, apperr.Errorf(apperr.Gone, "Order #%d was %s: its files are no longer available.", o.ID, o.State)
	}
	// A bucket that signs its own addresses serves the file for the
	// minutes a browser needs to start fetching it.
	if u, ok, err := s.Files.SignedURL(ctx, fileKey, 5*time.Minute); err != nil || ok {
		return DownloadFile{Redirect: u, Name: fileName}, err
	}
	f, err := s.Files.Open(ctx, fileKey)
	if err != nil {
		return DownloadFile{}, err
	}
	return DownloadFile{File: f, Name: fileName}, nil
}

// signingKey returns the key download links are signed with.
func (s *Service) signingKey(ctx context.Context) ([]byte, error) {
	return signing.Key(ctx, s.DB, "shop-downloads", s.Clock.Now())
}
