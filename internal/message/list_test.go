package message_test

import (
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/soulseer/soulseer/internal/account"
	"github.com/soulseer/soulseer/internal/apperr"
	"github.com/soulseer/soulseer/internal/message"
)

// MSG-5: both parties page through a conversation's history, oldest first
// within a page, "before" a message id for older ones.
func TestHistoryPaging_MSG5(t *testing.T) {
	eachWorld(t, func(t *testing.T, w *world) {
		var sent []message.Message
		for i := range 5 {
			from, to := w.client, w.reader.ID
			if i%2 == 1 {
				from, to = w.reader, w.client.ID
			}
			sent = append(sent, w.send(t, from, to, "Line "+strconv.Itoa(i+1), false))
			w.clk.Advance(time.Second)
		}
		conv := sent[0].ConversationID
		for _, u := range []account.User{w.client, w.reader} {
			page, more, err := w.msgs.Messages(ctx, u, conv, message.Filter{Limit: 2})
			if err != nil || !more || len(page) != 2 || page[0].ID != sent[3].ID || page[1].ID != sent[4].ID {
				t.Fatalf("%s's first page: %v more=%v %v", u.Email, page, more, err)
			}
			page, more, err = w.msgs.Messages(ctx, u, conv, message.Filter{Limit: 2, Before: page[0].ID})
			if err != nil || !more || len(page) != 2 || page[0].Body != "Line 2" || page[1].Body != "Line 3" {
				t.Fatalf("%s's second page: %v more=%v %v", u.Email, page, more, err)
			}
			page, more, err = w.msgs.Messages(ctx, u, conv, message.Filter{Limit: 2, Before: page[0].ID})
			if err != nil || more || len(page) != 1 || page[0].Body != "Line 1" {
				t.Fatalf("%s's last page: %v more=%v %v", u.Email, page, more, err)
			}
		}
		for _, f := range []message.Filter{{Limit: message.MaxLimit + 1}, {Limit: -1}, {Before: -1}, {Query: strings.Repeat("a", 101)}} {
			_, _, err := w.msgs.Messages(ctx, w.client, conv, f)
			wantCode(t, "history with a bad filter", err, apperr.Invalid)
		}
	})
}

// MSG-5: the conversation list is newest first, with unread counts per
// conversation and in total, filtered by unread, paid and person, and
// paged; reading a conversation clears its unread count.
func TestConversationFilters_MSG5(t *testing.T) {
	eachWorld(t, func(t *testing.T, w *world) {
		second := w.newReader(t, "second@example.com")
		third := w.newReader(t, "third@example.com")
		w.send(t, w.client, w.reader.ID, "First question", false)
		w.clk.Advance(time.Minute)
		w.send(t, w.client, second.ID, "Second question", false)
		w.clk.Advance(time.Minute)
		w.send(t, w.client, third.ID, "Third question", false)
		w.clk.Advance(time.Minute)
		w.send(t, w.reader, w.client.ID, "A free answer", false)
		w.send(t, w.reader, w.client.ID, "A paid answer", true)
		w.clk.Advance(time.Minute)
		w.send(t, second, w.client.ID, "Another answer", false)

		names := func(f message.Filter) string {
			t.Helper()
			list, err := w.msgs.Conversations(ctx, w.client, f)
			if err != nil {
				t.Fatal(err)
			}
			var out []string
			for _, c := range list {
				out = append(out, c.With.DisplayName+":"+strconv.Itoa(c.Unread))
			}
			return strings.Join(out, " ")
		}
		for _, tc := range []struct {
			name string
			f    message.Filter
			want string
		}{
			{"all", message.Filter{}, "second:1 reader:2 third:0"},
			{"unread", message.Filter{Unread: true}, "second:1 reader:2"},
			{"paid", message.Filter{Paid: true}, "reader:2"},
			{"with one person", message.Filter{With: third.ID}, "third:0"},
			{"first page", message.Filter{Limit: 2}, "second:1 reader:2"},
			{"second page", message.Filter{Limit: 2, Offset: 2}, "third:0"},
		} {
			if got := names(tc.f); got != tc.want {
				t.Errorf("%s: %q, want %q", tc.name, got, tc.want)
			}
		}
		if n, err := w.msgs.UnreadTotal(ctx, w.client.ID); err != nil || n != 3 {
			t.Errorf("unread total %d %v, want 3", n, err)
		}
		c, ok, err := w.msgs.ConversationWith(ctx, w.client, w.reader.ID)
		if err != nil || !ok {
			t.Fatal(ok, err)
		}
		if c.Last == nil || !c.Last.Locked || c.Last.Body != "" {
			t.Errorf("the list shows the locked reply as %+v", c.Last)
		}
		if err := w.msgs.MarkRead(ctx, w.client, c.ID); err != nil {
			t.Fatal(err)
		}
		if got := names(message.Filter{Unread: true}); got != "second:1" {
			t.Errorf("unread after reading: %q", got)
		}
		if n, _ := w.msgs.UnreadTotal(ctx, w.client.ID); n != 1 {
			t.Errorf("unread total %d, want 1", n)
		}
		// The reader's side counts the client's messages.
		if list, _ := w.msgs.Conversations(ctx, w.reader, message.Filter{}); len(list) != 1 || list[0].Unread != 1 || list[0].With.ID != w.client.ID {
			t.Errorf("the reader's list %+v", list)
		}
		_, err = w.msgs.Conversations(ctx, w.client, message.Filter{Offset: -1})
		wantCode(t, "a negative offset", err, apperr.Invalid)
	})
}

