package web

import (
	"html/template"
	"net/http"
	"strings"

	"github.com/soulseer/soulseer/internal/apperr"
	"github.com/soulseer/soulseer/internal/forum"
	"github.com/soulseer/soulseer/internal/markup"
	"github.com/soulseer/soulseer/internal/upload"
)

// composer is a post's form as the user typed it: a new thread (with a
// title), a reply or an edit, with its preview and what was refused.
type composer struct {
	Action    string // where the form posts
	WithTitle bool
	Title     string
	Body      string
	Submit    string            // the button's words
	Preview   template.HTML     // the body rendered as it would be posted, when asked for
	Errors    map[string]string // what was refused, by field
	MaxTitle  int
	MaxBody   int
	// Attach offers files to attach (new threads and replies), and
	// Attachments are the uploads chosen so far, kept through a preview
	// or a refusal (COM-3).
	Attach      bool
	Attachments []upload.Upload
}

// attachmentIDs are the ids of the chosen uploads, for the post.
func (c *composer) attachmentIDs() []int64 {
	ids := make([]int64, len(c.Attachments))
	for i, u := range c.Attachments {
		ids[i] = u.ID
	}
	return ids
}

// newComposer is an empty composer posting to action.
func newComposer(action, submit string) composer {
	return composer{Action: action, Submit: submit, MaxTitle: forum.MaxTitleLen, MaxBody: forum.MaxBodyLen}
}

// read fills the composer from the posted form and reports whether the
// user asked for a preview rather than to post, rendering it if so.
func (c *composer) read(r *http.Request) bool {
	c.Title, c.Body = r.PostFormValue("title"), r.PostFormValue("body")
	if r.PostFormValue("preview") == "" {
		return false
	}
	c.Preview = markup.Render(c.Body)
	return true
}

// refused records a validation error beside its fields and reports
// whether err was one; other errors are left to the caller.
func (c *composer) refused(err error) bool {
	e := apperr.As(err)
	if e == nil || e.Code != apperr.Invalid {
		return false
	}
	c.Errors = e.Fields
	return true
}

// quote is p as a Markdown quote naming its author, for a reply.
func quote(p forum.Post) string {
	var b strings.Builder
	b.WriteString("> **" + p.Author.DisplayName + "** wrote:\n>\n")
	for _, line := range strings.Split(strings.TrimSpace(p.Body), "\n") {
		b.WriteString(strings.TrimRight("> "+line, " ") + "\n")
	}
	b.WriteString("\n")
	return b.String()
}
