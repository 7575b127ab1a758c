package web

import (
	"net/http"

	"github.com/soulseer/soulseer/internal/live"
)

// gifterList is the answer of GET /api/v1/streams/{id}/top-gifters.
type gifterList struct {
	Gifters []live.Gifter `json:"gifters"`
}

// apiStreamTopGiftersList answers the ten who gave a stream the most, most
// first (LIV-9).
func (s *Server) apiStreamTopGiftersList(w http.ResponseWriter, r *http.Request) error {
	return answerByID(w, r, func(id int64) (gifterList, error) {
		list, err := s.Live.TopGifters(r.Context(), id)
		return gifterList{Gifters: list}, err
	})
}
