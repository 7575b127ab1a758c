package web

import (
	"net/http"

	"github.com/soulseer/soulseer/internal/live"
)

// giftList is the answer of the gift catalog's listings.
type giftList struct {
	Gifts []live.Gift `json:"gifts"`
}

// apiGiftsList answers the gifts on offer, in tray order (LIV-4).
func (s *Server) apiGiftsList(w http.ResponseWriter, r *http.Request) error {
	list, err := s.Live.Gifts(r.Context(), false)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, giftList{Gifts: list})
}
