package web

import (
	"net/http"

	"github.com/soulseer/soulseer/internal/notify"
)

// unsubscribePage is the data of the page an email's unsubscribe link opens.
type unsubscribePage struct {
	Page
	Token string
	Kind  notify.KindInfo
	Done  bool
}

// notificationUnsubscribeShow asks, without signing in, whether to stop the
// emails of the kind an email's link names (MSG-2); following a link
// changes nothing by itself, so mail scanners that open links stop nothing.
// An unknown link is a 404 page saying where to change settings instead.
func (s *Server) notificationUnsubscribeShow(w http.ResponseWriter, r *http.Request) error {
	u, err := s.Notify.LookUpUnsubscribe(r.Context(), r.PathValue("token"))
	if err != nil {
		return err
	}
	return s.render(w, http.StatusOK, "notification_unsubscribe", unsubscribePage{Page: s.page(w, r, "Stop emails"), Token: r.PathValue("token"), Kind: u.Kind})
}

// notificationUnsubscribe turns off the emails of the link's kind for the
// person it was sent to; doing it twice is harmless.
func (s *Server) notificationUnsubscribe(w http.ResponseWriter, r *http.Request) error {
	u, err := s.Notify.Unsubscribe(r.Context(), r.PathValue("token"))
	if err != nil {
		return err
	}
	return s.render(w, http.StatusOK, "notification_unsubscribe", unsubscribePage{Page: s.page(w, r, "Emails stopped"), Kind: u.Kind, Done: true})
}
