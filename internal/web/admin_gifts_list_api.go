package web

import "net/http"

// apiAdminGiftsList answers the whole gift catalog to admins, the gifts no
// longer offered too (LIV-4).
func (s *Server) apiAdminGiftsList(w http.ResponseWriter, r *http.Request) error {
	list, err := s.Live.Gifts(r.Context(), true)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, giftList{Gifts: list})
}
