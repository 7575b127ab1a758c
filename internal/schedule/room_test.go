package schedule_test

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/soulseer/soulseer/internal/account"
	"github.com/soulseer/soulseer/internal/apperr"
	"github.com/soulseer/soulseer/internal/ledger"
	"github.com/soulseer/soulseer/internal/realtime"
	"github.com/soulseer/soulseer/internal/schedule"
)

// SCH-6: a booking's room is open to its two parties from 10 minutes
// before the start until the end. While it is open their chat is stored
// and reaches both through the booking's topic, with no charge; before it
// opens and once it has ended a message is refused with the reason, and
// it is refused once the booking is cancelled. Nobody else may write, and
// only the parties and admins read the transcript; the room itself is the
// parties' alone.
func TestRoomChat_SCH6(t *testing.T) {
	eachWorld(t, func(t *testing.T, w *world) {
		bookingWorld(t, w, 0)
		b := w.mustBook(t, day2, 30)
		other := w.s.CreateUser("other@example.com", account.RoleClient)
		wallet := w.balance(t, ledger.Wallet(w.client.ID))

		if st := b.Room(w.clk.Now()); st != schedule.RoomNotYet {
			t.Fatalf("the room two days ahead is %q, want not yet open", st)
		}
		if _, err := w.sch.Say(ctx, w.client, b.ID, "Too early"); codeOf(err) != apperr.Conflict {
			t.Fatalf("a message two days ahead: %v, want a conflict", err)
		}

		w.clk.Set(day2.Add(-schedule.RoomOpensBefore))
		if !b.RoomOpensAt().Equal(w.clk.Now()) || b.Room(w.clk.Now()) != schedule.RoomOpen {
			t.Fatalf("the room opens at %v, and at %v is %q", b.RoomOpensAt(), w.clk.Now(), b.Room(w.clk.Now()))
		}
		sub := w.s.App.Hub.Subscribe(realtime.BookingTopic(b.ID))
		defer sub.Close()
		said, err := w.sch.Say(ctx, w.client, b.ID, "  Hello Reader  ")
		if err != nil || said.Body != "Hello Reader" || said.BookingID != b.ID || said.SenderID != w.client.ID {
			t.Fatalf("the client's message %+v: %v", said, err)
		}
		select {
		case m := <-sub.C():
			var got schedule.RoomMessage
			if err := json.Unmarshal(m.Data, &got); err != nil || m.Type != "chat.message" || got.ID != said.ID || got.Body != said.Body {
				t.Fatalf("the topic carried %s %s (%v), want the message", m.Type, m.Data, err)
			}
		case <-time.After(5 * time.Second):
			t.Fatal("the message did not reach the booking's topic")
		}
		if err := w.sch.Typing(ctx, w.reader, b.ID); err != nil {
			t.Fatal(err)
		}
		if m := <-sub.C(); m.Type != "chat.typing" {
			t.Fatalf("typing went out as %s", m.Type)
		}
		w.clk.Advance(15 * time.Minute)
		if _, err := w.sch.Say(ctx, w.reader, b.ID, "Hello Client"); err != nil {
			t.Fatal(err)
		}
		if _, err := w.sch.Say(ctx, other, b.ID, "Let me in"); codeOf(err) != apperr.NotFound {
			t.Fatalf("a stranger's message: %v, want not found", err)
		}
		if _, err := w.sch.Say(ctx, w.client, b.ID, "   "); codeOf(err) != apperr.Invalid {
			t.Fatalf("an empty message: %v, want invalid", err)
		}
		for _, u := range []account.User{w.client, w.reader, w.admin} {
			list, err := w.sch.Transcript(ctx, u, b.ID)
			if err != nil || len(list) != 2 || list[0].Body != "Hello Reader" || list[1].SenderID != w.reader.ID {
				t.Fatalf("the transcript for user %d: %+v %v", u.ID, list, err)
			}
		}
		if _, err := w.sch.Transcript(ctx, other, b.ID); codeOf(err) != apperr.NotFound {
			t.Fatalf("a stranger reads the transcript: %v", err)
		}
		if _, err := w.sch.PartyBooking(ctx, w.admin, b.ID); codeOf(err) != apperr.NotFound {
			t.Fatalf("an admin enters the room: %v, want not found", err)
		}
		if got := w.balance(t, ledger.Wallet(w.client.ID)); got != wallet {
			t.Fatalf("chatting moved the wallet from %d to %d", wallet, got)
		}

		w.clk.Set(b.EndsAt)
		if st := b.Room(w.clk.Now()); st != schedule.RoomClosed {
			t.Fatalf("the room at the end is %q", st)
		}
		if _, err := w.sch.Say(ctx, w.client, b.ID, "One more thing"); apperr.MessageOf(err) != "This reading has ended." {
			t.Fatalf("a message at the end: %v", err)
		}

		w.clk.Set(day2.Add(24*time.Hour - schedule.RoomOpensBefore))
		later := w.mustBook(t, day2.Add(24*time.Hour), 30)
		if _, err := w.sch.Cancel(ctx, w.reader, later.ID); err != nil {
			t.Fatal(err)
		}
		if _, err := w.sch.Say(ctx, w.client, later.ID, "Are you there?"); apperr.MessageOf(err) != "This booking is cancelled." {
			t.Fatalf("a message in a cancelled booking's room: %v", err)
		}
	})
}
