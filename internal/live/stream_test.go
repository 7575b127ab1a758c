package live_test

import (
	"encoding/json"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/soulseer/soulseer/internal/account"
	"github.com/soulseer/soulseer/internal/apperr"
	"github.com/soulseer/soulseer/internal/audit"
	"github.com/soulseer/soulseer/internal/db"
	"github.com/soulseer/soulseer/internal/live"
)

// LIV-1: a verified reader starts a stream with a title and a visibility;
// private streams invite existing users, premium streams have a ticket
// price; an unverified reader cannot go live; bad input names its fields.
func TestStartStream_LIV1(t *testing.T) {
	eachWorld(t, func(t *testing.T, w *world) {
		st := w.start(t, live.StartInput{Title: "  Full moon reading  ", Visibility: "premium", TicketPriceCents: 500})
		if st.ID == 0 || st.State != live.Live || st.Title != "Full moon reading" || st.Visibility != live.Premium || st.TicketPriceCents != 500 ||
			st.ReaderID != w.reader.ID || st.ReaderName != "Luna" || !st.StartedAt.Equal(t0) || st.EndedAt != nil {
			t.Fatalf("stream = %+v", st)
		}
		if _, err := w.live.Start(ctx, w.unverified, live.StartInput{Title: "Hello", Visibility: "public"}); apperr.CodeOf(err) != apperr.Forbidden {
			t.Errorf("unverified reader: %v, want Forbidden", err)
		}
		if _, err := w.live.End(ctx, w.reader, st.ID); err != nil {
			t.Fatal(err)
		}
		for _, c := range []struct {
			name   string
			in     live.StartInput
			fields []string
		}{
			{"nothing", live.StartInput{}, []string{"title", "visibility"}},
			{"long title", live.StartInput{Title: string(make([]rune, live.MaxTitleLen+1)), Visibility: "public"}, []string{"title"}},
			{"premium without price", live.StartInput{Title: "x", Visibility: "premium"}, []string{"ticket_price_cents"}},
			{"premium too dear", live.StartInput{Title: "x", Visibility: "premium", TicketPriceCents: live.MaxTicketPriceCents + 1}, []string{"ticket_price_cents"}},
			{"public with price", live.StartInput{Title: "x", Visibility: "public", TicketPriceCents: 100}, []string{"ticket_price_cents"}},
			{"private without invites", live.StartInput{Title: "x", Visibility: "private"}, []string{"invited_user_ids"}},
			{"private inviting nobody", live.StartInput{Title: "x", Visibility: "private", InvitedUserIDs: []int64{999999}}, []string{"invited_user_ids"}},
			{"private inviting oneself", live.StartInput{Title: "x", Visibility: "private", InvitedUserIDs: []int64{w.reader.ID}}, []string{"invited_user_ids"}},
			{"public with invites", live.StartInput{Title: "x", Visibility: "public", InvitedUserIDs: []int64{w.client.ID}}, []string{"invited_user_ids"}},
		} {
			_, err := w.live.Start(ctx, w.reader, c.in)
			e := apperr.As(err)
			if e == nil || e.Code != apperr.Invalid || len(e.Fields) != len(c.fields) {
				t.Errorf("%s: %v, want fields %v", c.name, err, c.fields)
				continue
			}
			for _, f := range c.fields {
				if e.Fields[f] == "" {
					t.Errorf("%s: %v, want a message for %s", c.name, err, f)
				}
			}
		}
		private := w.start(t, live.StartInput{Title: "Circle", Visibility: "private", InvitedUserIDs: []int64{w.client.ID, w.client.ID}})
		if n := w.count(t, `SELECT count(*) FROM stream_invites WHERE stream_id = $1`, private.ID); n != 1 {
			t.Errorf("%d invitations, want the one user invited twice once", n)
		}
	})
}

