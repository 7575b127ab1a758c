package web_test

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/coder/websocket"

	"github.com/soulseer/soulseer/internal/account"
	"github.com/soulseer/soulseer/internal/apptest"
	"github.com/soulseer/soulseer/internal/db"
	"github.com/soulseer/soulseer/internal/realtime"
)

// LIV-2, LIV-6, LIV-7, LIV-8: instances share a stream. A viewer connected
// to one instance sees the chat message and the gift another viewer sends
// through a second instance on the same PostgreSQL database; viewers on
// both instances are counted and listed on both; when the reader bans a
// viewer there, the viewer's messages leave the first instance's screens
// and the banned viewer's connection to the first instance is closed, with
// the reason; the stream's end closes every viewer's connection on the
// first instance after announcing it, and a reconnect is refused with the
// reason.
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
	onOne := watchDial(t, one, bearer(t, one, watcher).Token, st.ID)
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

	// LIV-7: a viewer on each instance, and the banned-to-be client on
	// one: three viewers, counted and listed alike through either.
	yara := one.CreateUser("yara@example.com", account.RoleClient)
	watchDial(t, two, bearer(t, two, yara).Token, st.ID)
	banned := watchDial(t, one, bearer(t, one, w.client).Token, st.ID)
	onOne.until(t, "stream.viewers", `"count":3`)
	readerOnTwo := bearer(t, two, w.reader)
	for _, s := range []*apptest.Server{one, two} {
		if res := s.Client().Do("GET", "/api/v1/streams/"+id(st.ID), nil); !strings.Contains(string(res.Body), `"viewer_count":3`) {
			t.Errorf("the stream through %s: %s, want 3 viewers", s.URL, res.Body)
		}
	}
	res := readerOnTwo.Do("GET", "/api/v1/streams/"+id(st.ID)+"/viewers", nil)
	for _, name := range []string{`"display_name":"wren"`, `"display_name":"yara"`, `"display_name":"cleo"`} {
		if !strings.Contains(string(res.Body), name) {
			t.Errorf("viewer list through two lacks %s: %s", name, res.Body)
		}
	}

	sender := bearer(t, two, w.client)
	if res := sender.Do("POST", "/api/v1/streams/"+id(st.ID)+"/messages", map[string]string{"body": "Sent through the other instance"}); res.Status != http.StatusCreated {
		t.Fatalf("chat on two: %d %s", res.Status, res.Body)
	}
	onOne.until(t, "stream.chat", `"body":"Sent through the other instance"`)
	gifts, err := two.App.Live.Gifts(ctx, false)
	if err != nil || len(gifts) == 0 {
		t.Fatalf("gift catalog: %v %v", gifts, err)
	}
	res = sender.Do("POST", "/api/v1/streams/"+id(st.ID)+"/gifts", map[string]any{"gift_id": gifts[0].ID, "quantity": 1, "idempotency_key": "across"})
	if res.Status != http.StatusCreated {
		t.Fatalf("gift on two: %d %s", res.Status, res.Body)
	}
	onOne.until(t, "stream.gift", `"quantity":1`)

	// LIV-8: a ban on two closes the banned viewer's connection on one.
	if res := readerOnTwo.Do("POST", "/api/v1/streams/"+id(st.ID)+"/moderation", map[string]any{"action": "ban", "user_id": w.client.ID}); res.Status/100 != 2 {
		t.Fatalf("ban on two: %d %s", res.Status, res.Body)
	}
	onOne.until(t, "stream.hidden", `"user_id":`+id(w.client.ID))
	banned.until(t, "stream.banned", `"user_id":`+id(w.client.ID))
	banned.closed(t, "banned")
	onOne.until(t, "stream.viewers", `"count":2`) // the banned viewer left

	// LIV-2: the end, made on two, closes the connection on one after
	// saying so; connecting again is refused with the reason.
	if res := readerOnTwo.Do("POST", "/api/v1/streams/"+id(st.ID)+"/end", nil); res.Status != http.StatusOK {
		t.Fatalf("end on two: %d %s", res.Status, res.Body)
	}
	onOne.until(t, "stream.ended", `"reason":"reader"`)
	onOne.closed(t, "ended")
	again := watchDial(t, one, bearer(t, one, watcher).Token, st.ID)
	again.until(t, "stream.refused", "ended")
	again.closed(t, "ended")
}

// watchConn is a test's live connection to a stream that also says how it
// was closed.
type watchConn struct {
	out <-chan realtime.Message
	err error // how the connection ended, once out is closed
}

// streamSocket opens stream id's live connection with the bearer token,
// closed when the test ends.
func streamSocket(t *testing.T, s *apptest.Server, token string, streamID int64) *websocket.Conn {
	t.Helper()
	dctx, cancel := context.WithTimeout(ctx, wsWait)
	defer cancel()
	c, _, err := websocket.Dial(dctx, "ws"+strings.TrimPrefix(s.URL, "http")+"/api/v1/streams/"+id(streamID)+"/ws",
		&websocket.DialOptions{HTTPHeader: http.Header{"Authorization": {"Bearer " + token}}})
	if err != nil {
		t.Fatalf("dial stream %d: %v", streamID, err)
	}
	t.Cleanup(func() { c.CloseNow() })
	return c
}

// watchDial opens stream id's live connection with the bearer token.
func watchDial(t *testing.T, s *apptest.Server, token string, streamID int64) *watchConn {
	t.Helper()
	c := streamSocket(t, s, token, streamID)
	out := make(chan realtime.Message, 64)
	wc := &watchConn{out: out}
	go func() {
		defer close(out)
		for {
			_, b, err := c.Read(context.Background())
			if err != nil {
				wc.err = err
				return
			}
			var m realtime.Message
			if err := json.Unmarshal(b, &m); err != nil {
				wc.err = err
				return
			}
			out <- m
		}
	}()
	return wc
}

// until reads wc's messages until one of type typ holding want arrives.
func (wc *watchConn) until(t *testing.T, typ, want string) realtime.Message {
	t.Helper()
	for {
		m := wsNext(t, wc.out)
		if m.Type == typ && strings.Contains(string(m.Data), want) {
			return m
		}
	}
}

// closed waits for the server to close wc with realtime.StatusRefused and
// a reason holding want.
func (wc *watchConn) closed(t *testing.T, want string) {
	t.Helper()
	deadline := time.After(wsWait)
	for {
		select {
		case _, ok := <-wc.out:
			if ok {
				continue
			}
			var ce websocket.CloseError
			if !errors.As(wc.err, &ce) || ce.Code != realtime.StatusRefused || !strings.Contains(ce.Reason, want) {
				t.Fatalf("connection ended with %v, want status %d and a reason with %q", wc.err, realtime.StatusRefused, want)
			}
			return
		case <-deadline:
			t.Fatal("connection still open after", wsWait)
		}
	}
}
