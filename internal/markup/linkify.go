package markup

import (
	"html/template"
	"net/url"
	"regexp"
	"strings"
)

// webAddress finds the web addresses in a text: http:// or https:// up to
// white space or a character that cannot be part of one.
var webAddress = regexp.MustCompile(`https?://[^\s<>"'` + "`" + `]+`)

// Linkify renders plain text — a message (MSG-1), a line of an email
// (EXT-6) — as HTML: every character escaped, and each web address a link
// that opens in a new tab, tells the site it leads to nothing about the
// page, and is marked as written by a user. Nothing else in the text is
// rendered. Punctuation that ends a sentence after an address is not part
// of it.
func Linkify(text string) template.HTML {
	var b strings.Builder
	last := 0
	for _, loc := range webAddress.FindAllStringIndex(text, -1) {
		start, end := loc[0], loc[1]
		end = start + len(strings.TrimRight(text[start:end], ".,;:!?)]}"))
		u, err := url.Parse(text[start:end])
		if err != nil || u.Host == "" {
			continue
		}
		b.WriteString(template.HTMLEscapeString(text[last:start]))
		addr := template.HTMLEscapeString(text[start:end])
		b.WriteString(`<a href="` + addr + `" target="_blank" rel="nofollow noopener noreferrer ugc">` + addr + `</a>`)
		last = end
	}
	b.WriteString(template.HTMLEscapeString(text[last:]))
	return template.HTML(b.String())
}
