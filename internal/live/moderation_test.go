package live_test

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/soulseer/soulseer/internal/account"
	"github.com/soulseer/soulseer/internal/apperr"
	"github.com/soulseer/soulseer/internal/live"
	"github.com/soulseer/soulseer/internal/realtime"
)

// LIV-8: the reader's moderator hides a message, which leaves every screen
// and the transcript; a mute keeps the viewer out of the chat (gifts still
// go) until it runs out or is lifted; a ban keeps them out of the stream,
// removes their messages from every screen and is lifted by unban.
// Anyone else may not moderate; an admin's actions are audited.
func TestModeration(t *testing.T) {
	eachWorld(t, func(t *testing.T, w *world) {
		st := w.public(t)
		sub := w.listen(t, st.ID)
		mod := w.user(t, "Mo", account.RoleClient)
		if _, err := w.live.AppointModerator(ctx, w.client, mod.ID); apperr.CodeOf(err) != apperr.Forbidden {
			t.Fatalf("a client appointed a moderator: %v", err)
		}
		m, err := w.live.AppointModerator(ctx, w.reader, mod.ID)
		if err != nil || m.UserID != mod.ID || m.DisplayName != "Mo" {
			t.Fatalf("appoint: %+v %v", m, err)
		}
		if list, err := w.live.Moderators(ctx, w.reader.ID); err != nil || len(list) != 1 {
			t.Fatalf("moderators: %+v %v", list, err)
		}

		first, err := w.live.Say(ctx, w.client, st.ID, "hello")
		if err != nil {
			t.Fatal(err)
		}
		kept, err := w.live.Say(ctx, w.pauper, st.ID, "hi all")
		if err != nil {
			t.Fatal(err)
		}
		wantCode(t, "a viewer hides", w.live.Moderate(ctx, w.pauper, st.ID, live.ModerationInput{Action: live.ActHide, MessageID: first.ID}), apperr.Forbidden)
		wantCode(t, "hide without a message", w.live.Moderate(ctx, mod, st.ID, live.ModerationInput{Action: live.ActHide}), apperr.Invalid)
		wantCode(t, "mute without minutes", w.live.Moderate(ctx, mod, st.ID, live.ModerationInput{Action: live.ActMute, UserID: w.client.ID}), apperr.Invalid)
		wantCode(t, "ban the reader", w.live.Moderate(ctx, mod, st.ID, live.ModerationInput{Action: live.ActBan, UserID: w.reader.ID}), apperr.Conflict)
		wantCode(t, "ban an admin", w.live.Moderate(ctx, mod, st.ID, live.ModerationInput{Action: live.ActBan, UserID: w.admin.ID}), apperr.Conflict)
		if err := w.live.Moderate(ctx, mod, st.ID, live.ModerationInput{Action: live.ActHide, MessageID: first.ID}); err != nil {
			t.Fatal(err)
		}
		var h live.Hidden
		if err := json.Unmarshal(next(t, sub, "stream.hidden").Data, &h); err != nil || h.MessageID != first.ID {
			t.Fatalf("stream.hidden: %+v %v", h, err)
		}
		if tr, err := w.live.Transcript(ctx, w.client, st.ID); err != nil || len(tr) != 1 || tr[0].ID != kept.ID {
			t.Fatalf("transcript after hiding: %+v %v", tr, err)
		}

		if err := w.live.Moderate(ctx, mod, st.ID, live.ModerationInput{Action: live.ActMute, UserID: w.client.ID, Minutes: 10}); err != nil {
			t.Fatal(err)
		}
		_, err = w.live.Say(ctx, w.client, st.ID, "am I muted?")
		wantCode(t, "chat while muted", err, apperr.Forbidden)
		if err == nil || !strings.Contains(err.Error(), "for 10 more minutes") {
			t.Errorf("a muted viewer is told %v, want how many minutes are left", err)
		}
		var gift int64
		if err := w.s.App.DB.Read().QueryRowContext(ctx, `SELECT id FROM gifts WHERE name = 'Sparkle'`).Scan(&gift); err != nil {
			t.Fatal(err)
		}
		if _, _, err := w.live.SendGift(ctx, w.client, st.ID, live.SendInput{GiftID: gift, Quantity: 1, IdempotencyKey: "muted"}); err != nil {
			t.Fatalf("a muted viewer's gift: %v", err)
		}
		w.clk.Advance(10*time.Minute + time.Second)
		if _, err := w.live.Say(ctx, w.client, st.ID, "back"); err != nil {
			t.Fatalf("chat after the mute ran out: %v", err)
		}
		if err := w.live.Moderate(ctx, w.reader, st.ID, live.ModerationInput{Action: live.ActMute, UserID: w.client.ID, Minutes: 60}); err != nil {
			t.Fatal(err)
		}
		if err := w.live.Moderate(ctx, w.reader, st.ID, live.ModerationInput{Action: live.ActUnmute, UserID: w.client.ID}); err != nil {
			t.Fatal(err)
		}
		if _, err := w.live.Say(ctx, w.client, st.ID, "unmuted"); err != nil {
			t.Fatalf("chat after unmute: %v", err)
		}

		if err := w.live.Moderate(ctx, w.admin, st.ID, live.ModerationInput{Action: live.ActBan, UserID: w.client.ID}); err != nil {
			t.Fatal(err)
		}
		h = live.Hidden{}
		if err := json.Unmarshal(next(t, sub, "stream.hidden").Data, &h); err != nil || h.UserID != w.client.ID {
			t.Fatalf("stream.hidden on ban: %+v %v", h, err)
		}
		next(t, sub, "stream.banned")
		if tr, err := w.live.Transcript(ctx, w.reader, st.ID); err != nil || len(tr) != 1 || tr[0].ID != kept.ID {
			t.Fatalf("transcript after the ban: %+v %v", tr, err)
		}
		_, err = w.live.Join(ctx, w.client, st.ID)
		wantCode(t, "a banned viewer joins", err, apperr.Forbidden)
		_, _, err = w.live.SendGift(ctx, w.client, st.ID, live.SendInput{GiftID: gift, Quantity: 1, IdempotencyKey: "banned"})
		wantCode(t, "a banned viewer's gift", err, apperr.Forbidden)
		if n := w.count(t, `SELECT COUNT(*) FROM audit_log WHERE action = 'stream.ban' AND actor_id = $1`, w.admin.ID); n != 1 {
			t.Errorf("the admin's ban was audited %d times, want 1", n)
		}
		if err := w.live.Moderate(ctx, mod, st.ID, live.ModerationInput{Action: live.ActUnban, UserID: w.client.ID}); err != nil {
			t.Fatal(err)
		}
		if _, err := w.live.Join(ctx, w.client, st.ID); err != nil {
			t.Fatalf("join after unban: %v", err)
		}

		if err := w.live.DismissModerator(ctx, w.reader, mod.ID); err != nil {
			t.Fatal(err)
		}
		wantCode(t, "a dismissed moderator hides", w.live.Moderate(ctx, mod, st.ID, live.ModerationInput{Action: live.ActHide, MessageID: kept.ID}), apperr.Forbidden)
		_, err = w.live.Viewers(ctx, mod, st.ID)
		wantCode(t, "a dismissed moderator lists viewers", err, apperr.Forbidden)
		if v, err := w.live.Viewers(ctx, w.reader, st.ID); err != nil || len(v) != 0 {
			t.Errorf("viewers without connections: %+v %v", v, err)
		}
	})
}

