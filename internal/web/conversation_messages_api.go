package web

import (
	"net/http"
)

// apiConversationMessagesList pages through a conversation's history for
// its two parties (MSG-5): the latest messages before "before", oldest
// first; a paid reply locked for the caller has no text.
func (s *Server) apiConversationMessagesList(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	f, err := parseMessageFilter(r.URL.Query())
	if err != nil {
		return err
	}
	msgs, more, err := s.Messages.Messages(r.Context(), userOf(r), id, f)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, map[string]any{"messages": msgs, "has_more": more})
}
