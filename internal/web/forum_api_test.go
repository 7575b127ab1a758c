package web_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/soulseer/soulseer/internal/apptest"
	"github.com/soulseer/soulseer/internal/db/dbtest"
)

// COM-1 COM-2: the forum through the API on both engines. An admin adds
// categories (a bad slug and a taken one are refused naming the field)
// and archives one; a client starts a thread in Markdown, the reader
// replies, the client edits (edited mark; the admin reads the earlier
// text), search finds the thread, the admin pins, locks and moves it; a
// locked thread refuses the client's reply, a readers-only category the
// client's thread. Bad input is a problem document naming what was wrong,
// never a 500.
func TestForumAPI_COM1_COM2(t *testing.T) {
	t.Parallel()
	for _, e := range dbtest.Engines() {
		t.Run(string(e), func(t *testing.T) {
			t.Parallel()
			forumAPI(t, newWorld(t, apptest.Start(t, e, roomyLimits())))
		})
	}
}

func forumAPI(t *testing.T, w *world) {
	admin, client, luna, anon := w.as["admin"], w.as["client"], w.as["reader"], w.as["anon"]
	must := func(res apptest.Response, status int, v any) {
		t.Helper()
		if res.Status != status {
			t.Fatalf("status %d, want %d: %s", res.Status, status, res.Body)
		}
		if v != nil {
			res.JSON(t, v)
		}
	}
	type category struct {
		ID          int64   `json:"id"`
		Slug        string  `json:"slug"`
		ReadersOnly bool    `json:"readers_only"`
		ArchivedAt  *string `json:"archived_at"`
		ThreadCount int     `json:"thread_count"`
	}
	var general, lounge, old category
	must(admin.Do("POST", "/api/v1/admin/forum/categories", `{"name": "General talk", "description": "Anything", "sort_order": 1}`), 201, &general)
	must(admin.Do("POST", "/api/v1/admin/forum/categories", `{"name": "Readers' lounge", "readers_only": true, "sort_order": 2}`), 201, &lounge)
	must(admin.Do("POST", "/api/v1/admin/forum/categories", `{"name": "Old news", "slug": "old-news"}`), 201, &old)
	if general.Slug != "general-talk" || !lounge.ReadersOnly || lounge.Slug != "readers-lounge" {
		t.Fatalf("categories %+v %+v", general, lounge)
	}
	if p := problemOf(t, admin.Do("POST", "/api/v1/admin/forum/categories", `{"name": "X", "slug": "Not A Slug"}`), 400); p.Errors["slug"] == "" {
		t.Errorf("a bad slug: %+v", p)
	}
	if p := problemOf(t, admin.Do("POST", "/api/v1/admin/forum/categories", `{"name": "Another", "slug": "old-news"}`), 409); p.Errors["slug"] == "" {
		t.Errorf("a taken slug: %+v", p)
	}
	problemOf(t, admin.Do("POST", "/api/v1/admin/forum/categories", `{"name": 5}`), 400)
	problemOf(t, admin.Do("PUT", "/api/v1/admin/forum/categories/999999", `{"name": "Gone"}`), 404)
	must(admin.Do("PUT", "/api/v1/admin/forum/categories/"+id(old.ID), `{"name": "Old news", "slug": "old-news", "archived": true}`), 200, &old)
	if old.ArchivedAt == nil {
		t.Errorf("archived %+v", old)
	}
	var list struct{ Categories []category }
	must(anon.Do("GET", "/api/v1/forum/categories", nil), 200, &list)
	if len(list.Categories) != 2 || list.Categories[0].Slug != "general-talk" {
		t.Errorf("the index lists %+v, want the two open ones in order", list.Categories)
	}
	must(admin.Do("GET", "/api/v1/forum/categories?archived=true", nil), 200, &list)
	if len(list.Categories) != 3 {
		t.Errorf("an admin's list with archived: %+v", list.Categories)
	}

	var th struct {
		ID int64 `json:"id"`
	}
	must(client.Do("POST", "/api/v1/forum/categories/general-talk/threads", `{"title": "My first tarot reading", "body": "It was **wonderful** <script>x()</script>"}`), 201, &th)
	if p := problemOf(t, client.Do("POST", "/api/v1/forum/categories/general-talk/threads", `{"title": "", "body": " "}`), 400); p.Errors["title"] == "" || p.Errors["body"] == "" {
		t.Errorf("an empty thread: %+v", p)
	}
	problemOf(t, client.Do("POST", "/api/v1/forum/categories/readers-lounge/threads", `{"title": "Me too", "body": "hi"}`), 403)
	problemOf(t, client.Do("POST", "/api/v1/forum/categories/old-news/threads", `{"title": "Late", "body": "hi"}`), 409)
	problemOf(t, client.Do("POST", "/api/v1/forum/categories/no-such/threads", `{"title": "Lost", "body": "hi"}`), 404)
	problemOf(t, anon.Do("POST", "/api/v1/forum/categories/general-talk/threads", `{"title": "Anon", "body": "hi"}`), 401)
	problemOf(t, client.Do("POST", "/api/v1/forum/categories/general-talk/threads", `{"title": "T", "body": "b", "attachments": []}`), 400)

	type post struct {
		ID       int64   `json:"id"`
		BodyHTML string  `json:"body_html"`
		EditedAt *string `json:"edited_at"`
		Deleted  bool    `json:"deleted"`
		Author   struct {
			ID     int64 `json:"id"`
			Reader bool  `json:"reader"`
		} `json:"author"`
	}
	var reply post
	must(luna.Do("POST", "/api/v1/forum/threads/"+id(th.ID)+"/posts", `{"body": "> It was wonderful\n\nSo glad!"}`), 201, &reply)
	if !reply.Author.Reader || !strings.Contains(reply.BodyHTML, "<blockquote>") {
		t.Errorf("reply %+v", reply)
	}
	if p := problemOf(t, luna.Do("POST", "/api/v1/forum/threads/"+id(th.ID)+"/posts", `{"body": ""}`), 400); p.Errors["body"] == "" {
		t.Errorf("an empty reply: %+v", p)
	}
	problemOf(t, luna.Do("POST", "/api/v1/forum/threads/999999/posts", `{"body": "hi"}`), 404)
	problemOf(t, luna.Do("POST", "/api/v1/forum/threads/abc/posts", `{"body": "hi"}`), 404)

	var got struct {
		ID    int64  `json:"id"`
		Title string `json:"title"`
		Posts []post `json:"posts"`
		More  bool   `json:"more"`
	}
	must(anon.Do("GET", "/api/v1/forum/threads/"+id(th.ID), nil), 200, &got)
	if len(got.Posts) != 2 || !strings.Contains(got.Posts[0].BodyHTML, "<strong>wonderful</strong>") || strings.Contains(got.Posts[0].BodyHTML, "script") {
		t.Fatalf("thread %+v", got)
	}
	problemOf(t, anon.Do("GET", "/api/v1/forum/threads/"+id(th.ID)+"?page=0", nil), 400)
	problemOf(t, anon.Do("GET", "/api/v1/forum/categories/general-talk/threads?sort=oldest", nil), 400)
	problemOf(t, anon.Do("GET", "/api/v1/forum/categories/general-talk/threads?page=x", nil), 400)

	first := got.Posts[0].ID
	var edited post
	problemOf(t, luna.Do("PATCH", "/api/v1/forum/posts/"+id(first), `{"body": "mine now"}`), 403)
	must(client.Do("PATCH", "/api/v1/forum/posts/"+id(first), `{"body": "It was *wonderful*, truly"}`), 200, &edited)
	if edited.EditedAt == nil || !strings.Contains(edited.BodyHTML, "<em>wonderful</em>") {
		t.Errorf("edited %+v", edited)
	}
	var revs struct {
		Revisions []struct {
			Body string `json:"body"`
		} `json:"revisions"`
	}
	must(admin.Do("GET", "/api/v1/admin/forum/posts/"+id(first)+"/revisions", nil), 200, &revs)
	if len(revs.Revisions) != 1 || !strings.Contains(revs.Revisions[0].Body, "**wonderful**") {
		t.Errorf("revisions %+v", revs)
	}
	problemOf(t, admin.Do("GET", "/api/v1/admin/forum/posts/999999/revisions", nil), 404)

	var found struct {
		Hits []struct {
			ThreadID int64 `json:"thread_id"`
		} `json:"hits"`
	}
	must(anon.Do("GET", "/api/v1/forum/search?q=tarot+reading", nil), 200, &found)
	if len(found.Hits) == 0 || found.Hits[0].ThreadID != th.ID {
		t.Errorf("search found %+v", found)
	}
	if p := problemOf(t, anon.Do("GET", "/api/v1/forum/search?q="+strings.Repeat("a", 201), nil), 400); p.Errors["q"] == "" {
		t.Errorf("a long search: %+v", p)
	}

	var changed struct {
		Pinned, Locked bool
		CategorySlug   string `json:"category_slug"`
	}
	must(admin.Do("PATCH", "/api/v1/admin/forum/threads/"+id(th.ID), `{"pinned": true, "locked": true}`), 200, &changed)
	if !changed.Pinned || !changed.Locked || changed.CategorySlug != "general-talk" {
		t.Errorf("changed %+v", changed)
	}
	problemOf(t, client.Do("POST", "/api/v1/forum/threads/"+id(th.ID)+"/posts", `{"body": "still here"}`), 409)
	problemOf(t, admin.Do("PATCH", "/api/v1/admin/forum/threads/"+id(th.ID), `{"category_slug": "nowhere"}`), 404)
	problemOf(t, admin.Do("PATCH", "/api/v1/admin/forum/threads/"+id(th.ID), `{"pinned": "yes"}`), 400)
	must(admin.Do("PATCH", "/api/v1/admin/forum/threads/"+id(th.ID), `{"category_slug": "readers-lounge"}`), 200, &changed)
	if changed.CategorySlug != "readers-lounge" || !changed.Pinned {
		t.Errorf("moved %+v", changed)
	}

	problemOf(t, client.Do("DELETE", "/api/v1/forum/posts/"+id(first), nil), 409) // others replied
	if res := luna.Do("DELETE", "/api/v1/forum/posts/"+id(reply.ID), nil); res.Status != http.StatusNoContent {
		t.Fatalf("delete own reply: %d %s", res.Status, res.Body)
	}
	must(anon.Do("GET", "/api/v1/forum/threads/"+id(th.ID), nil), 200, &got)
	if len(got.Posts) != 2 || !got.Posts[1].Deleted || got.Posts[1].BodyHTML != "" {
		t.Errorf("after deletion %+v", got.Posts)
	}
}
