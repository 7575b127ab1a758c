package web_test

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/coder/websocket"

	"github.com/soulseer/soulseer/internal/apptest"
	"github.com/soulseer/soulseer/internal/config"
	"github.com/soulseer/soulseer/internal/payment"
	"github.com/soulseer/soulseer/internal/reader"
)

// readingWorld is a world whose reader is online and whose client holds
// funds.
func readingWorld(t *testing.T, s *apptest.Server, fund int64) *world {
	t.Helper()
	w := newWorld(t, s)
	if _, err := s.App.Readers.SetStatus(ctx, w.reader.ID, reader.Online); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(s.App.Presence.Connect(ctx, w.reader.ID, 0))
	if fund > 0 {
		if _, err := s.App.Payments.Adjust(ctx, w.admin, payment.AdjustInput{UserID: w.client.ID, AmountCents: fund, Reason: "test"}); err != nil {
			t.Fatal(err)
		}
	}
	return w
}

type readingJSON struct {
	ID             int64  `json:"id"`
	State          string `json:"state"`
	BilledMinutes  int64  `json:"billed_minutes"`
	TotalCents     int64  `json:"total_cents"`
	ReaderEarnings int64  `json:"reader_earnings_cents"`
	RateCents      int64  `json:"rate_cents"`
	EndReason      string `json:"end_reason"`
}

// OD-1 OD-2 OD-3 OD-11: the reading API from request to summary — request
// (201 waiting), accept (active, first minute charged), end (finalized with
// billed minutes, total and reader earnings) — with its errors as problem
// documents.
func TestReadingAPIFlow(t *testing.T) {
	eachApp(t, func(t *testing.T, s *apptest.Server) {
		w := readingWorld(t, s, 1000)
		cl, rd, stranger := w.as["client"], w.as["reader"], w.as["pending"]
		for _, bad := range []struct {
			body  any
			field string
		}{
			{map[string]any{"reader_id": "x", "modality": "text"}, "reader_id"},
			{map[string]any{"reader_id": w.reader.ID}, "modality"},
			{map[string]any{"reader_id": w.reader.ID, "modality": "smoke"}, "modality"},
			{map[string]any{"reader_id": w.reader.ID, "modality": "video"}, "modality"},
			{map[string]any{"reader_id": w.reader.ID, "modality": "text", "tip": 5}, "tip"},
		} {
			p := problemOf(t, cl.Do("POST", "/api/v1/readings", bad.body), http.StatusBadRequest)
			if p.Errors[bad.field] == "" {
				t.Errorf("%v: errors %v do not name %s", bad.body, p.Errors, bad.field)
			}
		}
		problemOf(t, cl.Do("POST", "/api/v1/readings", "{"), http.StatusBadRequest)
		problemOf(t, cl.Do("POST", "/api/v1/readings", map[string]any{"reader_id": w.pending.ID, "modality": "text"}), http.StatusNotFound)
		problemOf(t, w.as["anon"].Do("POST", "/api/v1/readings", map[string]any{"reader_id": w.reader.ID, "modality": "text"}), http.StatusUnauthorized)

		res := cl.Do("POST", "/api/v1/readings", map[string]any{"reader_id": w.reader.ID, "modality": "text"})
		var r readingJSON
		res.JSON(t, &r)
		if res.Status != http.StatusCreated || r.State != "waiting" || r.RateCents != 199 {
			t.Fatalf("request: %d %s", res.Status, res.Body)
		}
		path := "/api/v1/readings/" + id(r.ID)
		problemOf(t, cl.Do("POST", path+"/accept", nil), http.StatusForbidden)
		problemOf(t, stranger.Do("POST", path+"/accept", nil), http.StatusNotFound)
		problemOf(t, stranger.Do("GET", path, nil), http.StatusNotFound)
		problemOf(t, stranger.Do("POST", path+"/end", nil), http.StatusNotFound)
		res = rd.Do("POST", path+"/accept", nil)
		res.JSON(t, &r)
		if res.Status != 200 || r.State != "active" || r.BilledMinutes != 1 {
			t.Fatalf("accept: %d %s", res.Status, res.Body)
		}
		problemOf(t, rd.Do("POST", path+"/accept", nil), http.StatusConflict)
		// OD-9: chat without a socket, visible in the transcript.
		if res := cl.Do("POST", path+"/messages", map[string]string{"body": "Hello"}); res.Status != http.StatusCreated {
			t.Fatalf("message: %d %s", res.Status, res.Body)
		}
		problemOf(t, cl.Do("POST", path+"/messages", map[string]string{"body": strings.Repeat("x", 2001)}), http.StatusBadRequest)
		// AGO-6: no Agora credentials → voice/video are not configured.
		problemOf(t, cl.Do("POST", path+"/agora-token", nil), http.StatusConflict) // a text reading has no media
		res = cl.Do("POST", path+"/end", nil)
		res.JSON(t, &r)
		if res.Status != 200 || r.State != "finalized" || r.BilledMinutes != 1 || r.TotalCents != 199 || r.ReaderEarnings != 139 || r.EndReason != "ended_by_client" {
			t.Fatalf("end: %d %s", res.Status, res.Body)
		}
		var got readingJSON
		res = rd.Do("GET", path, nil)
		res.JSON(t, &got)
		if got != r {
			t.Fatalf("GET after end = %+v, want %+v", got, r)
		}
		var msgs struct {
			Messages []struct {
				Body string `json:"body"`
			} `json:"messages"`
		}
		rd.Do("GET", path+"/messages", nil).JSON(t, &msgs)
		if len(msgs.Messages) != 1 || msgs.Messages[0].Body != "Hello" {
			t.Fatalf("transcript = %+v", msgs)
		}
		var list struct {
			Readings []readingJSON `json:"readings"`
		}
		rd.Do("GET", "/api/v1/readings?as=reader", nil).JSON(t, &list)
		if len(list.Readings) != 1 || list.Readings[0].ID != r.ID {
			t.Fatalf("reader's history = %+v", list)
		}
	})
}

