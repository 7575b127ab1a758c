package web_test

import (
	"bytes"
	"fmt"
	"mime/multipart"
	"net/url"
	"strings"
	"testing"

	"github.com/soulseer/soulseer/internal/account"
	"github.com/soulseer/soulseer/internal/apperr"
	"github.com/soulseer/soulseer/internal/apptest"
	"github.com/soulseer/soulseer/internal/flag"
	"github.com/soulseer/soulseer/internal/forum"
)

// multipartForm is a body of fields and files (field, name, bytes
// triples), as a browser sends a form with a file input.
func multipartForm(t *testing.T, fields url.Values, files ...any) ([]byte, string) {
	t.Helper()
	var b bytes.Buffer
	mw := multipart.NewWriter(&b)
	for k, vs := range fields {
		for _, v := range vs {
			mw.WriteField(k, v)
		}
	}
	for i := 0; i+2 < len(files); i += 3 {
		f, err := mw.CreateFormFile(files[i].(string), files[i+1].(string))
		if err != nil {
			t.Fatal(err)
		}
		f.Write(files[i+2].([]byte))
	}
	mw.Close()
	return b.Bytes(), mw.FormDataContentType()
}

// COM-3: the composer's attachments on both engines. The new-thread page
// and a thread's reply composer offer the file input; attachment_ids
// from the page's script are attached, kept (with their names) through a
// preview, and an id that is not the poster's fresh upload is refused
// beside the input with nothing posted; without JavaScript the files
// come with the form and are uploaded and attached, a bad file refused
// beside the input. The thread shows a picture as a thumbnail linking to
// it (alt: its name) and a PDF as a download with its size.
func TestForumAttachmentPages_COM3(t *testing.T) {
	eachApp(t, func(t *testing.T, s *apptest.Server) {
		w := newWorld(t, s)
		get, post := forumPagesOf(t)
		client, luna := w.as["client"], w.as["reader"]
		c := w.generalCategory(t)
		newURL := "/forum/c/" + c.Slug + "/threads"
		get(client, "/forum/c/"+c.Slug+"/new", 200, `enctype="multipart/form-data"`, "Attach pictures or PDFs", `type="file" name="file"`, "/static/js/attach.")
		pic, err := s.App.Uploads.Create(ctx, w.client, "altar.png", pngBytes(t, 60, 40))
		if err != nil {
			t.Fatal(err)
		}
		pdf, err := s.App.Uploads.Create(ctx, w.client, "chart.pdf", []byte("%PDF-1.4\n1 0 obj << >> endobj\n%%EOF\n"))
		if err != nil {
			t.Fatal(err)
		}
		lunas, err := s.App.Uploads.Create(ctx, w.reader, "hers.png", pngBytes(t, 8, 8))
		if err != nil {
			t.Fatal(err)
		}
		form := url.Values{"title": {"My altar"}, "body": {"Here it is."}, "attachment_ids": {id(pic.ID), id(pdf.ID)}, "preview": {"1"}}
		post(client, newURL, form, 200, "data-preview", `name="attachment_ids" value="`+id(pic.ID)+`"`, `name="attachment_ids" value="`+id(pdf.ID)+`"`, "altar.png", "chart.pdf")
		for _, bad := range []string{id(lunas.ID), "x", "999999"} {
			f := url.Values{"title": {"My altar"}, "body": {"Here it is."}, "attachment_ids": {id(pic.ID), bad}}
			page := post(client, newURL, f, 400, "field-error", "Attach only files you have just uploaded", `value="My altar"`)
			if strings.Contains(string(page.Body), `value="`+bad+`"`) {
				t.Errorf("a refused id %q is offered again", bad)
			}
		}
		if cs, _ := s.App.Forum.Categories(ctx, false); cs[0].ThreadCount != 0 {
			t.Fatalf("a preview or a refusal posted a thread")
		}
		form.Del("preview")
		res := post(client, newURL, form, 303)
		threadURL := res.Header.Get("Location")
		page := get(w.as["anon"], threadURL, 200, `<img src="/uploads/`+id(pic.ID)+`/thumb" alt="altar.png"`, `href="/uploads/`+id(pic.ID)+`/altar.png"`,
			`href="/uploads/`+id(pdf.ID)+`/chart.pdf" download`, "PDF, ")
		if !strings.Contains(page, "data-attachments") {
			t.Errorf("no attachments on the thread")
		}

		// Without JavaScript: the files come with the reply.
		body, ct := multipartForm(t, url.Values{"body": {"Mine too."}}, "file", "mine.png", pngBytes(t, 30, 30))
		res = luna.Do("POST", threadURL+"/posts", body, "Content-Type", ct)
		if res.Status != 303 {
			t.Fatalf("a reply with a file: %d %.500s", res.Status, res.Body)
		}
		_, posts, _, err := s.App.Forum.Thread(ctx, threadID(t, threadURL), 1)
		if err != nil {
			t.Fatal(err)
		}
		if len(posts) != 2 || len(posts[1].Attachments) != 1 || posts[1].Attachments[0].Name != "mine.png" {
			t.Fatalf("the reply's attachments: %+v", posts)
		}
		body, ct = multipartForm(t, url.Values{"body": {"And this."}}, "file", "page.png", []byte("<html><script>alert(1)</script></html>"))
		res = luna.Do("POST", threadURL+"/posts", body, "Content-Type", ct)
		if res.Status != 400 || !strings.Contains(string(res.Body), "field-error") || !strings.Contains(string(res.Body), "And this.") {
			t.Errorf("a reply with a bad file: %d %.500s", res.Status, res.Body)
		}
		body, ct = multipartForm(t, url.Values{"body": {"Someone else's"}, "attachment_ids": {id(pic.ID)}})
		if res := luna.Do("POST", threadURL+"/posts", body, "Content-Type", ct); res.Status != 400 || !strings.Contains(string(res.Body), "Attach only files") {
			t.Errorf("a reply with an attached upload: %d %.300s", res.Status, res.Body)
		}
		if _, posts, _, _ = s.App.Forum.Thread(ctx, threadID(t, threadURL), 1); len(posts) != 2 {
			t.Errorf("refused replies posted: %d posts", len(posts))
		}
	})
}

