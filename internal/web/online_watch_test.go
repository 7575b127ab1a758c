package web_test

import (
	"encoding/json"
	"net/http"
	"testing"
	"time"

	"github.com/soulseer/soulseer/internal/account"
	"github.com/soulseer/soulseer/internal/apptest"
	"github.com/soulseer/soulseer/internal/db"
	"github.com/soulseer/soulseer/internal/notify"
	"github.com/soulseer/soulseer/internal/reader"
	"github.com/soulseer/soulseer/internal/realtime"
)

// RDR-7: a client who asked to be told when a reader comes online is told
// exactly once — live on their page on one instance, and in their list —
// when the reader connects to another instance on the same PostgreSQL
// database; the request is then used up, so the reader's next connection
// tells only a client who asked since.
func TestNotifyOnlineAcrossInstances_RDR7(t *testing.T) {
	t.Parallel()
	one := apptest.Start(t, db.Postgres, roomyLimits()) // skips, naming what to set, without PostgreSQL
	two := apptest.Start(t, db.Postgres, roomyLimits(), apptest.SharingDatabase(one))
	admin := one.CreateUser("ada@example.com", account.RoleAdmin)
	orla := one.CreateUser("orla@example.com", account.RoleReader)
	specs := []string{"tarot"}
	if _, err := one.App.Readers.UpdateProfile(ctx, orla.ID, reader.ProfileInput{DisplayName: "Orla Moon", Specialties: &specs, Rates: reader.RatesInput{Text: cents(199)}}); err != nil {
		t.Fatal(err)
	}
	if _, err := one.App.Readers.SetVerified(ctx, admin, orla.ID, true); err != nil {
		t.Fatal(err)
	}
	reader1 := bearer(t, one, orla)
	if res := reader1.Do("POST", "/api/v1/me/presence", `{"status": "online"}`); res.Status != http.StatusOK {
		t.Fatalf("choose online: %d %s", res.Status, res.Body)
	}
	cleoUser := one.CreateUser("cleo@example.com", account.RoleClient)
	cleo := bearer(t, one, cleoUser)
	var shown struct{ Status string }
	cleo.Do("GET", "/api/v1/readers/"+id(orla.ID), nil).JSON(t, &shown)
	if shown.Status != "offline" {
		t.Fatalf("Orla without a connection shows %q", shown.Status)
	}
	if res := cleo.Do("PUT", "/api/v1/readers/"+id(orla.ID)+"/notify-online", nil); res.Status != http.StatusNoContent {
		t.Fatalf("ask: %d %s", res.Status, res.Body)
	}
	if res := cleo.Do("PUT", "/api/v1/readers/"+id(orla.ID)+"/notify-online", nil); res.Status != http.StatusNoContent {
		t.Fatalf("ask again: %d %s", res.Status, res.Body)
	}
	cleoLive := wsDial(t, one, wsTokenHeader(t, cleo))
	linkInstances(t, two, cleoUser.ID, cleoLive)

	// Orla connects to the other instance.
	wsDial(t, two, wsTokenHeader(t, bearer(t, two, orla)))
	got := nextNotification(t, cleoLive)
	if got.Notification.Kind != notify.KindReaderOnline || got.Notification.Title != "Orla Moon is online now" ||
		got.Notification.URL != "/readers/"+id(orla.ID) || got.Unread != 1 {
		t.Fatalf("live notification = %+v", got)
	}
	watching, err := one.App.Readers.WatchingOnline(ctx, cleoUser.ID, orla.ID)
	if err != nil || watching {
		t.Fatalf("the request is not used up (%v, %v)", watching, err)
	}

	// A second client asks now; Orla's next connection, on the first
	// instance, tells only her.
	danaUser := two.CreateUser("dana@example.com", account.RoleClient)
	dana := bearer(t, two, danaUser)
	if res := dana.Do("PUT", "/api/v1/readers/"+id(orla.ID)+"/notify-online", nil); res.Status != http.StatusNoContent {
		t.Fatalf("Dana asks: %d %s", res.Status, res.Body)
	}
	danaLive := wsDial(t, two, wsTokenHeader(t, dana))
	linkInstances(t, one, danaUser.ID, danaLive)
	wsDial(t, one, wsTokenHeader(t, bearer(t, one, orla)))
	if d := nextNotification(t, danaLive); d.Notification.Kind != notify.KindReaderOnline {
		t.Fatalf("Dana's notification = %+v", d)
	}
	for len(cleoLive) > 0 {
		if m := <-cleoLive; m.Type == "notification.new" {
			t.Fatalf("Cleo was told again: %s", m.Data)
		}
	}
	l := listNotifications(t, cleo, "")
	if len(l.Notifications) != 1 || l.Notifications[0].Kind != "reader_online" || l.Unread != 1 {
		t.Fatalf("Cleo's notifications = %+v", l)
	}
}

// linkInstances waits until other's hub reaches the live connection of
// userID (opened on another instance): it probes until a probe arrives.
func linkInstances(t *testing.T, other *apptest.Server, userID int64, live <-chan realtime.Message) {
	t.Helper()
	deadline := time.After(wsWait)
	for {
		if err := other.App.Hub.Publish(ctx, realtime.UserTopic(userID), "probe", nil); err != nil {
			t.Fatal(err)
		}
		select {
		case m := <-live:
			if m.Type == "probe" {
				return
			}
		case <-time.After(50 * time.Millisecond):
		case <-deadline:
			t.Fatal("instances not linked within", wsWait)
		}
	}
}

// nextNotification waits for the next "notification.new" live event.
func nextNotification(t *testing.T, live <-chan realtime.Message) notify.NewEvent {
	t.Helper()
	for {
		m := wsNext(t, live)
		if m.Type != "notification.new" {
			continue
		}
		var ev notify.NewEvent
		if err := json.Unmarshal(m.Data, &ev); err != nil {
			t.Fatal(err)
		}
		return ev
	}
}
