package web

import (
	"net/http"
)

// apiConversationsList lists the caller's conversations, most recent first,
// with the other party, unread counts and the latest message, filtered by
// unread, paid and with (MSG-5).
func (s *Server) apiConversationsList(w http.ResponseWriter, r *http.Request) error {
	f, err := parseMessageFilter(r.URL.Query())
	if err != nil {
		return err
	}
	u := userOf(r)
	list, err := s.Messages.Conversations(r.Context(), u, f)
	if err != nil {
		return err
	}
	total, err := s.Messages.UnreadTotal(r.Context(), u.ID)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, map[string]any{"conversations": list, "unread_total": total})
}
