package web_test

import (
	"strings"
	"testing"
	"time"

	"github.com/soulseer/soulseer/internal/apptest"
)

// moderationAPI is every /api/v1 route of stream moderation; like
// streamAPI, each needs a success scenario, and each that takes a JSON
// body is also sent the generic bad bodies (jsonBodyRoutes).
var moderationAPI = map[string]bool{ // route → takes a JSON body
	"POST /api/v1/streams/{id}/moderation":   true,
	"GET /api/v1/streams/{id}/viewers":       false,
	"GET /api/v1/me/moderators":              false,
	"PUT /api/v1/me/moderators/{user_id}":    false,
	"DELETE /api/v1/me/moderators/{user_id}": false,
}

// LIV-7, LIV-8, SEC-4 through the API: a reader appoints a moderator, who
// hides a message (gone from the transcript), mutes a viewer (chat
// refused, saying so) and unmutes them; an admin bans them (audited),
// which keeps them out until the reader unbans them; nobody else
// moderates or sees the viewer list; a dismissed moderator no longer
// moderates; missing parts are field errors.
func TestStreamModerationAPIScenarios_LIV8(t *testing.T) {
	runStreamScenarios(t, moderationScenarios())
}

func moderationScenarios() []scenario {
	const (
		streams   = "POST /api/v1/streams"
		chat      = "POST /api/v1/streams/{id}/messages"
		chatList  = "GET /api/v1/streams/{id}/messages"
		join      = "POST /api/v1/streams/{id}/join"
		moderate  = "POST /api/v1/streams/{id}/moderation"
		viewers   = "GET /api/v1/streams/{id}/viewers"
		mods      = "GET /api/v1/me/moderators"
		appoint   = "PUT /api/v1/me/moderators/{user_id}"
		dismiss   = "DELETE /api/v1/me/moderators/{user_id}"
		modPath   = "/api/v1/streams/{modstream}/moderation"
		chatPath  = "/api/v1/streams/{modstream}/messages"
		joinPath  = "/api/v1/streams/{modstream}/join"
		extraPath = "/api/v1/me/moderators/{extra}"
	)
	client := func(action string, minutes int) func(t *testing.T, w *world) any {
		return func(t *testing.T, w *world) any {
			body := map[string]any{"action": action, "user_id": w.client.ID}
			if minutes > 0 {
				body["minutes"] = minutes
			}
			return body
		}
	}
	return []scenario{
		{name: "go live", route: streams, as: "reader", status: 201, body: map[string]any{"title": "Open circle", "visibility": "public"}, check: keep("modstream")},
		{name: "a viewer's line", route: chat, as: "client", path: chatPath, status: 201, body: map[string]string{"body": "Rude words"}, check: keep("rude")},
		{name: "no moderators yet", route: mods, as: "reader", status: 200, contains: []string{`"moderators":[]`}},
		{name: "appoint a moderator", route: appoint, as: "reader", path: extraPath, status: 200, contains: []string{`"display_name":"pat"`}},
		{name: "appoint oneself", route: appoint, as: "reader", path: "/api/v1/me/moderators/{reader}", status: 409},
		{name: "appoint no one", route: appoint, as: "reader", path: "/api/v1/me/moderators/999999", status: 404},
		{name: "the moderators", route: mods, as: "reader", status: 200, contains: []string{`"display_name":"pat"`}},
		{name: "a viewer moderates", route: moderate, as: "client", path: modPath, status: 403,
			bodyFn: func(t *testing.T, w *world) any { return map[string]any{"action": "hide", "message_id": w.ids["rude"]} }},
		{name: "mute without a viewer or minutes", route: moderate, as: "extra", path: modPath, status: 400, fields: []string{"user_id", "minutes"},
			body: map[string]any{"action": "mute"}},
		{name: "hide without a message", route: moderate, as: "extra", path: modPath, status: 400, fields: []string{"message_id"}, body: map[string]any{"action": "hide"}},
		{name: "an unknown action", route: moderate, as: "extra", path: modPath, status: 400, fields: []string{"action"}, body: map[string]any{"action": "shout"}},
		{name: "moderate no stream", route: moderate, as: "extra", path: "/api/v1/streams/999999/moderation", status: 404, bodyFn: client("unmute", 0)},
		{name: "ban the reader", route: moderate, as: "extra", path: modPath, status: 409,
			bodyFn: func(t *testing.T, w *world) any { return map[string]any{"action": "ban", "user_id": w.reader.ID} }},
		{name: "hide a message", route: moderate, as: "extra", path: modPath, status: 204,
			bodyFn: func(t *testing.T, w *world) any { return map[string]any{"action": "hide", "message_id": w.ids["rude"]} }},
		{name: "the chat without it", route: chatList, as: "reader", path: chatPath, status: 200,
			check: func(t *testing.T, w *world, res apptest.Response) {
				if strings.Contains(string(res.Body), "Rude words") {
					t.Fatalf("a hidden message is listed: %s", res.Body)
				}
			}},
		{name: "mute a viewer", route: moderate, as: "extra", path: modPath, status: 204, bodyFn: client("mute", 5)},
		{name: "chat while muted", route: chat, as: "client", path: chatPath, status: 403, detail: "muted", body: map[string]string{"body": "Hello?"}},
		{name: "unmute", route: moderate, as: "extra", path: modPath, status: 204, bodyFn: client("unmute", 0)},
		{name: "chat after the mute", route: chat, as: "client", path: chatPath, status: 201, body: map[string]string{"body": "Sorry"}},
		{name: "the viewers to a moderator", route: viewers, as: "extra", path: "/api/v1/streams/{modstream}/viewers", status: 200, contains: []string{`"viewers":[]`}},
		{name: "the viewers to a viewer", route: viewers, as: "client", path: "/api/v1/streams/{modstream}/viewers", status: 403},
		{name: "ban as an admin", route: moderate, as: "admin", path: modPath, status: 204, bodyFn: client("ban", 0), check: audited("stream.ban")},
		{name: "the chat without the banned", route: chatList, as: "reader", path: chatPath, status: 200,
			check: func(t *testing.T, w *world, res apptest.Response) {
				if strings.Contains(string(res.Body), "Sorry") {
					t.Fatalf("a banned viewer's message is listed: %s", res.Body)
				}
			}},
		{name: "join when banned", route: join, as: "client", path: joinPath, status: 403, detail: "banned"},
		{name: "unban", route: moderate, as: "reader", path: modPath, status: 204, bodyFn: client("unban", 0)},
		{name: "join after the unban", route: join, as: "client", path: joinPath, status: 200},
		{name: "dismiss the moderator", route: dismiss, as: "reader", path: extraPath, status: 204},
		{name: "moderate when dismissed", route: moderate, as: "extra", path: modPath, status: 403, bodyFn: client("mute", 5)},
	}
}

