package community

import (
	"strings"
	"testing"

	"github.com/soulseer/soulseer/internal/db"
	"github.com/soulseer/soulseer/internal/demo"
	"github.com/soulseer/soulseer/internal/e2e"
)

// TestForum follows a thread through the forum's pages in three browsers
// on every engine, on the demo's data. COM-2: the client opens the forum
// from the header, starts a thread in Tarot & oracle with Markdown,
// previewed before posting; Luna, a reader, quotes it (the composer fills
// with the quote) and replies with her reader badge; the client edits
// the opening post and it shows "edited"; the forum's search finds the
// thread. The admin pins and locks it (the client is told it is locked)
// and reads the post's history. COM-1: the admin adds a category on the
// admin's forum page and it appears on the forum's index. Every page is
// checked by axe-core at desktop and phone width.
func TestForum(t *testing.T) {
	e2e.EachEngine(t, testForum)
}

const (
	threadTitle = "Reading the Moon card in a love spread"
	threadBody  = "The **Moon** keeps turning up in my love spreads.\n\nDoes it always mean *confusion*?"
	lunaReply   = "Not always: it asks you to trust what you feel before you can see it."
)

func testForum(t *testing.T, e db.Engine) {
	st := e2e.Demo(t, e)
	b := st.B

	// The client starts a thread.
	cl := b.NewTab("client")
	st.LogIn(cl, demo.ClientEmail, demo.Password, "/dashboard")
	cl.ClickNav(`.nav a[href="/forum"]`)
	cl.WaitText(".page-head h1", "Forum")
	cl.WaitText(`[data-category="readers-lounge"]`, "Readers post")
	cl.Screenshot("forum")
	cl.ClickNav(`[data-category="tarot-oracle"] h2 a`)
	cl.WaitText(".page-head h1", "Tarot & oracle")
	cl.ClickNav(`a[href="/forum/c/tarot-oracle/new"]`)
	cl.Fill(`input[name="title"]`, threadTitle)
	cl.Fill(`textarea[name="body"]`, threadBody)
	cl.ClickNav(`button[name="preview"]`)
	cl.WaitText("[data-preview] strong", "Moon")
	cl.WaitText("[data-preview] em", "confusion")
	if got := cl.Value(`textarea[name="body"]`); got != threadBody {
		t.Fatalf("after the preview the composer holds %q", got)
	}
	cl.ClickNav(`.forum-composer button.btn-gold`)
	if p := cl.Path(); !strings.HasPrefix(p, "/forum/t/") {
		t.Fatalf("starting a thread led to %s", p)
	}
	threadPath := cl.Path()
	cl.WaitText(".page-head h1", threadTitle)
	cl.WaitText("[data-post] .post-body strong", "Moon")

	// Luna quotes it and replies.
	luna := b.NewTab("reader")
	st.LogIn(luna, "luna@soulseer.demo", demo.Password, "/reader/dashboard")
	luna.Visit("/forum/c/tarot-oracle")
	luna.ClickNav(`[data-threads] a[href="` + threadPath + `"]`)
	luna.ClickNav(`[data-post] [data-quote]`)
	if got := luna.Value(`textarea[name="body"]`); !strings.Contains(got, "> **Alex Rivers** wrote:") || !strings.Contains(got, "> The **Moon** keeps turning up") {
		t.Fatalf("Quote filled the composer with %q", got)
	}
	luna.Fill(`textarea[name="body"]`, luna.Value(`textarea[name="body"]`)+lunaReply)
	luna.ClickNav(`.forum-composer button.btn-gold`)
	luna.WaitText("[data-post]:last-of-type blockquote", "keeps turning up")
	luna.WaitText("[data-post]:last-of-type .post-body", "trust what you feel")
	luna.WaitText("[data-post]:last-of-type [data-reader-badge]", "Reader")

	// The client edits the opening post: it shows "edited".
	cl.Visit(threadPath)
	cl.WaitText("[data-post]:last-of-type .post-body", "trust what you feel")
	cl.ClickNav(`[data-post]:first-of-type a[href$="/edit"]`)
	cl.WaitText(".page-head h1", "Edit post")
	cl.Fill(`textarea[name="body"]`, threadBody+"\n\nThank you all!")
	cl.ClickNav(`.forum-composer button.btn-gold`)
	cl.WaitText("[data-post]:first-of-type [data-edited]", "edited")
	cl.WaitText("[data-post]:first-of-type .post-body", "Thank you all!")
	cl.Visit(threadPath)
	cl.Screenshot("forum-thread")

	// Search finds it.
	cl.Visit("/forum")
	cl.Fill(`#forum-q`, "moon love spreads")
	cl.ClickNav(`.forum-search button`)
	cl.WaitText("[data-hits] h3 a", threadTitle)
	cl.Screenshot("forum-search")

	// The admin pins and locks it and reads the history.
	ad := b.NewTab("admin")
	st.LogIn(ad, demo.AdminEmail, demo.Password, "/admin")
	ad.Visit(threadPath)
	ad.ClickNav(`[data-thread-admin] button:is([type="submit"])`) // Pin
	ad.WaitText(".flash", "pinned")
	ad.WaitText("[data-pinned]", "Pinned")
	ad.ClickNav(`[data-thread-admin] form:nth-of-type(2) button`) // Lock
	ad.WaitText("[data-locked]", "Locked")
	ad.ClickNav(`[data-post]:first-of-type a[href$="/revisions"]`)
	ad.WaitText("[data-revisions] li:first-child .forum-source", "Does it always mean *confusion*?")
	cl.Visit(threadPath)
	cl.WaitText("[data-why-not]", "locked")
	cl.Visit("/forum/c/tarot-oracle")
	cl.WaitText(`[data-thread]:first-child [data-pinned]`, "Pinned")
	cl.Screenshot("forum-category")

	// COM-1: the admin adds a category; the index shows it.
	ad.Visit("/admin")
	ad.ClickNav(`.tabs a[href="/admin/forum"]`)
	ad.Fill(`#category-new-name`, "Dreams")
	ad.Fill(`#category-new-description`, "What your dreams are telling you.")
	ad.Fill(`#category-new-order`, "4")
	ad.ClickNav(`#category-new button`)
	ad.WaitText(".flash", "saved")
	ad.Screenshot("admin-forum")
	cl.Visit("/forum")
	cl.WaitText(`[data-category="dreams"]`, "What your dreams are telling you.")
}