// OD-2: without a minute of balance a reading cannot start: 402.
func TestReadingNeedsOneMinute(t *testing.T) {
	eachApp(t, func(t *testing.T, s *apptest.Server) {
		w := readingWorld(t, s, 198) // the rate is 199
		p := problemOf(t, w.as["client"].Do("POST", "/api/v1/readings", map[string]any{"reader_id": w.reader.ID, "modality": "text"}), http.StatusPaymentRequired)
		if !strings.Contains(p.Detail, "$1.99") {
			t.Fatalf("detail %q does not say the rate", p.Detail)
		}
	})
}

// OD-9 RDR-3 OD-7: chat over the reading's WebSocket reaches both parties;
// the reader shows busy; closing a party's last connection pauses the
// reading with a grace window.
func TestReadingWebSocket(t *testing.T) {
	eachApp(t, func(t *testing.T, s *apptest.Server) {
		w := readingWorld(t, s, 1000)
		res := w.as["client"].Do("POST", "/api/v1/readings", map[string]any{"reader_id": w.reader.ID, "modality": "text"})
		var r readingJSON
		res.JSON(t, &r)
		w.as["reader"].Do("POST", "/api/v1/readings/"+id(r.ID)+"/accept", nil)
		dial := func(c *apptest.Client) *websocket.Conn {
			dctx, cancel := context.WithTimeout(ctx, 10*time.Second)
			defer cancel()
			conn, _, err := websocket.Dial(dctx, "ws"+strings.TrimPrefix(s.URL, "http")+"/api/v1/readings/"+id(r.ID)+"/ws",
				&websocket.DialOptions{HTTPHeader: http.Header{"Authorization": {"Bearer " + c.Token}}})
			if err != nil {
				t.Fatal(err)
			}
			return conn
		}
		cc, rc := dial(w.as["client"]), dial(w.as["reader"])
		defer rc.CloseNow()
		// The first message is the reading as it is now, so a room page
		// rendered before a change it was not yet connected for catches up.
		fctx, cancel := context.WithTimeout(ctx, 10*time.Second)
		_, first, err := rc.Read(fctx)
		cancel()
		if err != nil || !strings.HasPrefix(string(first), `{"type":"reading.state","data":{"id":`+id(r.ID)+`,"state":"active"`) {
			t.Fatalf("first message %s, %v; want the reading's current state", first, err)
		}
		if err := cc.Write(ctx, websocket.MessageText, []byte(`{"type":"chat.message","body":"Is he the one?"}`)); err != nil {
			t.Fatal(err)
		}
		read := func(c *websocket.Conn, typ string) json.RawMessage {
			rctx, cancel := context.WithTimeout(ctx, 10*time.Second)
			defer cancel()
			for {
				_, b, err := c.Read(rctx)
				if err != nil {
					t.Fatalf("waiting for %s: %v", typ, err)
				}
				var m struct {
					Type string          `json:"type"`
					Data json.RawMessage `json:"data"`
				}
				json.Unmarshal(b, &m)
				if m.Type == typ {
					return m.Data
				}
			}
		}
		if got := read(rc, "chat.message"); !strings.Contains(string(got), "Is he the one?") {
			t.Fatalf("reader got %s", got)
		}
		var p struct {
			Status string `json:"status"`
		}
		w.as["anon"].Do("GET", "/api/v1/readers/"+id(w.reader.ID), nil).JSON(t, &p)
		if p.Status != "busy" {
			t.Fatalf("reader in a reading shows %q, want busy", p.Status)
		}
		cc.Close(websocket.StatusNormalClosure, "bye")
		if got := read(rc, "reading.paused"); !strings.Contains(string(got), `"pause_reason":"disconnect"`) || !strings.Contains(string(got), "grace_until") {
			t.Fatalf("pause = %s", got)
		}
	})
}

