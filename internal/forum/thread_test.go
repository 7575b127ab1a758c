package forum_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/soulseer/soulseer/internal/account"
	"github.com/soulseer/soulseer/internal/apperr"
	"github.com/soulseer/soulseer/internal/forum"
)

// COM-2: a signed-in user starts a thread with its first post and others
// reply; the Markdown is stored with its sanitised rendering, the author's
// reader badge shown; the thread counts its posts and orders by activity.
// Readers-only categories take readers and admins only, archived ones
// nobody, locked threads only admins; bad input names its field.
func TestThreadsAndReplies_COM2(t *testing.T) {
	eachWorld(t, func(t *testing.T, w *world) {
		th := w.thread(t, w.client, "  First reading ", "Had my **first** reading <script>alert(1)</script>")
		if th.Title != "First reading" || th.PostCount != 1 || th.Author.ID != w.client.ID || th.CategorySlug != w.general.Slug {
			t.Errorf("thread %+v", th)
		}
		w.clk.Advance(time.Minute)
		reply, err := w.forum.Reply(ctx, w.reader, th.ID, "> Had my first reading\n\nWelcome! See [my profile](/readers/2).")
		if err != nil || !reply.Author.Reader || !strings.Contains(string(reply.BodyHTML), "<blockquote>") {
			t.Fatalf("reply %+v %v", reply, err)
		}
		got, posts, more, err := w.forum.Thread(ctx, th.ID, 1)
		if err != nil || more || len(posts) != 2 || got.PostCount != 2 || !got.LastPostAt.Equal(reply.CreatedAt) {
			t.Fatalf("thread %+v posts %d more %v: %v", got, len(posts), more, err)
		}
		if html := string(posts[0].BodyHTML); !strings.Contains(html, "<strong>first</strong>") || strings.Contains(html, "script") {
			t.Errorf("first post rendered %q", html)
		}

		_, err = w.forum.CreateThread(ctx, w.client, w.general.Slug, forum.ThreadInput{Title: strings.Repeat("x", forum.MaxTitleLen+1), Body: " "})
		wantField(t, "a long title", err, "title")
		wantField(t, "an empty body", err, "body")
		_, err = w.forum.Reply(ctx, w.client, th.ID, strings.Repeat("x", forum.MaxBodyLen+1))
		wantField(t, "a long reply", err, "body")
		_, err = w.forum.CreateThread(ctx, w.client, "no-such", forum.ThreadInput{Title: "t", Body: "b"})
		wantCode(t, "no such category", err, apperr.NotFound)
		_, err = w.forum.Reply(ctx, w.client, 999_999, "hello")
		wantCode(t, "no such thread", err, apperr.NotFound)
		_, err = w.forum.CreateThread(ctx, account.User{}, w.general.Slug, forum.ThreadInput{Title: "t", Body: "b"})
		wantCode(t, "signed out", err, apperr.Unauthorized)

		_, err = w.forum.CreateThread(ctx, w.client, w.readersOnly.Slug, forum.ThreadInput{Title: "t", Body: "b"})
		wantCode(t, "a client in a readers-only category", err, apperr.Forbidden)
		lounge, err := w.forum.CreateThread(ctx, w.reader, w.readersOnly.Slug, forum.ThreadInput{Title: "Pricing", Body: "How do you price?"})
		if err != nil {
			t.Fatal(err)
		}
		_, err = w.forum.Reply(ctx, w.client, lounge.ID, "me too")
		wantCode(t, "a client replying in a readers-only category", err, apperr.Forbidden)

		yes := true
		if _, err := w.forum.ChangeThread(ctx, w.admin, th.ID, forum.ThreadChange{Locked: &yes}); err != nil {
			t.Fatal(err)
		}
		_, err = w.forum.Reply(ctx, w.other, th.ID, "late")
		wantCode(t, "a reply to a locked thread", err, apperr.Conflict)
		if _, err := w.forum.Reply(ctx, w.admin, th.ID, "Locked: please start a new thread."); err != nil {
			t.Errorf("an admin's reply to a locked thread: %v", err)
		}
		if _, err := w.forum.UpdateCategory(ctx, w.admin, w.readersOnly.ID, forum.CategoryInput{Name: w.readersOnly.Name, ReadersOnly: true, Archived: true}); err != nil {
			t.Fatal(err)
		}
		_, err = w.forum.Reply(ctx, w.reader, lounge.ID, "still here?")
		wantCode(t, "a reply in an archived category", err, apperr.Conflict)
	})
}

