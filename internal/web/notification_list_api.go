package web

import (
	"net/http"

	"github.com/soulseer/soulseer/internal/notify"
)

// notificationListResponse is a page of the caller's notifications and the
// number on their bell.
type notificationListResponse struct {
	Notifications []notify.Item `json:"notifications"`
	Unread        int           `json:"unread"`
}

// apiNotificationsList lists the caller's own notifications, newest first,
// a page at a time (before, limit), all or only unread ones, with their
// unread count (MSG-2).
func (s *Server) apiNotificationsList(w http.ResponseWriter, r *http.Request) error {
	f, err := parseNotificationFilter(r.URL.Query())
	if err != nil {
		return err
	}
	u := userOf(r)
	items, err := s.Notify.List(r.Context(), u.ID, f)
	if err != nil {
		return err
	}
	unread, err := s.Notify.Unread(r.Context(), u.ID)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, notificationListResponse{Notifications: items, Unread: unread})
}
