package web

import (
	"net/http"
	"strconv"

	"github.com/soulseer/soulseer/internal/apperr"
)

// shopDownloadCreate issues a fresh link to one digital item of the
// viewer's order and sends the browser to it (SHOP-6, SHOP-8): each click
// of Download signs a new link for this buyer and item that expires after
// the shop's download TTL, so a link that ran out is never a dead end.
func (s *Server) shopDownloadCreate(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	if err := parseForm(w, r); err != nil {
		return err
	}
	item, _ := strconv.ParseInt(r.PostFormValue("item"), 10, 64)
	links, err := s.Shop.Downloads(r.Context(), userOf(r), id)
	if err != nil {
		return err
	}
	for _, d := range links {
		if d.ItemID == item {
			http.Redirect(w, r, d.URL, http.StatusSeeOther)
			return nil
		}
	}
	return apperr.Errorf(apperr.NotFound, "This order has no such download.")
}
