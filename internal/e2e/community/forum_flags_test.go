package community

import (
	"bytes"
	"image"
	"image/color"
	"image/png"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/soulseer/soulseer/internal/browsertest"
	"github.com/soulseer/soulseer/internal/db"
	"github.com/soulseer/soulseer/internal/demo"
	"github.com/soulseer/soulseer/internal/e2e"
)

// TestForumFlags follows a post with a picture through flagging and the
// moderation queue in three browsers on every engine, on the demo's data.
// COM-3: the client starts a thread choosing a picture in the composer's
// file input (uploaded at once, with its progress, then listed with a
// preview; a file that is no picture is refused in place with the site's
// reason and removed), the picture is kept through a preview, and the
// thread shows its thumbnail linking to the picture.
// COM-4: Luna flags the post as spam and is thanked. COM-7: the post now
// shows behind "Flagged — under review", opened with a click. COM-6: the
// admin opens Admin → Flags, finds the post with its reason and hides it
// with a note; the client then sees it hidden by moderators and has a
// notification saying so. Every page is checked by axe-core at desktop and
// phone width.
func TestForumFlags(t *testing.T) {
	e2e.EachEngine(t, testForumFlags)
}

func testForumFlags(t *testing.T, e db.Engine) {
	st := e2e.Demo(t, e)
	b := st.B
	picture := filepath.Join(t.TempDir(), "my-altar.png")
	if err := os.WriteFile(picture, altarPNG(t), 0o600); err != nil {
		t.Fatal(err)
	}

	// COM-3: a thread with a picture.
	cl := b.NewTab("client")
	st.LogIn(cl, demo.ClientEmail, demo.Password, "/dashboard")
	cl.Visit("/forum/c/tarot-oracle/new")
	cl.Fill(`input[name="title"]`, "My altar for the new moon")
	cl.Fill(`textarea[name="body"]`, "Candles, a bowl of water and the **Star** card.")
	notPicture := filepath.Join(t.TempDir(), "notes.png")
	if err := os.WriteFile(notPicture, []byte("<html><script>alert(1)</script></html>"), 0o600); err != nil {
		t.Fatal(err)
	}
	cl.ExpectConsoleError("400") // the refused upload
	cl.SetFiles(`input[data-attach-input]`, notPicture)
	cl.WaitText(`[data-attach-list] [data-attach-refused] .field-error`, "Upload a picture (JPEG, PNG, WebP or GIF) or a PDF.")
	cl.Click(`[data-attach-list] [data-attach-refused] [data-attach-remove]`)
	if n := cl.Count(`[data-attach-list] li`); n != 0 {
		t.Fatalf("Remove left %d files listed", n)
	}
	cl.SetFiles(`input[data-attach-input]`, picture)
	cl.WaitVisible(`[data-attach-list] [data-attachment] img`)
	cl.WaitText(`[data-attach-list] [data-attachment] .attach-name`, "my-altar.png")
	cl.ClickNav(`button[name="preview"]`)
	cl.WaitText(`[data-attach-list] [data-attachment] .attach-name`, "my-altar.png") // kept through the preview
	cl.ClickNav(`.forum-composer button.btn-gold`)
	if p := cl.Path(); !strings.HasPrefix(p, "/forum/t/") {
		t.Fatalf("starting a thread led to %s", p)
	}
	threadPath := cl.Path()
	postID := cl.Attrs(`[data-post]:first-of-type`, "data-post")[0]
	cl.WaitVisible(`[data-post] [data-attachments] a[data-picture] img[alt="my-altar.png"]`)
	if ok := cl.Count(`[data-post] [data-attachments] a[href$="/my-altar.png"]`); ok != 1 {
		t.Fatalf("the picture links to itself %d times", ok)
	}
	cl.Screenshot("forum-attachment")

	// COM-4: Luna flags the post as spam.
	luna := b.NewTab("reader")
	st.LogIn(luna, "luna@soulseer.demo", demo.Password, "/reader/dashboard")
	luna.Visit(threadPath)
	luna.ClickNav(`[data-post]:first-of-type [data-flag]`)
	luna.WaitText(".page-head h1", "Flag this post")
	luna.Screenshot("flag")
	luna.Click(`input[name="reason"][value="spam"]`)
	luna.ClickNav(`[data-flag-form] button.btn-gold`)
	luna.WaitText(".flash", "Thank you")
	if p := luna.Path(); p != threadPath { // back on the thread, at the post
		t.Fatalf("after flagging Luna is on %s", p)
	}

	// COM-7: the post shows behind the warning.
	luna.WaitText(`[data-post]:first-of-type [data-flagged-post] summary`, "Flagged — under review")
	if browsertest.Eval[bool](luna, `document.querySelector("[data-post]:first-of-type [data-flagged-post]").open`) {
		t.Fatalf("the flagged post shows open")
	}
	luna.Click(`[data-post]:first-of-type [data-flagged-post] summary`)
	luna.WaitText(`[data-post]:first-of-type [data-flagged-post] .post-body strong`, "Star")

	// COM-6: the admin hides it from the queue.
	ad := b.NewTab("admin")
	st.LogIn(ad, demo.AdminEmail, demo.Password, "/admin")
	ad.ClickNav(`.tabs a[href="/admin/flags"]`)
	ad.WaitText(".page-head h1", "Moderation queue")
	item := `[data-flagged="post-` + postID + `"]`
	ad.WaitText(item+" .flag-reasons", "Luna")
	ad.WaitText(item+" .flag-text", "Candles, a bowl of water")
	ad.Screenshot("admin-flags")
	ad.Click(item + ` input[name="action"][value="hide"]`)
	ad.Fill(item+` textarea[name="note"]`, "Please keep the forum for questions.")
	ad.ClickNav(item + ` button.btn-gold`)
	ad.WaitText(".flash", "Decided: hide")
	if n := ad.Count(item); n != 0 {
		t.Fatalf("the decided post is still in the queue")
	}

	// The client sees it hidden and is told.
	cl.Visit(threadPath)
	cl.WaitText(`[data-post]:first-of-type [data-hidden]`, "Hidden by moderators")
	if n := cl.Count(`[data-post]:first-of-type [data-attachments]`); n != 0 {
		t.Fatalf("the hidden post still shows its picture")
	}
	cl.Visit("/notifications")
	cl.WaitText("main", "A moderator hid your post")
	cl.WaitText("main", "Please keep the forum for questions.")
}

// altarPNG is a small picture to attach.
func altarPNG(t *testing.T) []byte {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, 120, 80))
	for y := range 80 {
		for x := range 120 {
			img.Set(x, y, color.RGBA{R: uint8(40 + x), G: uint8(20 + y), B: 120, A: 255})
		}
	}
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}