// COM-4, COM-7: on a thread's page, each post of someone else offers Flag
// (the opening post also the thread), returning to the post; one's own
// does not. A flagged post shows behind "Flagged — under review" that the
// reader opens; once enough people flagged it, it is "Hidden — under
// review" without its text or pictures; after the admin hides it, "Hidden
// by moderators". Admins read the page the same way.
func TestForumFlaggedPosts_COM4_COM7(t *testing.T) {
	eachApp(t, func(t *testing.T, s *apptest.Server) {
		w := newWorld(t, s)
		get, _ := forumPagesOf(t)
		c := w.generalCategory(t)
		pic, err := s.App.Uploads.Create(ctx, w.client, "altar.png", pngBytes(t, 20, 20))
		if err != nil {
			t.Fatal(err)
		}
		th, err := s.App.Forum.CreateThread(ctx, w.client, c.Slug, forum.ThreadInput{Title: "Spam here", Body: "Buy my *crystals*", Attachments: []int64{pic.ID}})
		if err != nil {
			t.Fatal(err)
		}
		_, posts, _, err := s.App.Forum.Thread(ctx, th.ID, 1)
		if err != nil {
			t.Fatal(err)
		}
		postID := posts[0].ID
		threadURL := fmt.Sprintf("/forum/t/%d", th.ID)
		flagPost := "/flag?" + url.Values{"next": {threadURL + "#post-" + id(postID)}, "target_id": {id(postID)}, "target_type": {"post"}}.Encode()
		flagThread := "/flag?" + url.Values{"next": {threadURL}, "target_id": {id(th.ID)}, "target_type": {"thread"}}.Encode()
		get(w.as["reader"], threadURL, 200, `href="`+strings.ReplaceAll(flagPost, "&", "&amp;")+`"`, `href="`+strings.ReplaceAll(flagThread, "&", "&amp;")+`"`)
		for _, who := range []string{"client", "anon"} {
			if page := get(w.as[who], threadURL, 200); strings.Contains(page, "data-flag") {
				t.Errorf("%s is offered Flag", who)
			}
		}
		raise := func(u account.User) {
			t.Helper()
			if _, err := s.App.Flags.Raise(ctx, u, flag.RaiseInput{TargetType: forum.TargetPost, TargetID: postID, Reason: "spam"}); err != nil {
				t.Fatal(err)
			}
		}
		raise(w.reader)
		for _, who := range []string{"anon", "admin", "client"} {
			get(w.as[who], threadURL, 200, "<details", "Flagged — under review", "<em>crystals</em>", "altar.png")
		}
		raise(w.pending)
		raise(w.admin)
		for _, who := range []string{"anon", "admin"} {
			page := get(w.as[who], threadURL, 200, "Hidden — under review")
			if strings.Contains(page, "crystals") || strings.Contains(page, "altar.png") || strings.Contains(page, "data-flag=") {
				t.Errorf("%s sees the hidden post's text, pictures or Flag", who)
			}
		}
		if _, err := s.App.Flags.Decide(ctx, w.admin, forum.TargetPost, postID, flag.Decision{Action: "hide"}); err != nil {
			t.Fatal(err)
		}
		if page := get(w.as["reader"], threadURL, 200, "Hidden by moderators"); strings.Contains(page, "crystals") || strings.Contains(page, "under review") {
			t.Errorf("the hidden post after the decision: %.800s", page)
		}
	})
}

