// Package markup turns what users write in the forum — Markdown — into HTML
// that is safe to put in a page. Goldmark renders CommonMark with GitHub's
// tables, strikethrough and bare links, leaving out any raw HTML; then an
// allow-list (bluemonday's user-generated-content policy) keeps only plain
// formatting, links and images over http, https or mailto, so no script,
// event handler, style or javascript:/data: URL survives whatever was
// written. Links to other sites carry rel="nofollow ugc noopener" and open
// in a new tab. Plain text (messages, email) is rendered by Linkify, which
// makes only its web addresses links.
package markup

import (
	"bytes"
	"html/template"
	"net/url"
	"regexp"
	"strings"

	"github.com/microcosm-cc/bluemonday"
	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/extension"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"
)

// ExternalRel is the rel of every link to another site: no endorsement
// (nofollow), written by users (ugc), and the page it opens gets no handle
// on ours (noopener).
const ExternalRel = "nofollow ugc noopener"

var (
	md = goldmark.New(
		goldmark.WithExtensions(extension.Table, extension.Strikethrough, extension.Linkify),
		goldmark.WithParserOptions(parser.WithASTTransformers(util.Prioritized(externalLinks{}, 100))),
	)
	policy = newPolicy()
)

func newPolicy() *bluemonday.Policy {
	p := bluemonday.UGCPolicy()
	p.AllowURLSchemes("http", "https", "mailto")
	p.AllowAttrs("rel").Matching(regexp.MustCompile(`^` + ExternalRel + `$`)).OnElements("a")
	p.AllowAttrs("target").Matching(regexp.MustCompile(`^_blank$`)).OnElements("a")
	return p
}

// Render returns src, Markdown, as sanitised HTML. It never fails: what
// cannot be rendered safely is left out or shown as text.
func Render(src string) template.HTML {
	var buf bytes.Buffer
	if err := md.Convert([]byte(src), &buf); err != nil {
		// goldmark fails only when writing to buf fails, which it cannot;
		// show the text as written rather than nothing
		return template.HTML("<p>" + template.HTMLEscapeString(src) + "</p>")
	}
	return template.HTML(policy.SanitizeBytes(buf.Bytes())) // sanitised by the allow-list
}

// externalLinks marks links to other sites with ExternalRel and a new tab.
type externalLinks struct{}

func (externalLinks) Transform(doc *ast.Document, reader text.Reader, _ parser.Context) {
	src := reader.Source()
	_ = ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		var dest string
		switch l := n.(type) {
		case *ast.Link:
			dest = string(l.Destination)
		case *ast.AutoLink:
			if l.AutoLinkType != ast.AutoLinkURL {
				return ast.WalkContinue, nil
			}
			dest = string(l.URL(src))
		default:
			return ast.WalkContinue, nil
		}
		if external(dest) {
			n.SetAttributeString("rel", []byte(ExternalRel))
			n.SetAttributeString("target", []byte("_blank"))
		}
		return ast.WalkContinue, nil
	})
}

// external reports whether dest leaves the site: it names a host, or a
// scheme other than a page's own (so www.example.com, linkified, does too).
func external(dest string) bool {
	u, err := url.Parse(strings.TrimSpace(dest))
	if err != nil {
		return true
	}
	return u.Host != "" || (u.Scheme != "" && u.Scheme != "mailto")
}
