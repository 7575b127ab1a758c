package web

import (
	"net/http"

	"github.com/soulseer/soulseer/internal/live"
)

// apiStreamJoin admits the caller to a live stream they may watch (LIV-2,
// LIV-3, AGO-1, AGO-4): 200 with the stream, their role and, where Agora
// is set up, their RTC and RTM tokens (null otherwise); calling it again
// renews the tokens. A private stream the caller was not invited to, or a
// block with its reader, is a 403; a premium stream without a ticket a
// 402; an ended stream a 409.
func (s *Server) apiStreamJoin(w http.ResponseWriter, r *http.Request) error {
	return answerByID(w, r, func(id int64) (live.Joined, error) { return s.Live.Join(r.Context(), userOf(r), id) })
}