// LIV-1: a reader has one live stream at a time: a second start is a
// Conflict, ten racing starts make one stream, and the database itself
// refuses a second live row.
func TestOneLiveStreamPerReader_LIV1(t *testing.T) {
	eachWorld(t, func(t *testing.T, w *world) {
		first := w.public(t)
		if _, err := w.live.Start(ctx, w.reader, live.StartInput{Title: "Again", Visibility: "public"}); apperr.CodeOf(err) != apperr.Conflict {
			t.Fatalf("second start: %v, want Conflict", err)
		}
		if _, err := w.live.End(ctx, w.reader, first.ID); err != nil {
			t.Fatal(err)
		}
		var mu sync.Mutex
		var ok, taken int
		var wg sync.WaitGroup
		for range 10 {
			wg.Go(func() {
				_, err := w.live.Start(ctx, w.reader, live.StartInput{Title: "Race", Visibility: "public"})
				mu.Lock()
				defer mu.Unlock()
				switch apperr.CodeOf(err) {
				case "":
					ok++
				case apperr.Conflict:
					taken++
				default:
					t.Errorf("racing start: %v", err)
				}
			})
		}
		wg.Wait()
		if ok != 1 || taken != 9 {
			t.Fatalf("racing starts: %d started, %d refused; want 1 and 9", ok, taken)
		}
		if n := w.count(t, `SELECT count(*) FROM streams WHERE reader_id = $1 AND state = 'live'`, w.reader.ID); n != 1 {
			t.Fatalf("%d live streams, want 1", n)
		}
		err := w.s.App.DB.Tx(ctx, func(tx *db.Tx) error {
			_, err := tx.ExecContext(ctx, `INSERT INTO streams (reader_id, title, visibility, platform_share_pct, state, started_at, reader_seen_at)
				VALUES ($1, 'Sneaky', 'public', 30, 'live', 0, 0)`, w.reader.ID)
			return err
		})
		if !w.s.App.DB.IsUniqueViolation(err) {
			t.Fatalf("a second live row: %v, want a unique violation", err)
		}
	})
}

// LIV-2, SEC-4: the reader or an admin ends a stream (an admin's end is
// audited); anyone else may not; ending again is a Conflict; viewers are
// told through the stream's topic; ended streams stay listed on the
// reader's profile.
func TestEndTellsViewers_LIV2(t *testing.T) {
	eachWorld(t, func(t *testing.T, w *world) {
		st := w.public(t)
		sub := w.listen(t, st.ID)
		if _, err := w.live.End(ctx, w.client, st.ID); apperr.CodeOf(err) != apperr.Forbidden {
			t.Errorf("a client ending it: %v, want Forbidden", err)
		}
		w.clk.Advance(time.Hour)
		ended, err := w.live.End(ctx, w.reader, st.ID)
		if err != nil {
			t.Fatal(err)
		}
		if ended.State != live.Ended || ended.EndReason != live.EndByReader || ended.EndedAt == nil || !ended.EndedAt.Equal(t0.Add(time.Hour)) {
			t.Fatalf("ended = %+v", ended)
		}
		var notice live.EndNotice
		if err := json.Unmarshal(next(t, sub, "stream.ended").Data, &notice); err != nil || notice.StreamID != st.ID || notice.Reason != live.EndByReader {
			t.Fatalf("stream.ended = %+v (%v)", notice, err)
		}
		if _, err := w.live.End(ctx, w.reader, st.ID); apperr.CodeOf(err) != apperr.Conflict {
			t.Errorf("ending again: %v, want Conflict", err)
		}

		second := w.public(t)
		sub2 := w.listen(t, second.ID)
		if _, err := w.live.End(ctx, w.admin, second.ID); err != nil {
			t.Fatal(err)
		}
		if m := next(t, sub2, "stream.ended"); m.Type != "stream.ended" {
			t.Fatal(m)
		}
		entries, err := audit.List(ctx, w.s.App.DB.Read(), audit.Filter{ActorID: w.admin.ID, Action: "stream.end"})
		if err != nil || len(entries) != 1 || entries[0].ObjectID != strconv.FormatInt(second.ID, 10) {
			t.Fatalf("audit = %+v %v, want the admin's end of stream %d", entries, err, second.ID)
		}
		past, err := w.live.PastStreams(ctx, w.client, w.reader.ID)
		if err != nil || len(past) != 2 || past[0].ID != second.ID || past[1].ID != st.ID || past[0].EndReason != live.EndByAdmin {
			t.Fatalf("past streams = %+v %v, want both, newest first", past, err)
		}
		now, err := w.live.LiveNow(ctx, w.client)
		if err != nil || len(now) != 0 {
			t.Fatalf("live now = %+v %v, want none", now, err)
		}
	})
}

