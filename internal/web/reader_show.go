package web

import (
	"net/http"

	"github.com/soulseer/soulseer/internal/reader"
)

// readerPage is the data of a reader's public profile page.
type readerPage struct {
	Page
	Reader     reader.Profile
	IsFavorite bool
	IsOwn      bool
}

// readerShow renders a reader's profile (RDR-1).
func (s *Server) readerShow(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	p, err := s.Readers.Get(r.Context(), userOf(r), id)
	if err != nil {
		return err
	}
	favs, err := s.favoriteSet(r)
	if err != nil {
		return err
	}
	return s.render(w, http.StatusOK, "reader", readerPage{
		Page: s.page(w, r, p.DisplayName), Reader: p, IsFavorite: favs[p.UserID], IsOwn: userOf(r).ID == p.UserID,
	})
}
