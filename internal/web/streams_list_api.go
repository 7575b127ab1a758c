package web

import (
	"net/http"

	"github.com/soulseer/soulseer/internal/live"
)

// streamList is the answer of GET /api/v1/streams.
type streamList struct {
	Streams []live.Stream `json:"streams"`
}

// apiStreamsList answers the streams live now (LIV-1), newest first: the
// public and premium ones, and the private ones the caller may watch;
// none of a reader in a block with the caller (ACC-6).
func (s *Server) apiStreamsList(w http.ResponseWriter, r *http.Request) error {
	list, err := s.Live.LiveNow(r.Context(), userOf(r))
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, streamList{Streams: list})
}
