package web

import (
	"net/http"
)

// apiMessagesSearch searches the text of the caller's messages, newest
// first, narrowed by paid and with and paged by before (MSG-5); a locked
// paid reply is never found by its words.
func (s *Server) apiMessagesSearch(w http.ResponseWriter, r *http.Request) error {
	f, err := parseMessageFilter(r.URL.Query())
	if err != nil {
		return err
	}
	found, err := s.Messages.Search(r.Context(), userOf(r), f)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, map[string]any{"messages": found})
}
