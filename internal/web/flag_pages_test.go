package web_test

import (
	"bytes"
	"mime/multipart"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/soulseer/soulseer/internal/account"
	"github.com/soulseer/soulseer/internal/apptest"
)

// multipartFile is a body with one file in field.
func multipartFile(t *testing.T, field, name string, data []byte) ([]byte, string) {
	t.Helper()
	var b bytes.Buffer
	mw := multipart.NewWriter(&b)
	f, err := mw.CreateFormFile(field, name)
	if err != nil {
		t.Fatal(err)
	}
	f.Write(data)
	mw.Close()
	return b.Bytes(), mw.FormDataContentType()
}

// COM-3: an upload through the API is served to its owner with the type
// its bytes have, nosniff, sandboxed and named — a PDF as a download — and
// to no one else until a thread carries it (attachment_ids), then to
// anyone, and the thread shows it; someone else's upload cannot be
// attached; bad files are a 400 naming the field.
func TestUploadAPI_COM3(t *testing.T) {
	eachApp(t, func(t *testing.T, s *apptest.Server) {
		w := newWorld(t, s)
		body, ct := multipartFile(t, "file", "altar.png", pngBytes(t, 40, 30))
		res := w.as["client"].Do("POST", "/api/v1/uploads", body, "Content-Type", ct)
		var up struct {
			ID          int64  `json:"id"`
			URL         string `json:"url"`
			ThumbURL    string `json:"thumb_url"`
			ContentType string `json:"content_type"`
		}
		if res.Status != http.StatusCreated {
			t.Fatalf("upload: %d %s", res.Status, res.Body)
		}
		res.JSON(t, &up)
		if up.ContentType != "image/png" || up.URL != "/uploads/"+id(up.ID)+"/altar.png" || up.ThumbURL == "" {
			t.Fatalf("upload %+v", up)
		}
		got := w.as["client"].Do("GET", up.URL, nil)
		if got.Status != http.StatusOK || got.Header.Get("Content-Type") != "image/png" || got.Header.Get("X-Content-Type-Options") != "nosniff" ||
			!strings.HasPrefix(got.Header.Get("Content-Disposition"), "inline") || !strings.Contains(got.Header.Get("Content-Security-Policy"), "sandbox") {
			t.Errorf("served to its owner: %d %v", got.Status, got.Header)
		}
		for _, who := range []string{"anon", "reader"} {
			if res := w.as[who].Do("GET", up.URL, nil); res.Status != http.StatusNotFound {
				t.Errorf("%s before it is posted: %d", who, res.Status)
			}
		}
		if res := w.as["client"].Do("GET", "/uploads/"+id(up.ID)+"/other.png", nil); res.Status != http.StatusNotFound {
			t.Errorf("another name: %d", res.Status)
		}
		c := w.generalCategory(t)
		res = w.as["client"].Do("POST", "/api/v1/forum/categories/"+c.Slug+"/threads", map[string]any{"title": "Altar", "body": "Mine", "attachment_ids": []int64{up.ID}})
		var th struct {
			ID int64 `json:"id"`
		}
		if res.Status != http.StatusCreated {
			t.Fatalf("a thread with the picture: %d %s", res.Status, res.Body)
		}
		res.JSON(t, &th)
		var shown struct {
			Posts []struct {
				Attachments []struct {
					URL   string `json:"url"`
					Image bool   `json:"image"`
				} `json:"attachments"`
			} `json:"posts"`
		}
		w.as["anon"].Do("GET", "/api/v1/forum/threads/"+id(th.ID), nil).JSON(t, &shown)
		if len(shown.Posts) != 1 || len(shown.Posts[0].Attachments) != 1 || shown.Posts[0].Attachments[0].URL != up.URL || !shown.Posts[0].Attachments[0].Image {
			t.Errorf("the thread's attachments: %+v", shown)
		}
		if p := problemOf(t, w.as["reader"].Do("POST", "/api/v1/forum/threads/"+id(th.ID)+"/posts", map[string]any{"body": "Lovely", "attachment_ids": []int64{up.ID}}),
			http.StatusBadRequest); p.Errors["attachment_ids"] == "" {
			t.Errorf("a reply with someone else's upload: %+v", p)
		}
		if res := w.as["anon"].Do("GET", up.URL, nil); res.Status != http.StatusOK || !bytes.HasPrefix(res.Body, []byte("\x89PNG")) {
			t.Errorf("anyone once posted: %d", res.Status)
		}
		if res := w.as["anon"].Do("GET", up.ThumbURL, nil); res.Status != http.StatusOK || res.Header.Get("Content-Type") != "image/jpeg" {
			t.Errorf("the thumbnail: %d %v", res.Status, res.Header)
		}

		pdf := []byte("%PDF-1.4\n1 0 obj << >> endobj\n%%EOF\n")
		body, ct = multipartFile(t, "file", "chart.pdf", pdf)
		res = w.as["client"].Do("POST", "/api/v1/uploads", body, "Content-Type", ct)
		res.JSON(t, &up)
		if got := w.as["client"].Do("GET", up.URL, nil); !strings.HasPrefix(got.Header.Get("Content-Disposition"), `attachment; filename=chart.pdf`) {
			t.Errorf("a PDF is a download: %v", got.Header)
		}

		body, ct = multipartFile(t, "file", "cat.png", []byte("<html><script>alert(1)</script></html>"))
		p := problemOf(t, w.as["client"].Do("POST", "/api/v1/uploads", body, "Content-Type", ct), http.StatusBadRequest)
		if p.Errors["file"] == "" {
			t.Errorf("HTML named .png: %+v", p)
		}
		body, ct = multipartFile(t, "photo", "a.png", pngBytes(t, 4, 4))
		if p := problemOf(t, w.as["client"].Do("POST", "/api/v1/uploads", body, "Content-Type", ct), http.StatusBadRequest); p.Errors["file"] == "" {
			t.Errorf("no file field: %+v", p)
		}
		if res := w.as["client"].Do("POST", "/api/v1/uploads", "{}"); res.Status != http.StatusBadRequest {
			t.Errorf("JSON instead of a file: %d %s", res.Status, res.Body)
		}
	})
}

