package web_test

import (
	"fmt"
	"net/http"
	"testing"

	"github.com/soulseer/soulseer/internal/account"
	"github.com/soulseer/soulseer/internal/apptest"
	"github.com/soulseer/soulseer/internal/db"
	"github.com/soulseer/soulseer/internal/notify"
)

// notificationJSON is a notification in API answers.
type notificationJSON struct {
	ID    int64  `json:"id"`
	Kind  string `json:"kind"`
	Title string `json:"title"`
	URL   string `json:"url"`
	Read  bool   `json:"read"`
}

type notificationList struct {
	Notifications []notificationJSON `json:"notifications"`
	Unread        int                `json:"unread"`
}

// tell sends u n in-app notifications of kind k, titled "<prefix> 1" …
func tell(t *testing.T, s *apptest.Server, u account.User, k notify.Kind, prefix string, n int) {
	t.Helper()
	for i := 1; i <= n; i++ {
		err := s.App.DB.Tx(ctx, func(tx *db.Tx) error {
			return s.App.Notify.Send(ctx, tx, notify.Notification{UserID: u.ID, Kind: k, Title: fmt.Sprintf("%s %d", prefix, i), URL: "/messages"})
		})
		if err != nil {
			t.Fatal(err)
		}
	}
}

func listNotifications(t *testing.T, c *apptest.Client, query string) notificationList {
	t.Helper()
	res := c.Do("GET", "/api/v1/notifications"+query, nil)
	var l notificationList
	res.JSON(t, &l)
	if res.Status != http.StatusOK || l.Notifications == nil {
		t.Fatalf("list %s: %d %s", query, res.Status, res.Body)
	}
	return l
}

// MSG-2: a person's notifications through the API — newest first, paged by
// before and limit, only unread on request, never anyone else's; marking
// some or all read lowers the count; bad input is a 400 naming the field.
func TestNotificationsAPI_MSG2(t *testing.T) {
	eachApp(t, func(t *testing.T, s *apptest.Server) {
		w := newWorld(t, s)
		client, luna := w.as["client"], w.as["reader"]
		tell(t, s, w.client, notify.KindMessage, "For Cleo", 25)
		tell(t, s, w.reader, notify.KindMessage, "For Luna", 2)

		first := listNotifications(t, client, "")
		if len(first.Notifications) != notify.DefaultListLimit || first.Unread != 25 || first.Notifications[0].Title != "For Cleo 25" {
			t.Fatalf("first page: %d items, unread %d, newest %+v", len(first.Notifications), first.Unread, first.Notifications[0])
		}
		last := first.Notifications[len(first.Notifications)-1]
		rest := listNotifications(t, client, "?limit=10&before="+id(last.ID))
		if len(rest.Notifications) != 5 || rest.Notifications[0].ID >= last.ID || rest.Notifications[4].Title != "For Cleo 1" {
			t.Fatalf("second page = %+v", rest.Notifications)
		}
		for _, n := range append(first.Notifications, rest.Notifications...) {
			if n.Kind != "message" || n.Read || n.URL != "/messages" {
				t.Fatalf("notification = %+v", n)
			}
		}

		// Another person's ids change nothing; one's own are marked.
		theirs := listNotifications(t, luna, "").Notifications
		res := client.Do("POST", "/api/v1/notifications/read", map[string]any{"ids": []int64{theirs[0].ID, first.Notifications[0].ID, first.Notifications[1].ID}})
		var after struct{ Unread int }
		res.JSON(t, &after)
		if res.Status != http.StatusOK || after.Unread != 23 {
			t.Fatalf("mark two read: %d %s", res.Status, res.Body)
		}
		if l := listNotifications(t, luna, ""); l.Unread != 2 {
			t.Fatalf("Luna's unread = %d after Cleo marked her id", l.Unread)
		}
		unread := listNotifications(t, client, "?unread=true&limit=100")
		if len(unread.Notifications) != 23 || unread.Unread != 23 {
			t.Fatalf("unread only: %d items, unread %d", len(unread.Notifications), unread.Unread)
		}
		if res := client.Do("POST", "/api/v1/notifications/read", `{"all": true}`); res.Status != http.StatusOK || string(res.Body) != "{\"unread\":0}\n" {
			t.Fatalf("mark all read: %d %s", res.Status, res.Body)
		}
		if l := listNotifications(t, client, "?unread=1"); len(l.Notifications) != 0 || l.Unread != 0 {
			t.Fatalf("after all read: %+v", l)
		}

		for query, field := range map[string]string{"?limit=0": "limit", "?limit=101": "limit", "?before=x": "before", "?unread=maybe": "unread"} {
			if p := problemOf(t, client.Do("GET", "/api/v1/notifications"+query, nil), http.StatusBadRequest); p.Errors[field] == "" {
				t.Errorf("%s: no error for %s: %+v", query, field, p)
			}
		}
		for body, field := range map[string]string{`{}`: "ids", `{"ids": []}`: "ids", `{"ids": [1], "all": true}`: "all", `{"ids": [0]}`: "ids"} {
			if p := problemOf(t, client.Do("POST", "/api/v1/notifications/read", body), http.StatusBadRequest); p.Errors[field] == "" {
				t.Errorf("%s: no error for %s: %+v", body, field, p)
			}
		}
	})
}