// COM-7, COM-5: a flagged thread. Its category lists it "Under review" and
// its page keeps its posts behind "This thread is flagged — under review"
// that the reader opens; once enough people flagged it, the category leaves
// it out and its page says it is hidden under review, without its text and
// without the reply composer (a reply is refused); after the admin
// dismisses the flags it reads as before, with no warning.
func TestForumFlaggedThread_COM7(t *testing.T) {
	eachApp(t, func(t *testing.T, s *apptest.Server) {
		w := newWorld(t, s)
		get, _ := forumPagesOf(t)
		c := w.generalCategory(t)
		th, err := s.App.Forum.CreateThread(ctx, w.client, c.Slug, forum.ThreadInput{Title: "Cheap crystals", Body: "Visit my *shop*"})
		if err != nil {
			t.Fatal(err)
		}
		threadURL, categoryURL := fmt.Sprintf("/forum/t/%d", th.ID), "/forum/c/"+c.Slug
		if page := get(w.as["reader"], threadURL, 200, "<em>shop</em>", `id="reply"`); strings.Contains(page, "under review") {
			t.Errorf("an unflagged thread shows a warning")
		}
		raise := func(u account.User) {
			t.Helper()
			if _, err := s.App.Flags.Raise(ctx, u, flag.RaiseInput{TargetType: forum.TargetThread, TargetID: th.ID, Reason: "spam"}); err != nil {
				t.Fatal(err)
			}
		}
		raise(w.reader)
		get(w.as["anon"], categoryURL, 200, "Cheap crystals", "data-flagged-thread", "Under review")
		for _, who := range []string{"anon", "client", "admin"} {
			get(w.as[who], threadURL, 200, "<details", "data-flagged-thread", "This thread is flagged — under review", "<em>shop</em>")
		}
		raise(w.pending)
		raise(w.admin)
		if page := get(w.as["anon"], categoryURL, 200); strings.Contains(page, "Cheap crystals") {
			t.Errorf("the category lists the hidden thread")
		}
		for _, who := range []string{"anon", "reader", "admin"} {
			page := get(w.as[who], threadURL, 200, "This thread is hidden — under review.")
			if strings.Contains(page, "shop</em>") || strings.Contains(page, "Hidden by moderators") || strings.Contains(page, "forum-composer") {
				t.Errorf("%s sees the hidden thread's text, a post's notice or the composer", who)
			}
		}
		if _, err := s.App.Forum.Reply(ctx, w.reader, th.ID, "Me too"); apperr.CodeOf(err) != apperr.Conflict {
			t.Errorf("a reply to the hidden thread: %v, want a conflict", err)
		}
		if _, err := s.App.Flags.Decide(ctx, w.admin, forum.TargetThread, th.ID, flag.Decision{Action: "dismiss"}); err != nil {
			t.Fatal(err)
		}
		if page := get(w.as["reader"], threadURL, 200, "<em>shop</em>", `id="reply"`); strings.Contains(page, "under review") || strings.Contains(page, "data-thread-hidden") {
			t.Errorf("the thread after its flags were dismissed still warns")
		}
		get(w.as["anon"], categoryURL, 200, "Cheap crystals")
	})
}
