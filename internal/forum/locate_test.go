package forum_test

import (
	"fmt"
	"testing"

	"github.com/soulseer/soulseer/internal/apperr"
)

// COM-2: a link to a post finds it and the page of its thread it is on;
// a post of a deleted thread is gone.
func TestPostLocated_COM2(t *testing.T) {
	eachWorld(t, func(t *testing.T, w *world) {
		th := w.thread(t, w.client, "Long talk", "opening")
		var last int64
		for i := range 31 {
			p, err := w.forum.Reply(ctx, w.other, th.ID, fmt.Sprintf("reply %d", i))
			if err != nil {
				t.Fatal(err)
			}
			last = p.ID
		}
		_, posts, _, err := w.forum.Thread(ctx, th.ID, 1)
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range []struct {
			id   int64
			page int
			body string
		}{{posts[0].ID, 1, "opening"}, {posts[29].ID, 1, "reply 28"}, {last, 2, "reply 30"}} {
			p, page, err := w.forum.Post(ctx, c.id)
			if err != nil || page != c.page || p.Body != c.body || p.ThreadID != th.ID {
				t.Errorf("post %d: %q on page %d, %v; want %q on page %d", c.id, p.Body, page, err, c.body, c.page)
			}
		}
		lone := w.thread(t, w.client, "Gone soon", "bye")
		_, lonePosts, _, _ := w.forum.Thread(ctx, lone.ID, 1)
		if err := w.forum.DeletePost(ctx, w.client, lonePosts[0].ID); err != nil {
			t.Fatal(err)
		}
		_, _, err = w.forum.Post(ctx, lonePosts[0].ID)
		wantCode(t, "a deleted thread's post", err, apperr.NotFound)
		_, _, err = w.forum.Post(ctx, 999_999)
		wantCode(t, "no such post", err, apperr.NotFound)
	})
}
