package web

import (
	"net/http"
	"net/url"
	"strconv"

	"github.com/soulseer/soulseer/internal/apperr"
	"github.com/soulseer/soulseer/internal/notify"
)

// bellMenuSize is how many notifications the bell's dropdown shows.
const bellMenuSize = 5

// notificationsPage is the data of the notification list and of the bell's
// dropdown.
type notificationsPage struct {
	Page
	Filter notify.ListFilter
	Items  []notify.Item
	Unread int
	Older  string // the address of the next, older page; "" on the last
	Errors map[string]string
}

// notificationsShow renders the signed-in person's notifications (MSG-2),
// newest first, all or only unread, a page at a time, each with its link
// and "Mark read", and "Mark all read". Bad paging shows the first page
// with the field's error, never a 500.
func (s *Server) notificationsShow(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	data := notificationsPage{Page: s.page(w, r, "Notifications")}
	status := http.StatusOK
	f, err := parseNotificationFilter(q)
	if e := apperr.As(err); e != nil {
		data.Errors, status = e.Fields, http.StatusBadRequest
	}
	data.Filter = f
	if err := s.fillNotifications(r, &data, f); err != nil {
		return err
	}
	if len(data.Items) == notify.DefaultListLimit {
		next := url.Values{"before": {strconv.FormatInt(data.Items[len(data.Items)-1].ID, 10)}}
		if f.UnreadOnly {
			next.Set("unread", "true")
		}
		data.Older = "/notifications?" + next.Encode()
	}
	return s.render(w, status, "notifications", data)
}

// notificationsLatest renders the bell's dropdown: the few newest
// notifications, unread first to the eye, for htmx to show under the bell.
func (s *Server) notificationsLatest(w http.ResponseWriter, r *http.Request) error {
	data := notificationsPage{Page: Page{User: userOf(r), Path: r.URL.Path}}
	if err := s.fillNotifications(r, &data, notify.ListFilter{Limit: bellMenuSize}); err != nil {
		return err
	}
	return s.renderBlock(w, http.StatusOK, "notifications", "bell_menu", data)
}

func (s *Server) fillNotifications(r *http.Request, data *notificationsPage, f notify.ListFilter) error {
	u := userOf(r)
	var err error
	if data.Items, err = s.Notify.List(r.Context(), u.ID, f); err != nil {
		return err
	}
	data.Unread, err = s.Notify.Unread(r.Context(), u.ID)
	return err
}