// LIV-7, LIV-8: the viewer list and count hold each user other than the
// reader watching once, written in one sync however many joined; a user
// whose last connection closed leaves both; a ban ends the banned viewer's
// connections and nobody else's, and the end every connection.
func TestViewersAndBanClose(t *testing.T) {
	eachWorld(t, func(t *testing.T, w *world) {
		st := w.public(t)
		sub := w.s.App.Hub.Subscribe(realtime.StreamTopic(st.ID))
		defer sub.Close()
		defer w.live.Watching(st.ID, w.client.ID)()
		defer w.live.Watching(st.ID, w.client.ID)()
		defer w.live.Watching(st.ID, w.reader.ID)()
		leave := w.live.Watching(st.ID, w.pauper.ID)
		if err := w.live.SyncViewers(ctx); err != nil {
			t.Fatal(err)
		}
		v, err := w.live.Viewers(ctx, w.reader, st.ID)
		if err != nil || len(v) != 2 || v[0].DisplayName != "Cleo" || v[1].DisplayName != "Pat" {
			t.Fatalf("viewers: %+v %v", v, err)
		}
		if got, _ := w.live.Get(ctx, st.ID); got.ViewerCount != 2 {
			t.Errorf("viewer count %d, want 2", got.ViewerCount)
		}
		if m := <-sub.C(); m.Type != "stream.viewers" || !strings.Contains(string(m.Data), `"count":2`) {
			t.Errorf("announced %s %s, want 2 viewers", m.Type, m.Data)
		}
		leave()
		if err := w.live.SyncViewers(ctx); err != nil {
			t.Fatal(err)
		}
		if got, _ := w.live.Get(ctx, st.ID); got.ViewerCount != 1 {
			t.Errorf("viewer count after one left %d, want 1", got.ViewerCount)
		}
		if m := <-sub.C(); m.Type != "stream.viewers" || !strings.Contains(string(m.Data), `"count":1`) {
			t.Errorf("announced %s %s, want 1 viewer", m.Type, m.Data)
		}
		if err := w.live.Moderate(ctx, w.reader, st.ID, live.ModerationInput{Action: live.ActBan, UserID: w.client.ID}); err != nil {
			t.Fatal(err)
		}
		for m := range sub.C() {
			if m.Type != "stream.banned" {
				continue
			}
			if live.ClosesAfter(m, w.client.ID) == "" {
				t.Error("the ban does not close the banned viewer's connection")
			}
			if live.ClosesAfter(m, w.pauper.ID) != "" {
				t.Error("the ban closes another viewer's connection")
			}
			break
		}
		if _, err := w.live.End(ctx, w.reader, st.ID); err != nil {
			t.Fatal(err)
		}
		for m := range sub.C() {
			if m.Type == "stream.ended" {
				if live.ClosesAfter(m, w.pauper.ID) == "" {
					t.Error("the end does not close connections")
				}
				break
			}
		}
	})
}
