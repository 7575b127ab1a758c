package web

import (
	"net/http"

	"github.com/soulseer/soulseer/internal/live"
)

// viewerList is the answer of GET /api/v1/streams/{id}/viewers.
type viewerList struct {
	Viewers []live.Viewer `json:"viewers"`
}

// apiStreamViewersList answers who is watching a stream through any
// instance, by name, to the reader, their moderators and admins (LIV-7).
func (s *Server) apiStreamViewersList(w http.ResponseWriter, r *http.Request) error {
	return answerByID(w, r, func(id int64) (viewerList, error) {
		list, err := s.Live.Viewers(r.Context(), userOf(r), id)
		return viewerList{Viewers: list}, err
	})
}
