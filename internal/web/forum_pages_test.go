package web_test

import (
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/soulseer/soulseer/internal/apptest"
	"github.com/soulseer/soulseer/internal/db/dbtest"
	"github.com/soulseer/soulseer/internal/forum"
)

// COM-1 COM-2: the forum's pages on both engines. The admin's forum page
// refuses a category without a name or with a bad place beside the field
// (400, nothing saved), adds one, renames and archives another. The index
// lists the open categories with their counts; a category offers "New
// thread" to a client, a login to a visitor and says "Readers only" where
// clients may not post. Starting a thread refuses an empty title beside
// it, previews the Markdown rendered without posting, then posts it; the
// thread shows the author, reader badge and Quote; a quote fills the
// composer; a reply lands on its post; the author edits (edited mark) and
// the admin reads the history; the admin pins and locks, and the client
// is told the thread is locked; search finds the thread. Bad page numbers
// and ids are 400 and 404, never 500.
func TestForumPages_COM1_COM2(t *testing.T) {
	t.Parallel()
	for _, e := range dbtest.Engines() {
		t.Run(string(e), func(t *testing.T) {
			t.Parallel()
			forumPages(t, newWorld(t, apptest.Start(t, e, roomyLimits())))
		})
	}
}

func forumPages(t *testing.T, w *world) {
	admin, client, luna, anon := w.as["admin"], w.as["client"], w.as["reader"], w.as["anon"]
	get, post := forumPagesOf(t)
	categories := func() []forum.Category {
		t.Helper()
		list, err := w.s.App.Forum.Categories(ctx, true)
		if err != nil {
			t.Fatal(err)
		}
		return list
	}

	// COM-1: categories on the admin's page.
	get(admin, "/admin/forum", 200, "Forum categories", `href="/admin/forum" aria-current="page"`)
	post(admin, "/admin/forum", url.Values{"name": {""}, "sort_order": {"1"}}, 400, "field-error", "Give the category a name")
	post(admin, "/admin/forum", url.Values{"name": {"Talk"}, "sort_order": {"first"}}, 400, "Use a whole number")
	if n := len(categories()); n != 0 {
		t.Fatalf("refused rows saved %d categories", n)
	}
	post(admin, "/admin/forum", url.Values{"name": {"General talk"}, "description": {"Anything at all"}, "sort_order": {"1"}}, 303)
	post(admin, "/admin/forum", url.Values{"name": {"Readers lounge"}, "sort_order": {"2"}, "readers_only": {"on"}}, 303)
	post(admin, "/admin/forum", url.Values{"name": {"Old news"}, "sort_order": {"3"}}, 303)
	cs := categories()
	if len(cs) != 3 || !cs[1].ReadersOnly {
		t.Fatalf("categories %+v", cs)
	}
	post(admin, "/admin/forum/"+id(cs[2].ID), url.Values{"name": {"Archive"}, "slug": {"old-news"}, "sort_order": {"3"}, "archived": {"on"}}, 303)
	post(admin, "/admin/forum/"+id(cs[0].ID), url.Values{"name": {"General talk"}, "slug": {"old-news"}, "sort_order": {"1"}}, 409, "already uses")
	if cs = categories(); cs[2].ArchivedAt == nil || cs[2].Name != "Archive" || cs[0].Slug != "general-talk" {
		t.Fatalf("after the changes %+v", cs)
	}

	// COM-2: reading and writing.
	index := get(anon, "/forum", 200, "General talk", "Readers lounge", "Anything at all", "0 threads")
	if strings.Contains(index, "Archive<") {
		t.Errorf("the index lists the archived category")
	}
	get(anon, "/forum/c/general-talk", 200, "Log in to start a thread")
	get(client, "/forum/c/general-talk", 200, `href="/forum/c/general-talk/new"`)
	if body := get(client, "/forum/c/readers-lounge", 200, "Readers only"); strings.Contains(body, "/forum/c/readers-lounge/new") {
		t.Errorf("a client is offered a thread in the readers' lounge")
	}
	get(client, "/forum/c/old-news", 200, "Archived")
	get(client, "/forum/c/readers-lounge/new", 403)
	get(anon, "/forum/c/no-such", 404)
	get(anon, "/forum/c/general-talk?page=0", 400)
	get(anon, "/forum/c/general-talk?sort=sideways", 400)

	get(client, "/forum/c/general-talk/new", 200, "New thread", "Preview")
	post(client, "/forum/c/general-talk/threads", url.Values{"title": {""}, "body": {"Some **words**"}}, 400, "Give the thread a title", "Some **words**")
	post(client, "/forum/c/general-talk/threads", url.Values{"title": {"Moon water"}, "body": {"How do you make **moon water**?"}, "preview": {"1"}}, 200,
		"<strong>moon water</strong>", `value="Moon water"`)
	if cs = categories(); cs[0].ThreadCount != 0 {
		t.Fatalf("a preview posted a thread")
	}
	res := post(client, "/forum/c/general-talk/threads", url.Values{"title": {"Moon water"}, "body": {"How do you make **moon water**?"}}, 303)
	threadURL := res.Header.Get("Location")
	if !strings.HasPrefix(threadURL, "/forum/t/") {
		t.Fatalf("a new thread goes to %q", threadURL)
	}
	page := get(anon, threadURL, 200, "Moon water", "<strong>moon water</strong>", "Log in to reply")
	if strings.Contains(page, "data-quote") {
		t.Errorf("a visitor is offered Quote")
	}
	page = get(luna, threadURL, 200, "data-quote")
	if strings.Contains(page, ">Edit<") {
		t.Errorf("the reader may edit the client's post")
	}
	_, posts, _, err := w.s.App.Forum.Thread(ctx, threadID(t, threadURL), 1)
	if err != nil {
		t.Fatal(err)
	}
	first := posts[0]
	get(luna, threadURL+"?quote="+id(first.ID), 200, "&gt; **"+w.client.DisplayName+"** wrote:", "&gt; How do you make **moon water**?")
	post(luna, threadURL+"/posts", url.Values{"body": {"  "}}, 400, "Write 1 to")
	post(luna, threadURL+"/posts", url.Values{"body": {"Leave a jar *under the full moon*."}, "preview": {"1"}}, 200, "<em>under the full moon</em>")
	res = post(luna, threadURL+"/posts", url.Values{"body": {"> How do you make moon water?\n\nLeave a jar *under the full moon*."}}, 303)
	postURL := res.Header.Get("Location")
	if !strings.HasPrefix(postURL, "/forum/posts/") {
		t.Fatalf("a reply goes to %q", postURL)
	}
	res = anon.Do("GET", postURL, nil)
	if res.Status != 303 || !strings.HasPrefix(res.Header.Get("Location"), threadURL+"#post-") {
		t.Fatalf("a post's link: %d to %q", res.Status, res.Header.Get("Location"))
	}
	get(anon, threadURL, 200, "<blockquote>", "data-reader-badge", "Luna Vale")
	get(anon, threadURL+"?page=x", 400)
	get(anon, "/forum/t/999999", 404)
	get(anon, "/forum/t/abc", 404)

	editURL := "/forum/posts/" + id(first.ID) + "/edit"
	get(luna, editURL, 403)
	get(client, editURL, 200, "How do you make **moon water**?")
	post(client, editURL, url.Values{"body": {""}}, 400, "Write 1 to")
	post(client, editURL, url.Values{"body": {"How do you make **moon water** at home?"}}, 303)
	get(anon, threadURL, 200, "data-edited", "at home")
	get(admin, threadURL, 200, "/forum/posts/"+id(first.ID)+"/revisions")
	get(admin, "/forum/posts/"+id(first.ID)+"/revisions", 200, "How do you make **moon water**?", "at home")
	get(client, "/forum/posts/"+id(first.ID)+"/revisions", 403)

	post(client, "/forum/posts/"+id(first.ID)+"/delete", nil, 303) // others replied: refused, said on the page
	get(client, threadURL, 200, "Others have replied")

	post(admin, threadURL+"/moderate", url.Values{"pinned": {"true"}}, 303)
	post(admin, threadURL+"/moderate", url.Values{"locked": {"true"}}, 303)
	post(admin, threadURL+"/moderate", url.Values{"category": {"nowhere"}}, 404)
	get(admin, threadURL, 200, "Unpin", "Unlock", "data-pinned", "data-locked")
	get(client, threadURL, 200, "This thread is locked")
	post(client, threadURL+"/posts", url.Values{"body": {"One more"}}, 409)
	get(anon, "/forum/c/general-talk", 200, "data-pinned", "1 reply")

	get(anon, "/forum/search?q=moon+water", 200, "Moon water", "2 posts found", "/forum/posts/"+id(first.ID))
	get(anon, "/forum/search?q="+strings.Repeat("a", 201), 400, "Search with at most")
}

