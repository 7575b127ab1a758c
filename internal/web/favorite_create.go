package web

import (
	"net/http"

	"github.com/soulseer/soulseer/internal/reader"
)

// favoriteButton is the data of the favourite toggle partial.
type favoriteButton struct {
	ReaderID   int64
	IsFavorite bool
}

// favoriteCreate adds a reader to the user's favourites (RDR-6). With htmx it
// answers the new button; otherwise it returns to the page.
func (s *Server) favoriteCreate(w http.ResponseWriter, r *http.Request) error {
	return s.favoriteToggle(w, r, true)
}

// favoriteDelete removes a reader from the user's favourites.
func (s *Server) favoriteDelete(w http.ResponseWriter, r *http.Request) error {
	return s.favoriteToggle(w, r, false)
}

func (s *Server) favoriteToggle(w http.ResponseWriter, r *http.Request, on bool) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	if err := s.setFavorite(r, id, on); err != nil {
		return err
	}
	if r.Header.Get("HX-Request") == "true" {
		return s.renderBlock(w, http.StatusOK, "reader", "favorite_button", favoriteButton{ReaderID: id, IsFavorite: on})
	}
	http.Redirect(w, r, backTo(r, "/readers/"+r.PathValue("id")), http.StatusSeeOther)
	return nil
}

func (s *Server) setFavorite(r *http.Request, readerID int64, on bool) error {
	if on {
		return s.Readers.AddFavorite(r.Context(), userOf(r).ID, readerID)
	}
	return s.Readers.RemoveFavorite(r.Context(), userOf(r).ID, readerID)
}

// apiFavoriteCreate adds a reader to the favourites; repeating it is harmless.
func (s *Server) apiFavoriteCreate(w http.ResponseWriter, r *http.Request) error {
	return s.apiFavoriteToggle(w, r, true)
}

// apiFavoriteDelete removes a reader from the favourites.
func (s *Server) apiFavoriteDelete(w http.ResponseWriter, r *http.Request) error {
	return s.apiFavoriteToggle(w, r, false)
}

func (s *Server) apiFavoriteToggle(w http.ResponseWriter, r *http.Request, on bool) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	if err := s.setFavorite(r, id, on); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

// apiFavoritesList lists the user's favourite readers.
func (s *Server) apiFavoritesList(w http.ResponseWriter, r *http.Request) error {
	ids, err := s.Readers.FavoriteIDs(r.Context(), userOf(r).ID)
	if err != nil {
		return err
	}
	if len(ids) == 0 {
		return writeJSON(w, http.StatusOK, readerListResponse{Readers: []readerResponse{}, Limit: reader.MaxPageSize})
	}
	return s.writeReaderList(w, r, reader.Filter{IDs: ids, Limit: reader.MaxPageSize, Sort: reader.SortRecommended})
}