// AGO-1 AGO-2 OD-10: with Agora configured, a running voice reading issues
// each party a 20-minute publisher token for the reading's channel; a
// stranger gets none.
func TestAgoraTokenEndpoint(t *testing.T) {
	eachApp(t, func(t *testing.T, s *apptest.Server) {
		w := readingWorld(t, s, 2000)
		res := w.as["client"].Do("POST", "/api/v1/readings", map[string]any{"reader_id": w.reader.ID, "modality": "voice"})
		var r readingJSON
		res.JSON(t, &r)
		path := "/api/v1/readings/" + id(r.ID) + "/agora-token"
		problemOf(t, w.as["client"].Do("POST", path, nil), http.StatusConflict) // not running yet
		w.as["reader"].Do("POST", "/api/v1/readings/"+id(r.ID)+"/accept", nil)
		for _, who := range []string{"client", "reader"} {
			var tok struct {
				Token     string    `json:"token"`
				Channel   string    `json:"channel"`
				UID       uint32    `json:"uid"`
				ExpiresAt time.Time `json:"expires_at"`
			}
			res := w.as[who].Do("POST", path, nil)
			res.JSON(t, &tok)
			if res.Status != 200 || !strings.HasPrefix(tok.Token, "007") || tok.Channel != "soulseer-reading-"+id(r.ID) ||
				time.Until(tok.ExpiresAt) < 19*time.Minute || time.Until(tok.ExpiresAt) > 21*time.Minute {
				t.Fatalf("%s token: %d %s", who, res.Status, res.Body)
			}
		}
		problemOf(t, w.as["pending"].Do("POST", path, nil), http.StatusNotFound)
	}, apptest.WithConfig(func(c *config.Config) {
		c.AgoraAppID, c.AgoraCertificate = "970CA35de60c44645bbae8a215061b33", "5CFd2fd1755d40ecb72977518be15d3b"
	}))
}

// RDR-3: pages keep presence dots current through a public lookup of
// several readers at once; invisible readers are left out and bad ids are
// refused.
func TestPresenceLookup(t *testing.T) {
	eachApp(t, func(t *testing.T, s *apptest.Server) {
		w := readingWorld(t, s, 1000)
		var out struct {
			Statuses map[string]string `json:"statuses"`
		}
		res := w.as["anon"].Do("GET", "/api/v1/readers/presence?ids="+id(w.reader.ID)+","+id(w.pending.ID), nil)
		res.JSON(t, &out)
		if res.Status != 200 || out.Statuses[id(w.reader.ID)] != "online" || len(out.Statuses) != 1 {
			t.Fatalf("presence: %d %s", res.Status, res.Body)
		}
		r := w.as["client"].Do("POST", "/api/v1/readings", map[string]any{"reader_id": w.reader.ID, "modality": "text"})
		var rd readingJSON
		r.JSON(t, &rd)
		w.as["reader"].Do("POST", "/api/v1/readings/"+id(rd.ID)+"/accept", nil)
		w.as["anon"].Do("GET", "/api/v1/readers/presence?ids="+id(w.reader.ID), nil).JSON(t, &out)
		if out.Statuses[id(w.reader.ID)] != "busy" {
			t.Fatalf("reader in a reading: %v", out.Statuses)
		}
		for _, bad := range []string{"", "x", "1,,-2", strings.Repeat("1,", 101) + "1"} {
			problemOf(t, w.as["anon"].Do("GET", "/api/v1/readers/presence?ids="+bad, nil), http.StatusBadRequest)
		}
	})
}
