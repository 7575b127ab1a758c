// Package redirect decides where the site may send a browser next: only to
// its own pages, whatever a link, form or stored value asks for.
package redirect

import (
	"net/url"
	"strings"
)

// Local returns next when it is a path on this site, else fallback, so a
// login link, a form's next page or a payment's return address cannot send
// the browser to another site. Browsers read "/\host", "/<tab>/host" and
// "//host" alike as another host, and servers on the way may decode
// "%2F%2Fhost" into "//host", so next is refused when it or its
// percent-decoded form starts with two slashes, or holds a backslash or a
// control character anywhere.
func Local(next, fallback string) string {
	decoded, err := url.PathUnescape(next)
	if err != nil || !localPath(next) || !localPath(decoded) {
		return fallback
	}
	return next
}

func localPath(p string) bool {
	return strings.HasPrefix(p, "/") && !strings.HasPrefix(p, "//") &&
		!strings.ContainsFunc(p, func(r rune) bool { return r < 0x20 || r == 0x7f || r == '\\' })
}
