package redirect_test

import (
	"net/url"
	"strings"
	"testing"

	"github.com/soulseer/soulseer/internal/redirect"
)

// nasty are next pages that a browser or a server on the way would turn
// into another site.
var nasty = []string{
	"", "evil.example", "https://evil.example/", "//evil.example", "///evil.example",
	`/\evil.example`, `\/evil.example`, "/\t/evil.example", "/\n/evil.example", "/\r/evil.example", "/\x00/x", "/\x7f/x",
	"/%09/evil.example", "/%2F%2Fevil.example", "/%2f/evil.example", "%2F%2Fevil.example", "/%5Cevil.example", "/%5cevil.example",
	"/%0A/evil.example", "/%00", "/%7F", "/%zz", "javascript:alert(1)", " /wallet",
}

// SEC-5: nasty next pages fall back; local paths, with queries and
// harmless escapes, are kept as they are.
func TestLocal_SEC5(t *testing.T) {
	for _, next := range nasty {
		if got := redirect.Local(next, "/home"); got != "/home" {
			t.Errorf("Local(%q) = %q, want the fallback", next, got)
		}
	}
	for _, next := range []string{"/", "/wallet", "/readings/42", "/readers?q=luna&online=true", "/readers?q=a%20b", "/x/%E2%9C%A8", "/a%2Fb"} {
		if got := redirect.Local(next, "/home"); got != next {
			t.Errorf("Local(%q) = %q, want it kept", next, got)
		}
	}
}

// FuzzLocal_SEC5: whatever Local keeps stays on the site however a browser
// reads it — with tabs and newlines removed, backslashes as slashes, and
// percent-escapes decoded — and anything else gives the fallback.
func FuzzLocal_SEC5(f *testing.F) {
	for _, s := range nasty {
		f.Add(s)
	}
	f.Add("/wallet?topup=1")
	f.Fuzz(func(t *testing.T, next string) {
		got := redirect.Local(next, "/fallback")
		if got == "/fallback" {
			return
		}
		if got != next {
			t.Fatalf("Local(%q) = %q: neither the input nor the fallback", next, got)
		}
		forms := []string{next}
		if d, err := url.PathUnescape(next); err == nil {
			forms = append(forms, d)
		}
		for _, form := range forms {
			browser := strings.ReplaceAll(strings.NewReplacer("\t", "", "\n", "", "\r", "").Replace(form), `\`, "/")
			u, err := url.Parse("https://site.example" + browser)
			if !strings.HasPrefix(browser, "/") || strings.HasPrefix(browser, "//") || (err == nil && u.Host != "site.example") {
				t.Fatalf("Local kept %q, which a browser reads as %q", next, browser)
			}
		}
	})
}