// MSG-5: search finds the words in any case across the user's
// conversations, newest first, narrowed by person and paid replies and
// paged; a locked paid reply is not found by its words until unlocked,
// though its reader finds it.
func TestSearch_MSG5(t *testing.T) {
	eachWorld(t, func(t *testing.T, w *world) {
		second := w.newReader(t, "second@example.com")
		w.topUp(t, w.client.ID, 500)
		a := w.send(t, w.client, w.reader.ID, "What do the Tarot cards say?", false)
		b := w.send(t, w.client, second.ID, "Can tarot help with love?", false)
		w.send(t, w.client, second.ID, "And astrology?", false)
		paid := w.send(t, w.reader, w.client.ID, "The tarot shows a journey.", true)

		search := func(u account.User, f message.Filter) []int64 {
			t.Helper()
			found, err := w.msgs.Search(ctx, u, f)
			if err != nil {
				t.Fatal(err)
			}
			out := []int64{}
			for _, fd := range found {
				out = append(out, fd.ID)
			}
			return out
		}
		eq := func(name string, got []int64, want ...int64) {
			t.Helper()
			if !slices.Equal(got, append([]int64{}, want...)) {
				t.Errorf("%s: %v, want %v", name, got, want)
			}
		}
		eq("client searches TAROT", search(w.client, message.Filter{Query: "TAROT"}), b.ID, a.ID)
		eq("client searches with one reader", search(w.client, message.Filter{Query: "tarot", With: w.reader.ID}), a.ID)
		eq("client searches paid replies", search(w.client, message.Filter{Query: "tarot", Paid: true}))
		eq("reader searches", search(w.reader, message.Filter{Query: "tarot"}), paid.ID, a.ID)
		eq("client's first page", search(w.client, message.Filter{Query: "tarot", Limit: 1}), b.ID)
		eq("client's next page", search(w.client, message.Filter{Query: "tarot", Limit: 1, Before: b.ID}), a.ID)
		if _, err := w.msgs.Unlock(ctx, w.client, paid.ID); err != nil {
			t.Fatal(err)
		}
		eq("client searches after unlocking", search(w.client, message.Filter{Query: "tarot"}), paid.ID, b.ID, a.ID)
		eq("client searches paid after unlocking", search(w.client, message.Filter{Query: "journey", Paid: true}), paid.ID)
		_, err := w.msgs.Search(ctx, w.client, message.Filter{Query: strings.Repeat("x", 101)})
		wantCode(t, "a search of 101 characters", err, apperr.Invalid)
	})
}

// MSG-5: a conversation and its messages exist only for its two parties:
// anyone else gets NotFound for the conversation, its history, a message,
// its unlock and marking it read, and changes nothing.
func TestStrangerFindsNothing_MSG5(t *testing.T) {
	eachWorld(t, func(t *testing.T, w *world) {
		w.topUp(t, w.client.ID, 500)
		m := w.paidReply(t, "Only for the client.")
		stranger := w.s.CreateUser("stranger@example.com", account.RoleClient)
		otherReader := w.newReader(t, "other@example.com")
		for _, u := range []account.User{stranger, otherReader, w.admin} {
			_, err := w.msgs.Conversation(ctx, u, m.ConversationID)
			wantCode(t, u.Email+": conversation", err, apperr.NotFound)
			_, _, err = w.msgs.Messages(ctx, u, m.ConversationID, message.Filter{})
			wantCode(t, u.Email+": history", err, apperr.NotFound)
			_, err = w.msgs.Message(ctx, u, m.ID)
			wantCode(t, u.Email+": message", err, apperr.NotFound)
			_, err = w.msgs.Unlock(ctx, u, m.ID)
			wantCode(t, u.Email+": unlock", err, apperr.NotFound)
			err = w.msgs.MarkRead(ctx, u, m.ConversationID)
			wantCode(t, u.Email+": mark read", err, apperr.NotFound)
			if found, err := w.msgs.Search(ctx, u, message.Filter{}); err != nil || len(found) != 0 {
				t.Errorf("%s: search found %v %v", u.Email, found, err)
			}
		}
		if w.paidReplyTransfers(t) != 0 {
			t.Error("a stranger's unlock moved money")
		}
		if n, _ := w.msgs.UnreadTotal(ctx, w.client.ID); n != 1 {
			t.Errorf("the client's unread count is %d, want 1", n)
		}
	})
}
