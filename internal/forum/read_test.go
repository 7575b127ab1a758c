package forum_test

import (
	"testing"

	"github.com/soulseer/soulseer/internal/forum"
)

// COM-2 (unread markers): a thread is new to whoever has not opened it and
// not to its author; once read, only posts written after count as new; an
// older page read later moves nothing back; deleted posts do not count.
func TestUnread_COM2(t *testing.T) {
	eachWorld(t, func(t *testing.T, w *world) {
		th := w.thread(t, w.client, "Moon water", "Full moon tonight")
		get := func(u int64) forum.Unread {
			t.Helper()
			m, err := w.forum.Unread(ctx, u, []forum.Thread{th})
			if err != nil {
				t.Fatal(err)
			}
			return m[th.ID]
		}
		if u := get(w.other.ID); u.Seen || u.New != 1 {
			t.Errorf("to someone who never opened it: %+v", u)
		}
		if u := get(w.client.ID); !u.Seen || u.New != 0 {
			t.Errorf("to its author: %+v", u)
		}
		r1, err := w.forum.Reply(ctx, w.reader, th.ID, "Yes!")
		if err != nil {
			t.Fatal(err)
		}
		r2, err := w.forum.Reply(ctx, w.admin, th.ID, "Lovely.")
		if err != nil {
			t.Fatal(err)
		}
		if u := get(w.client.ID); !u.Seen || u.New != 2 {
			t.Errorf("the author after two replies: %+v", u)
		}
		if err := w.forum.MarkRead(ctx, w.client.ID, th.ID, r2.ID); err != nil {
			t.Fatal(err)
		}
		if err := w.forum.MarkRead(ctx, w.client.ID, th.ID, r1.ID); err != nil {
			t.Fatal(err)
		}
		if u := get(w.client.ID); !u.Seen || u.New != 0 {
			t.Errorf("read to the end, then an older page: %+v", u)
		}
		r3, err := w.forum.Reply(ctx, w.other, th.ID, "Me too")
		if err != nil {
			t.Fatal(err)
		}
		if u := get(w.client.ID); u.New != 1 {
			t.Errorf("one more reply: %+v", u)
		}
		if err := w.forum.DeletePost(ctx, w.other, r3.ID); err != nil {
			t.Fatal(err)
		}
		if u := get(w.client.ID); u.New != 0 {
			t.Errorf("the reply deleted: %+v", u)
		}
		if m, err := w.forum.Unread(ctx, 0, []forum.Thread{th}); err != nil || len(m) != 0 {
			t.Errorf("signed out: %+v %v", m, err)
		}
	})
}
