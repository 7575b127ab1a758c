package web

import (
	"net/http"

	"github.com/soulseer/soulseer/internal/reader"
	"github.com/soulseer/soulseer/internal/reading"
)

// readerPage is the data of a reader's public profile page.
type readerPage struct {
	Page
	Reader     reader.Profile
	IsFavorite bool
	IsOwn      bool
	QueuePos   int // the visitor's place in the reader's queue, 0 if none
	Reviews    []reading.Review
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
	data := readerPage{Page: s.page(w, r, p.DisplayName), Reader: p, IsFavorite: favs[p.UserID], IsOwn: userOf(r).ID == p.UserID}
	if u := userOf(r); u.ID != 0 {
		if data.QueuePos, err = s.Readings.QueuePosition(r.Context(), u.ID, p.UserID); err != nil {
			return err
		}
	}
	if data.Reviews, err = s.Readings.Reviews(r.Context(), p.UserID, 5); err != nil {
		return err
	}
	return s.render(w, http.StatusOK, "reader", data)
}