// COM-2: a category's threads page by PageSize with pinned ones first, in
// the order asked for (active, newest, top); admins pin, lock and move
// threads, audited; no one else may.
func TestThreadOrderPagingAndAdminChanges_COM2(t *testing.T) {
	eachWorld(t, func(t *testing.T, w *world) {
		var ths []forum.Thread
		for i := range forum.PageSize + 2 {
			ths = append(ths, w.thread(t, w.client, fmt.Sprintf("Thread %d", i), "hello"))
			w.clk.Advance(time.Minute)
		}
		// the oldest thread gets the latest reply and the most posts
		for range 2 {
			if _, err := w.forum.Reply(ctx, w.other, ths[0].ID, "bump"); err != nil {
				t.Fatal(err)
			}
		}
		_, page1, more, err := w.forum.Threads(ctx, w.general.Slug, forum.Active, 1)
		if err != nil || len(page1) != forum.PageSize || !more || page1[0].ID != ths[0].ID {
			t.Fatalf("active page 1: %d threads, more %v, first %+v: %v", len(page1), more, page1[0], err)
		}
		_, page2, more, err := w.forum.Threads(ctx, w.general.Slug, forum.Active, 2)
		if err != nil || len(page2) != 2 || more {
			t.Fatalf("active page 2: %d threads, more %v: %v", len(page2), more, err)
		}
		_, newest, _, _ := w.forum.Threads(ctx, w.general.Slug, forum.Newest, 1)
		if newest[0].ID != ths[len(ths)-1].ID {
			t.Errorf("newest first: %+v", newest[0])
		}
		_, top, _, _ := w.forum.Threads(ctx, w.general.Slug, forum.Top, 1)
		if top[0].ID != ths[0].ID || top[0].PostCount != 3 {
			t.Errorf("top first: %+v", top[0])
		}
		_, _, _, err = w.forum.Threads(ctx, w.general.Slug, "hot", 1)
		wantField(t, "an unknown order", err, "sort")

		yes := true
		pinned, err := w.forum.ChangeThread(ctx, w.admin, ths[5].ID, forum.ThreadChange{Pinned: &yes})
		if err != nil || !pinned.Pinned {
			t.Fatalf("pin: %+v %v", pinned, err)
		}
		_, newest, _, _ = w.forum.Threads(ctx, w.general.Slug, forum.Newest, 1)
		if newest[0].ID != ths[5].ID {
			t.Errorf("a pinned thread comes first: %+v", newest[0])
		}
		lounge := w.readersOnly.Slug
		moved, err := w.forum.ChangeThread(ctx, w.admin, ths[1].ID, forum.ThreadChange{CategorySlug: &lounge})
		if err != nil || moved.CategoryID != w.readersOnly.ID {
			t.Fatalf("move: %+v %v", moved, err)
		}
		_, err = w.forum.ChangeThread(ctx, w.client, ths[2].ID, forum.ThreadChange{Pinned: &yes})
		wantCode(t, "a client pinning", err, apperr.Forbidden)
		if n := len(w.audited(t, "forum_thread.update")); n != 2 {
			t.Errorf("%d thread changes audited, want 2", n)
		}
	})
}

// COM-2: an author edits their post — marked edited, the earlier text kept
// for admins — and deletes it, leaving its place; a thread's opening post
// goes with the thread, by its author only while no one replied. Others
// cannot; an admin can, audited.
func TestEditAndDelete_COM2(t *testing.T) {
	eachWorld(t, func(t *testing.T, w *world) {
		th := w.thread(t, w.client, "Moon water", "Full moon tonight")
		_, posts, _, _ := w.forum.Thread(ctx, th.ID, 1)
		opening := posts[0]
		w.clk.Advance(time.Minute)
		edited, err := w.forum.EditPost(ctx, w.client, opening.ID, "Full moon *tonight*, 9pm")
		if err != nil || edited.EditedAt == nil || !strings.Contains(string(edited.BodyHTML), "<em>tonight</em>") {
			t.Fatalf("edit: %+v %v", edited, err)
		}
		_, err = w.forum.EditPost(ctx, w.other, opening.ID, "mine now")
		wantCode(t, "someone else editing", err, apperr.Forbidden)
		revs, err := w.forum.Revisions(ctx, w.admin, opening.ID)
		if err != nil || len(revs) != 1 || revs[0].Body != "Full moon tonight" || revs[0].EditedBy != w.client.ID {
			t.Errorf("revisions: %+v %v", revs, err)
		}
		_, err = w.forum.Revisions(ctx, w.client, opening.ID)
		wantCode(t, "a client reading revisions", err, apperr.Forbidden)

		reply, err := w.forum.Reply(ctx, w.other, th.ID, "Thanks!")
		if err != nil {
			t.Fatal(err)
		}
		err = w.forum.DeletePost(ctx, w.client, opening.ID)
		wantCode(t, "deleting an opening post others replied to", err, apperr.Conflict)
		err = w.forum.DeletePost(ctx, w.client, reply.ID)
		wantCode(t, "deleting someone else's post", err, apperr.Forbidden)
		if err := w.forum.DeletePost(ctx, w.other, reply.ID); err != nil {
			t.Fatal(err)
		}
		got, posts, _, err := w.forum.Thread(ctx, th.ID, 1)
		if err != nil || got.PostCount != 1 || len(posts) != 2 || !posts[1].Deleted || posts[1].Body != "" || posts[1].BodyHTML != "" {
			t.Fatalf("after deleting the reply: %+v %+v %v", got, posts, err)
		}
		_, err = w.forum.EditPost(ctx, w.other, reply.ID, "back")
		wantCode(t, "editing a deleted post", err, apperr.Conflict)

		if err := w.forum.DeletePost(ctx, w.client, opening.ID); err != nil {
			t.Fatalf("the author deleting their thread once alone: %v", err)
		}
		_, _, _, err = w.forum.Thread(ctx, th.ID, 1)
		wantCode(t, "a deleted thread", err, apperr.NotFound)

		other := w.thread(t, w.other, "Crystals", "Which one?")
		if _, err := w.forum.Reply(ctx, w.client, other.ID, "Amethyst"); err != nil {
			t.Fatal(err)
		}
		_, posts, _, _ = w.forum.Thread(ctx, other.ID, 1)
		if err := w.forum.DeletePost(ctx, w.admin, posts[0].ID); err != nil {
			t.Fatalf("an admin deleting a thread with replies: %v", err)
		}
		if es := w.audited(t, "forum_post.delete"); len(es) != 1 || es[0].Details["body"] != "Which one?" {
			t.Errorf("admin deletion audited: %+v", es)
		}
		if _, list, _, _ := w.forum.Threads(ctx, w.general.Slug, forum.Active, 1); len(list) != 0 {
			t.Errorf("deleted threads listed: %+v", list)
		}
	})
}
