package web

import (
	"fmt"
	"html/template"
	"strconv"
	"strings"
)

// icons is SoulSeer's own small icon set, drawn on a 24×24 grid in the
// colour of the text around it. Pages use these, never emoji or dingbat
// characters: those need a font with colour glyphs and show as empty boxes
// on machines without one (TestNoPictographs keeps it so).
var icons = map[string]string{
	"star":       `<path fill="currentColor" d="M12 2.6l2.85 5.9 6.45.85-4.7 4.5 1.2 6.4L12 17.2l-5.8 3.05 1.2-6.4-4.7-4.5 6.45-.85z"/>`,
	"star-empty": `<path fill="none" stroke="currentColor" stroke-width="1.6" stroke-linejoin="round" d="M12 2.6l2.85 5.9 6.45.85-4.7 4.5 1.2 6.4L12 17.2l-5.8 3.05 1.2-6.4-4.7-4.5 6.45-.85z"/>`,
	"check":      `<path fill="none" stroke="currentColor" stroke-width="2.4" stroke-linecap="round" stroke-linejoin="round" d="M5 12.5l4.5 4.5L19 7.5"/>`,
	"timer":      `<g fill="none" stroke="currentColor" stroke-width="2" stroke-linecap="round"><circle cx="12" cy="13.5" r="7.5"/><path d="M12 13.5V9.5M9.5 2.5h5M18.5 6.5l1.5-1.5"/></g>`,
	"heart":      `<path fill="none" stroke="currentColor" stroke-width="2" stroke-linejoin="round" d="M12 20.5s-8-4.8-8-10.4A4.4 4.4 0 0 1 12 7.4a4.4 4.4 0 0 1 8 2.7c0 5.6-8 10.4-8 10.4z"/>`,
	"heart-full": `<path fill="currentColor" stroke="currentColor" stroke-width="2" stroke-linejoin="round" d="M12 20.5s-8-4.8-8-10.4A4.4 4.4 0 0 1 12 7.4a4.4 4.4 0 0 1 8 2.7c0 5.6-8 10.4-8 10.4z"/>`,
	"moon":       `<path fill="none" stroke="currentColor" stroke-width="2" stroke-linejoin="round" d="M20 14.5A8.5 8.5 0 1 1 9.5 4a7 7 0 0 0 10.5 10.5z"/>`,
	"sparkle":    `<path fill="currentColor" d="M12 2l2.1 7.9L22 12l-7.9 2.1L12 22l-2.1-7.9L2 12l7.9-2.1z"/>`,
	"chat":       `<path fill="none" stroke="currentColor" stroke-width="2" stroke-linejoin="round" d="M4 5h16v11H9.5L4 20z"/>`,
	"phone":      `<path fill="none" stroke="currentColor" stroke-width="2" stroke-linejoin="round" d="M6.5 3.5h3l1.5 4.5-2 1.5a11 11 0 0 0 5.5 5.5l1.5-2 4.5 1.5v3a2 2 0 0 1-2 2A17 17 0 0 1 4.5 5.5a2 2 0 0 1 2-2z"/>`,
	"video":      `<g fill="none" stroke="currentColor" stroke-width="2" stroke-linejoin="round"><rect x="2.5" y="6" width="13" height="12" rx="2"/><path d="M15.5 10.5l6-3.5v10l-6-3.5z"/></g>`,
	"mail":       `<g fill="none" stroke="currentColor" stroke-width="2" stroke-linejoin="round"><rect x="3" y="5.5" width="18" height="13" rx="1.5"/><path d="M3.5 6.5l8.5 7 8.5-7"/></g>`,
	"lock":       `<g fill="none" stroke="currentColor" stroke-width="2" stroke-linejoin="round"><rect x="5" y="10.5" width="14" height="10" rx="1.5"/><path d="M8 10.5V7.5a4 4 0 0 1 8 0v3"/></g>`,
	"wallet":     `<g fill="none" stroke="currentColor" stroke-width="2" stroke-linejoin="round"><path d="M4 7.5h15.5v12H4zM4 7.5l11.5-3.5v3.5"/><circle cx="15.5" cy="13.5" r="1.4" fill="currentColor" stroke="none"/></g>`,
	"bell":       `<g fill="none" stroke="currentColor" stroke-width="2" stroke-linejoin="round"><path d="M6 16.5V11a6 6 0 0 1 12 0v5.5l1.5 2h-15z"/><path d="M10 20.5a2 2 0 0 0 4 0" stroke-linecap="round"/></g>`,
}

// icon returns the inline SVG of a named icon of the set. It is
// decorative (hidden from screen readers): the words beside it, or a
// screen-reader text, say what it means. An unknown name is an error, so
// the page fails to render rather than show nothing.
func icon(name string) (template.HTML, error) {
	paths, ok := icons[name]
	if !ok {
		return "", fmt.Errorf("web: no icon %q", name)
	}
	return template.HTML(`<svg class="icon icon-` + name + `" viewBox="0 0 24 24" width="24" height="24" aria-hidden="true" focusable="false">` + paths + `</svg>`), nil
}

// stars draws a rating of n out of 5 as filled and empty stars, with the
// rating in words for screen readers ("4 out of 5 stars").
func stars(n int) template.HTML {
	n = min(max(n, 0), 5)
	var b strings.Builder
	for i := range 5 {
		name := "star"
		if i >= n {
			name = "star-empty"
		}
		svg, _ := icon(name)
		b.WriteString(string(svg))
	}
	b.WriteString(`<span class="sr-only">` + strconv.Itoa(n) + ` out of 5 stars</span>`)
	return template.HTML(b.String())
}