// LIV-7, LIV-8: the reader sees who watches, themself left out; a
// ban tells every screen to remove the banned viewer's messages and that
// they were banned, and closes the banned viewer's connection.
func TestStreamSocketBan_LIV8(t *testing.T) {
	eachApp(t, func(t *testing.T, s *apptest.Server) {
		w := newWorld(t, s)
		st, err := s.App.Live.Start(ctx, w.reader, liveInput("Evening tarot", "public"))
		if err != nil {
			t.Fatal(err)
		}
		viewer := streamDial(t, s, w.as["client"].Token, st.ID)
		reader := streamDial(t, s, w.as["reader"].Token, st.ID)
		for _, c := range []*streamConn{viewer, reader} {
			if m := c.next(t); m.Type != "stream.state" {
				t.Fatalf("first message %s", m.Type)
			}
		}
		if err := s.App.Live.SyncViewers(ctx); err != nil {
			t.Fatal(err)
		}
		res := w.as["reader"].Do("GET", "/api/v1/streams/"+id(st.ID)+"/viewers", nil)
		if res.Status != 200 || !strings.Contains(string(res.Body), `"display_name":"cleo"`) || strings.Contains(string(res.Body), `"display_name":"Luna Vale"`) {
			t.Fatalf("viewers: %d %s", res.Status, res.Body)
		}
		if _, err := s.App.Live.Say(ctx, w.client, st.ID, "spam"); err != nil {
			t.Fatal(err)
		}
		res = w.as["reader"].Do("POST", "/api/v1/streams/"+id(st.ID)+"/moderation", map[string]any{"action": "ban", "user_id": w.client.ID})
		if res.Status != 204 {
			t.Fatalf("ban: %d %s", res.Status, res.Body)
		}
		var hidden, banned bool
		for !hidden || !banned {
			m := reader.next(t)
			hidden = hidden || m.Type == "stream.hidden" && strings.Contains(string(m.Data), `"user_id":`+id(w.client.ID))
			banned = banned || m.Type == "stream.banned" && strings.Contains(string(m.Data), `"user_id":`+id(w.client.ID))
		}
		deadline := time.After(wsWait)
		for {
			select {
			case _, ok := <-viewer.out:
				if !ok {
					return // closed
				}
			case <-deadline:
				t.Fatal("the banned viewer's connection stayed open")
			}
		}
	})
}
