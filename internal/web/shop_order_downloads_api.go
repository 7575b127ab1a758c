package web

import (
	"net/http"

	"github.com/soulseer/soulseer/internal/shop"
)

// shopDownloadList is the answer of GET /shop/orders/{id}/downloads.
type shopDownloadList struct {
	Downloads []shop.Download `json:"downloads"`
}

// apiShopOrderDownloads gives the buyer of order {id} a fresh link to each
// of its digital items, signed for them and that item and expiring after
// the download TTL, 24 hours by default (SHOP-6, SHOP-8). To anyone else
// the order is a 404; an order unpaid or refunded has none (409).
func (s *Server) apiShopOrderDownloads(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	list, err := s.Shop.Downloads(r.Context(), userOf(r), id)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, shopDownloadList{Downloads: list})
}
