package web

import (
	"net/http"

	"github.com/soulseer/soulseer/internal/apperr"
)

// apiNotificationReadRequest is the body of POST /api/v1/notifications/read:
// the ids to mark read, or all.
type apiNotificationReadRequest struct {
	IDs []int64 `json:"ids"`
	All bool    `json:"all"`
}

// unreadResponse is the caller's unread notification count.
type unreadResponse struct {
	Unread int `json:"unread"`
}

// apiNotificationsRead marks the caller's notifications read — those named
// by ids, or all of them — and answers with the count left unread (MSG-2).
// It takes exactly one of the two; ids of other people's notifications
// change nothing.
func (s *Server) apiNotificationsRead(w http.ResponseWriter, r *http.Request) error {
	var req apiNotificationReadRequest
	if err := decodeJSON(w, r, &req); err != nil {
		return err
	}
	ids, err := markReadIDs(req.IDs, req.All)
	if err != nil {
		return err
	}
	unread, err := s.Notify.MarkRead(r.Context(), userOf(r).ID, ids)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, unreadResponse{Unread: unread})
}

// markReadIDs is what to mark read: the ids given, or nil for all. Naming
// ids and all at once, or neither, is refused.
func markReadIDs(ids []int64, all bool) ([]int64, error) {
	switch {
	case all && ids != nil:
		return nil, apperr.Validation(map[string]string{"all": "Send either ids or all, not both."})
	case all:
		return nil, nil
	case ids == nil:
		return nil, apperr.Validation(map[string]string{"ids": "Name the notifications to mark read, or send all: true."})
	}
	return ids, nil
}
