package web_test

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/soulseer/soulseer/internal/account"
	"github.com/soulseer/soulseer/internal/apptest"
	"github.com/soulseer/soulseer/internal/db"
	"github.com/soulseer/soulseer/internal/realtime"
)

// LIV-6, LIV-7, LIV-8: instances share a stream. A viewer connected to one
// instance sees the chat message and the gift another viewer sends
// through a second instance on the same PostgreSQL database, the sender's
// messages removed when the reader bans them there, and the stream's end
// announced there.
func TestStreamAcrossInstances_LIV6_LIV7_LIV8(t *testing.T) {
	t.Parallel()
	one := apptest.Start(t, db.Postgres, roomyLimits()) // skips, naming what to set, without PostgreSQL
	two := apptest.Start(t, db.Postgres, roomyLimits(), apptest.SharingDatabase(one))
	w := newWorld(t, one)
	fundAPI(t, w, w.client, 5000)
	st, err := one.App.Live.Start(ctx, w.reader, liveInput("Across instances", "public"))
	if err != nil {
		t.Fatal(err)
	}
	watcher := one.CreateUser("wren@example.com", account.RoleClient)
	onOne := streamDial(t, one, bearer(t, one, watcher).Token, st.ID)
	// The instances are linked once a probe published on two reaches one.
	deadline := time.Now().Add(wsWait)
	for linked := false; !linked; {
		if time.Now().After(deadline) {
			t.Fatal("instances not linked within", wsWait)
		}
		if err := two.App.Hub.Publish(ctx, realtime.StreamTopic(st.ID), "probe", nil); err != nil {
			t.Fatal(err)
		}
		select {
		case m := <-onOne.out:
			linked = m.Type == "probe"
		case <-time.After(50 * time.Millisecond):
		}
	}

	sender := bearer(t, two, w.client)
	if res := sender.Do("POST", "/api/v1/streams/"+id(st.ID)+"/messages", map[string]string{"body": "Sent through the other instance"}); res.Status != http.StatusCreated {
		t.Fatalf("chat on two: %d %s", res.Status, res.Body)
	}
	until(t, onOne, "stream.chat", `"body":"Sent through the other instance"`)
	gifts, err := two.App.Live.Gifts(ctx, false)
	if err != nil || len(gifts) == 0 {
		t.Fatalf("gift catalog: %v %v", gifts, err)
	}
	res := sender.Do("POST", "/api/v1/streams/"+id(st.ID)+"/gifts", map[string]any{"gift_id": gifts[0].ID, "quantity": 1, "idempotency_key": "across"})
	if res.Status != http.StatusCreated {
		t.Fatalf("gift on two: %d %s", res.Status, res.Body)
	}
	until(t, onOne, "stream.gift", `"quantity":1`)
	readerOnTwo := bearer(t, two, w.reader)
	if res := readerOnTwo.Do("POST", "/api/v1/streams/"+id(st.ID)+"/moderation", map[string]any{"action": "ban", "user_id": w.client.ID}); res.Status/100 != 2 {
		t.Fatalf("ban on two: %d %s", res.Status, res.Body)
	}
	until(t, onOne, "stream.hidden", `"user_id":`+id(w.client.ID))
	if res := readerOnTwo.Do("POST", "/api/v1/streams/"+id(st.ID)+"/end", nil); res.Status != http.StatusOK {
		t.Fatalf("end on two: %d %s", res.Status, res.Body)
	}
	until(t, onOne, "stream.ended", `"reason":"reader"`)
}

// until reads sc's messages until one of type typ holding want arrives.
func until(t *testing.T, sc *streamConn, typ, want string) realtime.Message {
	t.Helper()
	for {
		m := sc.next(t)
		if m.Type == typ && strings.Contains(string(m.Data), want) {
			return m
		}
	}
}