// COM-4, COM-6, SEC-3: the flag page refuses a missing reason beside its
// field, takes a flag and returns to the item; a second flag is refused
// with why and not counted; a sixth flag in a minute is a 429 with
// Retry-After, on the page and through the API. The admin
// decides from the queue page, audited by the service; deciding again is
// told, not a 500.
func TestFlagPages_COM4_COM6(t *testing.T) {
	eachApp(t, func(t *testing.T, s *apptest.Server) {
		w := newWorld(t, s)
		client := w.as["client"]
		page := client.Do("GET", "/flag?target_type=profile&target_id="+id(w.reader.ID)+"&next=/readers/"+id(w.reader.ID), nil)
		if page.Status != http.StatusOK || !strings.Contains(string(page.Body), "Flag this profile") || !strings.Contains(string(page.Body), `value="harassment"`) {
			t.Fatalf("the flag page: %d %.300s", page.Status, page.Body)
		}
		form := url.Values{"target_type": {"profile"}, "target_id": {id(w.reader.ID)}, "next": {"/readers/" + id(w.reader.ID)}}
		if res := client.Form("/flag", form); res.Status != http.StatusBadRequest || !strings.Contains(string(res.Body), "Choose why") {
			t.Errorf("no reason: %d %.300s", res.Status, res.Body)
		}
		form.Set("reason", "scam")
		if res := client.Form("/flag", form); res.Status != http.StatusSeeOther || res.Header.Get("Location") != "/readers/"+id(w.reader.ID) {
			t.Fatalf("flagged: %d %v", res.Status, res.Header)
		}
		if res := client.Form("/flag", form); res.Status != http.StatusConflict || !strings.Contains(string(res.Body), "already flagged") {
			t.Errorf("twice: %d %.300s", res.Status, res.Body)
		}
		form.Set("next", "https://evil.example/")
		if res := w.as["admin"].Form("/flag", form); res.Header.Get("Location") != "/" {
			t.Errorf("an outside next: %v", res.Header)
		}
		// the client's sixth flag in a minute (one so far: the one refused as a duplicate does not count)
		for i := range 4 {
			u := s.CreateUser("other-reader-"+id(int64(i))+"@example.com", account.RoleReader)
			if _, err := s.App.Readers.SetVerified(ctx, w.admin, u.ID, true); err != nil {
				t.Fatal(err)
			}
			if res := client.Form("/flag", url.Values{"target_type": {"profile"}, "target_id": {id(u.ID)}, "reason": {"spam"}}); res.Status != http.StatusSeeOther {
				t.Fatalf("flag %d: %d %.300s", i, res.Status, res.Body)
			}
		}
		res := client.Form("/flag", url.Values{"target_type": {"profile"}, "target_id": {id(w.pending.ID)}, "reason": {"spam"}})
		if res.Status != http.StatusTooManyRequests || res.Header.Get("Retry-After") == "" {
			t.Errorf("past the limit: %d %v", res.Status, res.Header)
		}
		res = client.Do("POST", "/api/v1/flags", map[string]any{"target_type": "profile", "target_id": w.pending.ID, "reason": "spam"})
		if problemOf(t, res, http.StatusTooManyRequests); res.Header.Get("Retry-After") == "" {
			t.Errorf("past the limit through the API: no Retry-After in %v", res.Header)
		}

		queue := w.as["admin"].Do("GET", "/admin/flags", nil)
		if queue.Status != http.StatusOK || !strings.Contains(string(queue.Body), "Moderation queue") || !strings.Contains(string(queue.Body), "A scam") {
			t.Fatalf("the queue: %d %.500s", queue.Status, queue.Body)
		}
		// the admin navigation counts the items waiting: the reader's profile and the four others'
		if !strings.Contains(string(queue.Body), `<span class="count-badge">5<span class="sr-only"> waiting</span></span>`) {
			t.Errorf("the admin navigation's count is missing: %.2000s", queue.Body)
		}
		var flagID int64
		if err := s.App.DB.Read().QueryRowContext(ctx, `SELECT min(id) FROM flags WHERE target_id = $1`, w.reader.ID).Scan(&flagID); err != nil {
			t.Fatal(err)
		}
		if res := w.as["admin"].Form("/admin/flags/"+id(flagID), url.Values{"action": {"warn"}, "note": {"Keep it honest."}}); res.Status != http.StatusSeeOther {
			t.Fatalf("warn: %d %.300s", res.Status, res.Body)
		}
		if res := w.as["admin"].Form("/admin/flags/"+id(flagID), url.Values{"action": {"warn"}}); res.Status != http.StatusSeeOther {
			t.Errorf("deciding twice: %d %.300s", res.Status, res.Body)
		}
		if res := w.as["admin"].Form("/admin/flags/999999", url.Values{"action": {"warn"}}); res.Status != http.StatusNotFound {
			t.Errorf("no such flag: %d", res.Status)
		}
		var told int
		if err := s.App.DB.Read().QueryRowContext(ctx, `SELECT count(*) FROM notifications WHERE user_id = $1 AND kind = 'moderation'`, w.reader.ID).Scan(&told); err != nil || told != 1 {
			t.Errorf("the reader told %d times: %v", told, err)
		}
		api := problemOf(t, client.Do("POST", "/api/v1/flags", map[string]any{"target_type": "wallet", "target_id": 1, "reason": "spam"}), http.StatusBadRequest)
		if api.Errors["target_type"] == "" {
			t.Errorf("an unknown kind through the API: %+v", api)
		}
		if p := problemOf(t, w.as["admin"].Do("GET", "/api/v1/admin/flags?status=resolved", nil), http.StatusBadRequest); p.Errors["status"] == "" {
			t.Errorf("another status: %+v", p)
		}
	})
}
