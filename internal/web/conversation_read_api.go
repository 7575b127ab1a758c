package web

import (
	"net/http"
)

// apiConversationRead marks a conversation read for the caller, one of its
// two parties, and answers with their unread count over all conversations.
func (s *Server) apiConversationRead(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	u := userOf(r)
	if err := s.Messages.MarkRead(r.Context(), u, id); err != nil {
		return err
	}
	total, err := s.Messages.UnreadTotal(r.Context(), u.ID)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, map[string]any{"unread_total": total})
}
