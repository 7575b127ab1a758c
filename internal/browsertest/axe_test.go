package browsertest

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// SEC-7: every page a tab opens, and content that appears later, is checked
// with axe-core at desktop and phone width; serious and critical violations
// are reported with the rule, its impact, the element and the help text;
// parts of pages already checked are not checked again.
func TestAccessibilityViolationsAreReported(t *testing.T) {
	mux := http.NewServeMux()
	mux.HandleFunc("/s.css", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/css")
		fmt.Fprint(w, `body { color: #111; background: #fff; }
.faint { color: #999; background: #aaa; }
@media (max-width: 600px) { .phone-faint { color: #ccc; } }`)
	})
	mux.Handle("/clean", htmlPage(`<main><h1>Fine</h1><label for="n">Name</label> <input id="n"></main>`))
	mux.Handle("/broken", htmlPage(`<main><h1>Broken</h1><input name="q"><button type="button"></button><p class="faint">Hard to read</p></main>`))
	mux.Handle("/broken-and-more", htmlPage(`<main><h1>Broken</h1><input name="q"><button type="button"></button><p class="faint">Hard to read</p><p>More</p></main>`))
	mux.Handle("/narrow", htmlPage(`<main><h1>Narrow</h1><p class="phone-faint">Hard to read on a phone</p></main>`))
	mux.Handle("/late", htmlPage(`<main><h1>Later</h1><button type="button" id="more">More</button></main><script src="/late.js"></script>`))
	mux.HandleFunc("/late.js", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/javascript")
		fmt.Fprint(w, `document.getElementById("more").addEventListener("click", function () {
  var s = document.createElement("select"); s.id = "late"; s.innerHTML = "<option>one</option>";
  document.querySelector("main").append(s);
});`)
	})
	ts := httptest.NewServer(mux)
	defer ts.Close()

	// Parts checked by an earlier run in this process (go test -count=2)
	// would be skipped.
	checkedParts.Clear()
	rec := &recorder{TB: t}
	tab := New(rec, ts.URL).NewTab("probe")
	axeLoaded := func() bool { return Eval[bool](tab, `typeof window.axe === "object"`) }

	tab.Visit("/clean")
	if got := rec.reported(); got != "" {
		t.Fatalf("an accessible page reported problems:\n%s", got)
	}
	if !axeLoaded() {
		t.Fatal("axe-core did not run on a new page")
	}

	tab.Visit("/broken")
	got := rec.reported()
	for _, want := range []string{
		"accessibility (axe-core " + AxeVersion + ") at desktop width on /broken",
		"at phone width on /broken",
		"label (critical): Form elements must have labels",
		"button-name (critical): Buttons must have discernible text",
		"color-contrast (serious): Elements must meet minimum color contrast ratio thresholds",
		"\n    input\n", "\n    button\n", "\n    p\n      Fix any of the following:\n      Element has insufficient color contrast of 1.22",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("the report lacks %q; got:\n%s", want, got)
		}
	}

	// The same shape again, with other text: not checked again.
	rec.errs = nil
	tab.Visit("/broken?again")
	if got := rec.reported(); got != "" {
		t.Errorf("a page of a shape already checked was reported again:\n%s", got)
	}
	if axeLoaded() {
		t.Error("axe-core ran again on a page of a shape already checked")
	}

	// A new part on a page checked before: only the new part is checked.
	tab.Visit("/broken-and-more")
	if got := rec.reported(); got != "" {
		t.Errorf("parts of a page already checked were reported again:\n%s", got)
	}
	if !axeLoaded() {
		t.Error("axe-core did not run on a page with a new part")
	}

	// A violation only the phone layout has.
	rec.errs = nil
	tab.Visit("/narrow")
	got = rec.reported()
	if !strings.Contains(got, "at phone width on /narrow:\n  color-contrast (serious)") || strings.Contains(got, "desktop") {
		t.Errorf("want the phone layout's contrast reported, and only it; got:\n%s", got)
	}
	if w := Eval[int](tab, "innerWidth"); w != int(Desktop.Width) {
		t.Errorf("after checking, the tab is %d wide, want its desktop width back", w)
	}

	// Content that appears after the page loaded is checked once waited for.
	rec.errs = nil
	tab.Visit("/late")
	if got := rec.reported(); got != "" {
		t.Fatalf("the late page before the click reported:\n%s", got)
	}
	tab.Click("#more")
	tab.WaitVisible("#late")
	if got := rec.reported(); !strings.Contains(got, "select-name (critical)") || !strings.Contains(got, "#late") {
		t.Errorf("the select added after load was not reported; got:\n%s", got)
	}
}
