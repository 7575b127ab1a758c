package web

import (
	"net/http"

	"github.com/soulseer/soulseer/internal/live"
)

// apiStreamEnd ends a live stream for its reader or an admin (LIV-2; an
// admin's end is audited), telling every viewer: 200 with the ended
// stream; anyone else gets a 403, an ended stream a 409.
func (s *Server) apiStreamEnd(w http.ResponseWriter, r *http.Request) error {
	return answerByID(w, r, func(id int64) (live.Stream, error) { return s.Live.End(r.Context(), userOf(r), id) })
}
