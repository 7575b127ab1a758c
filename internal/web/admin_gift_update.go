package web

import "net/http"

// adminGiftUpdate changes a catalog gift's name, price, animation, place
// or whether it is on offer from the admin's gift page (LIV-4), audited
// with the gift before and after; gifts already sent keep their price.
func (s *Server) adminGiftUpdate(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	return s.adminGiftSave(w, r, id)
}