type preferenceJSON struct {
	Kind  string `json:"kind"`
	Label string `json:"label"`
	InApp bool   `json:"in_app"`
	Email bool   `json:"email"`
}

// MSG-2 RDR-7: notification preferences through the API: every kind with
// its defaults, changed per kind (others keep theirs), refused whole for
// an unknown kind or a missing switch; a kind switched off in the app is
// no longer listed or counted.
func TestNotificationPreferencesAPI_MSG2(t *testing.T) {
	eachApp(t, func(t *testing.T, s *apptest.Server) {
		w := newWorld(t, s)
		client := w.as["client"]
		get := func() map[string]preferenceJSON {
			t.Helper()
			res := client.Do("GET", "/api/v1/me/notification-preferences", nil)
			var out struct{ Preferences []preferenceJSON }
			res.JSON(t, &out)
			if res.Status != http.StatusOK || len(out.Preferences) < 2 {
				t.Fatalf("preferences: %d %s", res.Status, res.Body)
			}
			byKind := map[string]preferenceJSON{}
			for _, p := range out.Preferences {
				byKind[p.Kind] = p
			}
			return byKind
		}
		if p := get(); !p["message"].InApp || !p["message"].Email || !p["reader_online"].InApp || p["reader_online"].Label == "" {
			t.Fatalf("defaults = %+v", p)
		}
		res := client.Do("PUT", "/api/v1/me/notification-preferences", `{"preferences": [{"kind": "message", "in_app": false, "email": true}]}`)
		if res.Status != http.StatusOK {
			t.Fatalf("save: %d %s", res.Status, res.Body)
		}
		if p := get(); p["message"].InApp || !p["message"].Email || !p["reader_online"].InApp {
			t.Fatalf("after saving = %+v", p)
		}
		for body, field := range map[string]string{
			`{"preferences": [{"kind": "horoscope", "in_app": true, "email": true}]}`:                                                   "preferences[0].kind",
			`{"preferences": [{"kind": "message", "in_app": true}]}`:                                                                    "preferences[0].email",
			`{"preferences": [{"kind": "message", "in_app": true, "email": true}, {"kind": "message", "in_app": true, "email": true}]}`: "preferences[1].kind",
			`{}`: "preferences",
		} {
			if p := problemOf(t, client.Do("PUT", "/api/v1/me/notification-preferences", body), http.StatusBadRequest); p.Errors[field] == "" {
				t.Errorf("%s: no error for %s: %+v", body, field, p)
			}
		}
		if p := get(); p["message"].InApp {
			t.Fatal("a refused change was saved")
		}
		tell(t, s, w.client, notify.KindMessage, "Hidden", 3)
		tell(t, s, w.client, notify.KindReaderOnline, "Shown", 1)
		if l := listNotifications(t, client, ""); len(l.Notifications) != 1 || l.Unread != 1 || l.Notifications[0].Kind != "reader_online" {
			t.Fatalf("with messages off in the app: %+v", l)
		}
	})
}
