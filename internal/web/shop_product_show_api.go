package web

import (
	"net/http"

	"github.com/soulseer/soulseer/internal/account"
)

// apiShopProductShow answers product {id} (SHOP-2); an archived product
// is shown only to admins, and is a 404 to everyone else.
func (s *Server) apiShopProductShow(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	p, err := s.Shop.Product(r.Context(), id, userOf(r).Role == account.RoleAdmin)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, p)
}