// threadID is the id at the end of a thread's path, /forum/t/12.
func threadID(t *testing.T, path string) int64 {
	t.Helper()
	n, err := strconv.ParseInt(strings.TrimPrefix(path, "/forum/t/"), 10, 64)
	if err != nil {
		t.Fatalf("no thread id in %q", path)
	}
	return n
}

// forumPagesOf gives a test two ways to use pages: get asks for a page
// and post sends a form, each failing the test unless the answer has the
// status and holds every one of wants; get returns the page.
func forumPagesOf(t *testing.T) (get func(*apptest.Client, string, int, ...string) string, post func(*apptest.Client, string, url.Values, int, ...string) apptest.Response) {
	expect := func(what string, res apptest.Response, status int, wants []string) {
		t.Helper()
		if res.Status != status {
			t.Fatalf("%s: %d, want %d: %.800s", what, res.Status, status, res.Body)
		}
		for _, want := range wants {
			if !strings.Contains(string(res.Body), want) {
				t.Errorf("%s lacks %q", what, want)
			}
		}
	}
	get = func(c *apptest.Client, path string, status int, wants ...string) string {
		t.Helper()
		res := c.Do("GET", path, nil)
		expect("GET "+path, res, status, wants)
		return string(res.Body)
	}
	post = func(c *apptest.Client, path string, v url.Values, status int, wants ...string) apptest.Response {
		t.Helper()
		res := c.Form(path, v)
		expect("POST "+path, res, status, wants)
		return res
	}
	return get, post
}

// generalCategory is a forum category the admin made, "General".
func (w *world) generalCategory(t *testing.T) forum.Category {
	t.Helper()
	c, err := w.s.App.Forum.CreateCategory(ctx, w.admin, forum.CategoryInput{Name: "General"})
	if err != nil {
		t.Fatal(err)
	}
	return c
}
