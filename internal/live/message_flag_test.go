package live_test

import (
	"encoding/json"
	"fmt"
	"testing"

	"github.com/soulseer/soulseer/internal/apperr"
	"github.com/soulseer/soulseer/internal/flag"
	"github.com/soulseer/soulseer/internal/live"
)

// COM-4, COM-6, LIV-8: a stream's chat message is flagged like any item;
// the queue shows it with the way to the stream; an admin's hide there
// takes it off every screen (stream.hidden) and out of the transcript, as
// the stream's own moderators do, and its author is told; a hidden message
// can no longer be flagged.
func TestFlaggedStreamMessage_COM4_COM6(t *testing.T) {
	eachWorld(t, func(t *testing.T, w *world) {
		st := w.public(t)
		sub := w.listen(t, st.ID)
		m, err := w.live.Say(ctx, w.client, st.ID, "DM me for cheaper readings")
		if err != nil {
			t.Fatal(err)
		}
		kept, err := w.live.Say(ctx, w.client, st.ID, "Thank you, Luna")
		if err != nil {
			t.Fatal(err)
		}
		flags := w.s.App.Flags
		if _, err := flags.Raise(ctx, w.pauper, flag.RaiseInput{TargetType: flag.TargetMessage, TargetID: m.ID, Reason: "spam"}); err != nil {
			t.Fatal(err)
		}
		q, err := flags.Queue(ctx, w.admin)
		if err != nil || len(q) != 1 || q[0].TargetID != m.ID || q[0].Item.AuthorID != w.client.ID ||
			q[0].Item.Text != "DM me for cheaper readings" || q[0].Item.URL != fmt.Sprintf("/streams/%d", st.ID) {
			t.Fatalf("queue: %+v %v", q, err)
		}
		if _, err := flags.Decide(ctx, w.admin, flag.TargetMessage, m.ID, flag.Decision{Action: "hide"}); err != nil {
			t.Fatal(err)
		}
		var h live.Hidden
		if err := json.Unmarshal(next(t, sub, "stream.hidden").Data, &h); err != nil || h.MessageID != m.ID {
			t.Fatalf("stream.hidden: %+v %v", h, err)
		}
		list, err := w.live.Transcript(ctx, w.pauper, st.ID)
		if err != nil || len(list) != 1 || list[0].ID != kept.ID {
			t.Errorf("the transcript after the hide: %+v %v", list, err)
		}
		var told int
		if err := w.s.App.DB.Read().QueryRowContext(ctx, `SELECT count(*) FROM notifications WHERE user_id = $1 AND kind = 'moderation'`,
			w.client.ID).Scan(&told); err != nil || told != 1 {
			t.Errorf("the author told %d times, want 1: %v", told, err)
		}
		_, err = flags.Raise(ctx, w.reader, flag.RaiseInput{TargetType: flag.TargetMessage, TargetID: m.ID, Reason: "spam"})
		wantCode(t, "flagging the hidden message", err, apperr.NotFound)
	})
}
