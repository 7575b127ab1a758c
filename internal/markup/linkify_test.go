package markup_test

import (
	"testing"

	"github.com/soulseer/soulseer/internal/markup"
)

// MSG-1, EXT-6: plain text is escaped, and only its web addresses become
// links, without the punctuation that ends a sentence after them.
func TestLinkify(t *testing.T) {
	for text, want := range map[string]string{
		`<script>alert("x")</script> & co`:     `&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt; &amp; co`,
		"See https://soulseer.test/a?b=1&c=2.": `See <a href="https://soulseer.test/a?b=1&amp;c=2" target="_blank" rel="nofollow noopener noreferrer ugc">https://soulseer.test/a?b=1&amp;c=2</a>.`,
		"javascript:alert(1) and http://":      "javascript:alert(1) and http://",
	} {
		if got := string(markup.Linkify(text)); got != want {
			t.Errorf("Linkify(%q) = %q, want %q", text, got, want)
		}
	}
}
