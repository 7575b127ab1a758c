package live_test

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/soulseer/soulseer/internal/apperr"
	"github.com/soulseer/soulseer/internal/live"
)

// LIV-7, SEC-3: chat is stored and delivered to every viewer of the
// stream's topic; the transcript returns it in order; messages are 1 to
// 500 characters; the message rate limit holds across streams; an ended
// stream takes no chat but keeps its transcript.
func TestChat_LIV7(t *testing.T) {
	eachWorld(t, func(t *testing.T, w *world) {
		st := w.public(t)
		sub := w.listen(t, st.ID)
		m, err := w.live.Say(ctx, w.client, st.ID, "  Hello, Luna!  ")
		if err != nil {
			t.Fatal(err)
		}
		var ev live.ChatMessage
		if err := json.Unmarshal(next(t, sub, "stream.chat").Data, &ev); err != nil || ev.ID != m.ID || ev.Body != "Hello, Luna!" || ev.Sender != "Cleo" {
			t.Fatalf("stream.chat = %+v (%v)", ev, err)
		}
		if _, err := w.live.Say(ctx, w.reader, st.ID, "Welcome, Cleo"); err != nil {
			t.Fatal(err)
		}
		_, err = w.live.Say(ctx, w.client, st.ID, " ")
		wantCode(t, "an empty message", err, apperr.Invalid)
		_, err = w.live.Say(ctx, w.client, st.ID, strings.Repeat("x", live.MaxChatLen+1))
		wantCode(t, "a long message", err, apperr.Invalid)
		limit := w.live.Config.ChatLimit.Limit
		for i := 1; i < limit; i++ {
			if _, err := w.live.Say(ctx, w.client, st.ID, "again"); err != nil {
				t.Fatalf("message %d of %d: %v", i+1, limit, err)
			}
		}
		_, err = w.live.Say(ctx, w.client, st.ID, "one too many")
		wantCode(t, "past the rate limit", err, apperr.RateLimited)
		if e := apperr.As(err); e == nil || e.RetryAfter <= 0 {
			t.Errorf("rate limited without a time to wait: %v", err)
		}
		list, err := w.live.Transcript(ctx, w.client, st.ID)
		if err != nil || len(list) != limit+1 || list[0].ID != m.ID || list[1].Body != "Welcome, Cleo" {
			t.Fatalf("transcript = %+v %v", list, err)
		}
		if _, err := w.live.End(ctx, w.reader, st.ID); err != nil {
			t.Fatal(err)
		}
		_, err = w.live.Say(ctx, w.reader, st.ID, "Goodbye")
		wantCode(t, "chat in an ended stream", err, apperr.Conflict)
		if list, err := w.live.Transcript(ctx, w.client, st.ID); err != nil || len(list) != limit+1 {
			t.Fatalf("transcript after the end: %d %v", len(list), err)
		}
	})
}
