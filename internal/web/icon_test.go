package web

import (
	"io/fs"
	"regexp"
	"strings"
	"testing"
	"unicode/utf8"
)

// pictographic reports whether r is a character that needs an emoji or
// symbol font to show (emoji, dingbats, pictographs, the emoji variation
// selector): without one it is an empty box.
func pictographic(r rune) bool {
	switch {
	case r >= 0x2300 && r <= 0x23FF, // miscellaneous technical: ⌚ ⏱
		r >= 0x25A0 && r <= 0x27BF,   // geometric shapes, miscellaneous symbols, dingbats: ◈ ★ ♡ ✓ ✦
		r >= 0x2B00 && r <= 0x2BFF,   // miscellaneous symbols and arrows: ⭐
		r >= 0x1F000 && r <= 0x1FAFF, // emoji and pictographs
		r == 0xFE0F:                  // emoji presentation selector
		return true
	}
	return false
}

// embeddedText is every template, script and stylesheet SoulSeer ships
// (third-party files under vendor/ and minified libraries aside), by path.
func embeddedText(t *testing.T) map[string]string {
	t.Helper()
	out := map[string]string{}
	for _, fsys := range []fs.FS{templateFS, staticFS} {
		err := fs.WalkDir(fsys, ".", func(p string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() || strings.Contains(p, "/vendor/") || strings.HasSuffix(p, ".min.js") {
				return err
			}
			if ext := p[strings.LastIndex(p, "."):]; ext != ".html" && ext != ".js" && ext != ".css" {
				return nil
			}
			b, err := fs.ReadFile(fsys, p)
			out[p] = string(b)
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	return out
}

// TestNoPictographs: no template, script or stylesheet uses an emoji or
// symbol character as an icon; they use the icon set (icons).
func TestNoPictographs(t *testing.T) {
	files := embeddedText(t)
	if len(files) < 20 || files["templates/pages/reading_room.html"] == "" || files["static/js/room.js"] == "" {
		t.Fatalf("found only %d files to check", len(files))
	}
	for p, text := range files {
		for i, line := range strings.Split(text, "\n") {
			for _, r := range line {
				if pictographic(r) {
					t.Errorf("%s:%d: %q (U+%04X) needs an emoji font; use {{icon …}}", p, i+1, r, r)
				}
			}
		}
	}
	for _, probe := range []string{"⏱", "★", "♡", "✓", "◈", "✉", "😀", "⭐"} {
		if r, _ := utf8.DecodeRuneInString(probe); !pictographic(r) {
			t.Errorf("%s is not caught", probe)
		}
	}
	for _, ok := range []string{"→", "—", "…", "·", "≈", "é"} {
		if r, _ := utf8.DecodeRuneInString(ok); pictographic(r) {
			t.Errorf("%s is caught, but is ordinary text", ok)
		}
	}
}

// TestIconsUsedExist: every icon a template names is in the set, and every
// icon of the set is used.
func TestIconsUsedExist(t *testing.T) {
	used := map[string]bool{"star-empty": true} // drawn by stars
	re := regexp.MustCompile(`\{\{icon "([a-z-]+)"\}\}`)
	for p, text := range embeddedText(t) {
		for _, m := range re.FindAllStringSubmatch(text, -1) {
			if _, ok := icons[m[1]]; !ok {
				t.Errorf("%s uses icon %q, which the set does not have", p, m[1])
			}
			used[m[1]] = true
		}
	}
	for name := range icons {
		if !used[name] {
			t.Errorf("icon %q is never used", name)
		}
	}
	if _, err := icon("no-such-icon"); err == nil {
		t.Error("an unknown icon renders")
	}
}