// LIV-2: a reader whose connection stays gone past the presence timeout
// and the grace has their stream ended by the sweep, and viewers are told;
// a reader still connected keeps streaming.
func TestReaderGoneEndsStream_LIV2(t *testing.T) {
	eachWorld(t, func(t *testing.T, w *world) {
		cfg := w.live.Config
		seen := func() {
			if _, err := w.s.App.DB.Writer.ExecContext(ctx, `UPDATE users SET last_seen_at = $1 WHERE id = $2`, db.Millis(w.clk.Now()), w.reader.ID); err != nil {
				t.Fatal(err)
			}
		}
		st := w.public(t)
		sub := w.listen(t, st.ID)
		// Connected: seen at every heartbeat, however long the stream runs.
		for range 5 {
			w.clk.Advance(cfg.PresenceTimeout + cfg.Grace)
			seen()
			if n, err := w.live.Sweep(ctx); err != nil || n != 0 {
				t.Fatalf("sweep of a present reader ended %d (%v)", n, err)
			}
		}
		// The page closes (presence marks the user gone at once).
		if _, err := w.s.App.DB.Writer.ExecContext(ctx, `UPDATE users SET last_seen_at = 0 WHERE id = $1`, w.reader.ID); err != nil {
			t.Fatal(err)
		}
		w.clk.Advance(cfg.PresenceTimeout + cfg.Grace - time.Second)
		if n, err := w.live.Sweep(ctx); err != nil || n != 0 {
			t.Fatalf("sweep within the grace ended %d (%v)", n, err)
		}
		w.clk.Advance(2 * time.Second)
		if n, err := w.live.Sweep(ctx); err != nil || n != 1 {
			t.Fatalf("sweep past the grace ended %d (%v), want 1", n, err)
		}
		var notice live.EndNotice
		if err := json.Unmarshal(next(t, sub, "stream.ended").Data, &notice); err != nil || notice.Reason != live.EndGone {
			t.Fatalf("stream.ended = %+v (%v)", notice, err)
		}
		if got, _ := w.live.Get(ctx, st.ID); got.State != live.Ended || got.EndReason != live.EndGone {
			t.Fatalf("stream = %+v, want ended as gone", got)
		}
		if n, err := w.live.Sweep(ctx); err != nil || n != 0 {
			t.Fatalf("a second sweep ended %d (%v)", n, err)
		}
	})
}

// LIV-1, LIV-3, ACC-6: "live now" lists public and premium streams to
// everyone, a private stream only to the reader, its invited and admins,
// and leaves out the streams of a reader in a block with the viewer.
func TestLiveNow_LIV1(t *testing.T) {
	eachWorld(t, func(t *testing.T, w *world) {
		private := w.start(t, live.StartInput{Title: "Circle", Visibility: "private", InvitedUserIDs: []int64{w.client.ID}})
		listed := func(u account.User) bool {
			t.Helper()
			list, err := w.live.LiveNow(ctx, u)
			if err != nil {
				t.Fatal(err)
			}
			for _, st := range list {
				if st.ID == private.ID {
					return true
				}
			}
			return false
		}
		for _, c := range []struct {
			who  account.User
			want bool
		}{{w.client, true}, {w.reader, true}, {w.admin, true}, {w.pauper, false}, {account.User{}, false}} {
			if got := listed(c.who); got != c.want {
				t.Errorf("listed to %q: %v, want %v", c.who.DisplayName, got, c.want)
			}
		}
		if _, err := w.s.App.Blocks.Block(ctx, w.reader, w.client.ID); err != nil {
			t.Fatal(err)
		}
		if listed(w.client) {
			t.Error("listed to a client the reader blocked")
		}
	})
}
