package markup_test

import (
	"net/url"
	"strings"
	"testing"

	"golang.org/x/net/html"

	"github.com/soulseer/soulseer/internal/markup"
)

// unsafeIn returns what in rendered HTML could run script or load what the
// allow-list does not allow, or "" when there is nothing: an element other
// than plain formatting, an event handler or style, a URL whose scheme is
// not http, https or mailto, a link to another site without ExternalRel.
func unsafeIn(t *testing.T, out string) string {
	t.Helper()
	doc, err := html.Parse(strings.NewReader(out))
	if err != nil {
		return "unparseable: " + err.Error()
	}
	allowed := map[string]bool{"html": true, "head": true, "body": true, "p": true, "a": true, "em": true, "strong": true, "del": true,
		"code": true, "pre": true, "blockquote": true, "ul": true, "ol": true, "li": true, "h1": true, "h2": true, "h3": true, "h4": true,
		"h5": true, "h6": true, "hr": true, "br": true, "img": true, "table": true, "thead": true, "tbody": true, "tr": true, "th": true, "td": true}
	var bad string
	var walk func(n *html.Node)
	walk = func(n *html.Node) {
		if bad != "" {
			return
		}
		if n.Type == html.ElementNode {
			if !allowed[n.Data] {
				bad = "element <" + n.Data + ">"
				return
			}
			for _, a := range n.Attr {
				k := strings.ToLower(a.Key)
				switch {
				case strings.HasPrefix(k, "on"), k == "style", k == "srcdoc", k == "formaction", k == "xlink:href":
					bad = "attribute " + a.Key + "=" + a.Val
				case k == "href" || k == "src":
					u, err := url.Parse(strings.TrimSpace(a.Val))
					if err != nil {
						bad = "unparseable URL " + a.Val
					} else if s := strings.ToLower(u.Scheme); s != "" && s != "http" && s != "https" && s != "mailto" {
						bad = "URL " + a.Val
					} else if n.Data == "a" && u.Host != "" && attr(n, "rel") != markup.ExternalRel {
						bad = "external link without rel: " + a.Val
					}
				}
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(doc)
	return bad
}

func attr(n *html.Node, key string) string {
	for _, a := range n.Attr {
		if a.Key == key {
			return a.Val
		}
	}
	return ""
}

// The payloads that sanitisers are known to have let through somewhere:
// script and event handlers in raw HTML, dangerous URL schemes in Markdown
// links and images, SVG and MathML, malformed and nested markup, encoded
// schemes.
var xssPayloads = []string{
	`<script>alert(1)</script>`,
	`<SCRIPT SRC=//evil.example/x.js></SCRIPT>`,
	`<img src=x onerror=alert(1)>`,
	`<img src="x" onerror="alert(1)"/>`,
	`<svg onload=alert(1)>`,
	`<svg><script>alert(1)</script></svg>`,
	`<math><mtext><table><mglyph><style><img src=x onerror=alert(1)></style></mglyph></table></mtext></math>`,
	`<iframe src="javascript:alert(1)"></iframe>`,
	`<iframe srcdoc="<script>alert(1)</script>"></iframe>`,
	`<object data="javascript:alert(1)"></object>`,
	`<embed src="javascript:alert(1)">`,
	`<a href="javascript:alert(1)">x</a>`,
	`<a href="JaVaScRiPt:alert(1)">x</a>`,
	`<a href="&#106;avascript:alert(1)">x</a>`,
	`<a href="jav&#x09;ascript:alert(1)">x</a>`,
	`<body onload=alert(1)>`,
	`<div style="background:url(javascript:alert(1))">x</div>`,
	`<style>@import 'https://evil.example/x.css';</style>`,
	`<form action="https://evil.example"><button formaction="javascript:alert(1)">go</button></form>`,
	`<input autofocus onfocus=alert(1)>`,
	`<details open ontoggle=alert(1)>`,
	`<video><source onerror="alert(1)"></video>`,
	`<meta http-equiv="refresh" content="0;url=javascript:alert(1)">`,
	`<base href="javascript:alert(1)//">`,
	`<link rel=stylesheet href="https://evil.example/x.css">`,
	`[click](javascript:alert(1))`,
	`[click](JAVASCRIPT:alert(1))`,
	`[click](  javascript:alert(1)  )`,
	`[click](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)`,
	`[click](vbscript:msgbox(1))`,
	`![x](javascript:alert(1))`,
	`![x](data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+)`,
	`![x" onerror="alert(1)](https://example.com/a.png)`,
	`[x](https://example.com/" onmouseover="alert(1))`,
	`[x]: javascript:alert(1)` + "\n\n[x]",
	`<a href="https://example.com" onclick="alert(1)">x</a>`,
	`<<script>script>alert(1)<</script>/script>`,
	`<scr<script>ipt>alert(1)</script>`,
	"```\n</code></pre><script>alert(1)</script>\n```",
	`<noscript><p title="</noscript><img src=x onerror=alert(1)>">`,
	`<!--<img src="--><img src=x onerror=alert(1)//">`,
	`<a href="//evil.example">protocol-relative</a>`,
	`www.evil.example/?<script>alert(1)</script>`,
	`<https://example.com/"onmouseover="alert(1)>`,
}

// COM-2: a post's Markdown becomes HTML in which none of the known XSS
// payloads can run (at least thirty of them), while the formatting people
// write survives.
func TestRenderNeverProducesExecutableHTML_COM2(t *testing.T) {
	if len(xssPayloads) < 30 {
		t.Fatalf("only %d payloads", len(xssPayloads))
	}
	for _, p := range xssPayloads {
		for _, src := range []string{p, "Hello\n\n" + p + "\n\nbye", "> " + p, "* " + p} {
			out := string(markup.Render(src))
			if bad := unsafeIn(t, out); bad != "" {
				t.Errorf("%q rendered %q: %s", src, out, bad)
			}
			if strings.Contains(strings.ToLower(out), "<script") {
				t.Errorf("%q rendered %q", src, out)
			}
		}
	}
}

// COM-2: what people write renders as they meant it.
func TestRenderFormatting_COM2(t *testing.T) {
	cases := []struct{ src, want string }{
		{"**bold** and *soft*", "<p><strong>bold</strong> and <em>soft</em></p>"},
		{"~~gone~~", "<del>gone</del>"},
		{"> a quote", "<blockquote>\n<p>a quote</p>\n</blockquote>"},
		{"- one\n- two", "<ul>\n<li>one</li>\n<li>two</li>\n</ul>"},
		{"`code <b>`", "<code>code &lt;b&gt;</code>"},
		{"[profile](/readers/3)", `<a href="/readers/3" rel="nofollow">profile</a>`},
		{"[site](https://example.com/a?b=1&c=2)", `<a href="https://example.com/a?b=1&amp;c=2" rel="` + markup.ExternalRel + `" target="_blank">site</a>`},
		{"see https://example.com now", `<a href="https://example.com" rel="` + markup.ExternalRel + `" target="_blank">https://example.com</a>`},
		{"![moon](https://example.com/moon.png)", `<img src="https://example.com/moon.png" alt="moon">`},
		{"| a | b |\n| - | - |\n| 1 | 2 |", "<td>1</td>"},
		{"<b>raw</b> text", "raw text"},
	}
	for _, c := range cases {
		if out := string(markup.Render(c.src)); !strings.Contains(out, c.want) {
			t.Errorf("%q rendered %q, want it to contain %q", c.src, out, c.want)
		}
	}
}

// COM-2: whatever is written, the output holds nothing executable.
func FuzzRender(f *testing.F) {
	for _, p := range xssPayloads {
		f.Add(p)
	}
	f.Add("# title\n\n**b** _i_ [l](https://x.example) ![i](https://x.example/i.png)")
	f.Fuzz(func(t *testing.T, src string) {
		if bad := unsafeIn(t, string(markup.Render(src))); bad != "" {
			t.Errorf("%q: %s", src, bad)
		}
	})
}
