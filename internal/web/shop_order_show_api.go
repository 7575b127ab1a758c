package web

import "net/http"

// apiShopOrderShow answers order {id} to its buyer or an admin, with its
// items, state and tracking (SHOP-7); to anyone else it is a 404.
func (s *Server) apiShopOrderShow(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	o, err := s.Shop.Order(r.Context(), userOf(r), id)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, o)
}
