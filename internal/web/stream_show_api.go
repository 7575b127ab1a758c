package web

import (
	"net/http"

	"github.com/soulseer/soulseer/internal/live"
)

// apiStreamShow answers one stream, live or ended, with its viewer count
// (LIV-1, LIV-7); whether the caller may watch it is decided on joining.
func (s *Server) apiStreamShow(w http.ResponseWriter, r *http.Request) error {
	return answerByID(w, r, func(id int64) (live.Stream, error) { return s.Live.Get(r.Context(), id) })
}
