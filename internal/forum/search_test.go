package forum_test

import (
	"strings"
	"testing"

	"github.com/soulseer/soulseer/internal/forum"
)

// COM-2: search finds posts by the words of their text or their thread's
// title, stemmed (readings finds reading), every word required; deleted
// posts and threads are not found; what people type is never read as a
// query operator; an over-long search names its field.
func TestSearch_COM2(t *testing.T) {
	eachWorld(t, func(t *testing.T, w *world) {
		moon := w.thread(t, w.client, "Full moon rituals", "Charging crystals under the moon tonight.")
		tarot := w.thread(t, w.reader, "Tarot spreads", "My favourite reading is the Celtic cross.")
		if _, err := w.forum.Reply(ctx, w.other, tarot.ID, "Three-card readings are quicker."); err != nil {
			t.Fatal(err)
		}
		hits, err := w.forum.Search(ctx, "readings")
		if err != nil || len(hits) != 2 {
			t.Fatalf("readings: %+v %v", hits, err)
		}
		for _, h := range hits {
			if h.ThreadID != tarot.ID || h.Title != "Tarot spreads" || !strings.Contains(strings.ToLower(h.Excerpt), "reading") {
				t.Errorf("hit %+v", h)
			}
		}
		if hits, _ := w.forum.Search(ctx, "rituals"); len(hits) != 1 || hits[0].ThreadID != moon.ID {
			t.Errorf("a title's word: %+v", hits)
		}
		if hits, _ := w.forum.Search(ctx, "moon tarot"); len(hits) != 0 {
			t.Errorf("every word is required: %+v", hits)
		}
		for _, q := range []string{`"moon`, `moon*`, `moon -crystals`, `(moon)`, `^moon`} {
			if hits, err := w.forum.Search(ctx, q); err != nil || len(hits) != 1 {
				t.Errorf("%q: %+v %v, want the moon thread", q, hits, err)
			}
		}
		// operators are words like any other: every one must be there
		for _, q := range []string{`moon AND NOT OR NEAR(`, `title:moon`, `moon' OR '1'='1`, `moon NEAR/2 tonight)`} {
			if hits, err := w.forum.Search(ctx, q); err != nil || len(hits) != 0 {
				t.Errorf("%q: %+v %v, want nothing", q, hits, err)
			}
		}
		if hits, err := w.forum.Search(ctx, " ?! "); err != nil || len(hits) != 0 {
			t.Errorf("nothing to search: %+v %v", hits, err)
		}
		_, err = w.forum.Search(ctx, strings.Repeat("x", forum.MaxSearchLen+1))
		wantField(t, "a long search", err, "q")

		_, posts, _, _ := w.forum.Thread(ctx, moon.ID, 1)
		if err := w.forum.DeletePost(ctx, w.client, posts[0].ID); err != nil {
			t.Fatal(err)
		}
		if hits, _ := w.forum.Search(ctx, "crystals"); len(hits) != 0 {
			t.Errorf("a deleted thread found: %+v", hits)
		}
	})
}
