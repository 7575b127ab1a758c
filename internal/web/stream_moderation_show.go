package web

import "net/http"

// streamModerationShow is a stream's moderation panel on its own (LIV-7,
// LIV-8): who is watching through any instance, and who is muted or
// banned, for the reader, admins and the reader's moderators (403 for
// anyone else). The stream page and the go-live page fetch it again as
// viewers come and go and as moderators act.
func (s *Server) streamModerationShow(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	st, err := s.Live.Get(r.Context(), id)
	if err != nil {
		return err
	}
	p, err := s.streamModerationOf(r.Context(), userOf(r), st)
	if err != nil {
		return err
	}
	return s.renderBlock(w, http.StatusOK, "stream", "stream_moderation", p)
}
