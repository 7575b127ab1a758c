package web

import (
	"net/http"

	"github.com/soulseer/soulseer/internal/live"
	"github.com/soulseer/soulseer/internal/reader"
)

// landingPage is the data of the home page.
type landingPage struct {
	Page
	Online      []reader.Profile
	TopRated    []reader.Profile
	Specialties []reader.Specialty
	OnlineCount int
	Live        []live.Stream // streams live now that the visitor may see listed (LIV-1)
}

// landingShow renders the home page with readers online now and the
// streams live now.
func (s *Server) landingShow(w http.ResponseWriter, r *http.Request) error {
	online, n, err := s.Readers.List(r.Context(), reader.Filter{OnlineOnly: true, Limit: 8})
	if err != nil {
		return err
	}
	top, _, err := s.Readers.List(r.Context(), reader.Filter{Sort: reader.SortRating, Limit: 4})
	if err != nil {
		return err
	}
	streams, err := s.Live.LiveNow(r.Context(), userOf(r))
	if err != nil {
		return err
	}
	return s.render(w, http.StatusOK, "landing", landingPage{
		Page: s.page(w, r, "Live psychic readings"), Online: online, TopRated: top,
		Specialties: reader.Specialties(), OnlineCount: n, Live: streams,
	})
}
