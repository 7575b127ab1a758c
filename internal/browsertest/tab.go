package browsertest

import (
	"context"
	"encoding/json"
	"fmt"
	"net/url"
	"strings"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/input"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"
)

// Visit opens path (e.g. "/readers?online=true") on the app and fails the
// test unless the page answers 2xx or 3xx.
func (tab *Tab) Visit(path string) {
	tab.t.Helper()
	res := run(tab, "visit "+path, chromedp.NavigateResponse(tab.b.BaseURL+path))
	tab.checkResponse("visit "+path, res, 0)
}

// VisitStatus opens path and fails the test unless the page answers
// status; the console error Chromium logs for an error status is expected.
func (tab *Tab) VisitStatus(path string, status int64) {
	tab.t.Helper()
	if status >= 400 {
		tab.ExpectConsoleError(fmt.Sprintf("status of %d", status))
	}
	res := run(tab, "visit "+path, chromedp.NavigateResponse(tab.b.BaseURL+path))
	tab.checkResponse("visit "+path, res, status)
}

// ClickNav clicks the first visible element matching the CSS selector and
// waits until the page it leads to has loaded (following redirects), then
// checks the console and the page's accessibility. It fails the test if
// the new page is an error.
func (tab *Tab) ClickNav(sel string) {
	tab.t.Helper()
	ctx, cancel := context.WithTimeout(tab.ctx, tab.b.Timeout)
	defer cancel()
	res, err := chromedp.RunResponse(ctx, click(sel, tab.b.Timeout*9/10))
	if err != nil {
		tab.failf("click %s and wait for the next page: %v", sel, err)
	}
	tab.checkResponse("click "+sel, res, 0)
}

func (tab *Tab) checkResponse(what string, res *network.Response, want int64) {
	tab.t.Helper()
	switch {
	case res == nil:
		tab.failf("%s: no response", what)
	case want == 0 && res.Status >= 400:
		tab.failf("%s: HTTP %d", what, res.Status)
	case want != 0 && res.Status != want:
		tab.failf("%s: HTTP %d, want %d", what, res.Status, want)
	}
	tab.CheckConsole()
	tab.CheckAccessibility()
}

// Click clicks the first visible element matching the CSS selector, for
// clicks that stay on the page (htmx, toggles). Use ClickNav for links and
// form submissions.
func (tab *Tab) Click(sel string) {
	tab.t.Helper()
	tab.do("click "+sel, click(sel, tab.b.Timeout*9/10))
}

// Fill replaces the text of the input or textarea matching the CSS selector
// with value, as a person pasting all but its last character and typing
// that one would: the field gets input events for the text and key events
// for the last key (what search-as-you-type listens for), in two steps
// however long the text, so a long text is as quick to fill as a short one.
func (tab *Tab) Fill(sel, value string) {
	tab.t.Helper()
	runes := []rune(value)
	steps := []chromedp.Action[chromedp.Void]{
		chromedp.WaitVisible(chromedp.CSS(sel)),
		chromedp.Evaluate[chromedp.Void](fmt.Sprintf(`(function () { var el = document.querySelector(%s); el.value = ""; el.focus(); el.dispatchEvent(new Event("input", {bubbles: true})); })()`, jsString(sel))),
	}
	if len(runes) > 1 {
		steps = append(steps, func(ctx context.Context, t *chromedp.Target) (chromedp.Void, error) {
			_, err := cdp.Call(ctx, t, input.InsertText, input.InsertTextParams{Text: string(runes[:len(runes)-1])})
			return chromedp.Void{}, err
		})
	}
	if len(runes) > 0 {
		steps = append(steps, chromedp.SendKeys(chromedp.CSS(sel), string(runes[len(runes)-1:]), chromedp.NodeVisible))
	}
	tab.do("fill "+sel, steps...)
	if got := tab.Value(sel); got != value {
		tab.failf("fill %s: the field holds %q, want %q", sel, got, value)
	}
}

// Value returns the current value of the form field matching the selector.
func (tab *Tab) Value(sel string) string {
	tab.t.Helper()
	return run(tab, "read "+sel, chromedp.Value(chromedp.CSS(sel)))
}

// Select chooses the option with value in the select matching the CSS
// selector and fires the input and change events a person's choice fires.
func (tab *Tab) Select(sel, value string) {
	tab.t.Helper()
	ok := Eval[bool](tab, fmt.Sprintf(`(function () {
  var el = document.querySelector(%s);
  if (!el) return false;
  el.value = %s;
  if (el.value !== %s) return false;
  el.dispatchEvent(new Event("input", {bubbles: true}));
  el.dispatchEvent(new Event("change", {bubbles: true}));
  return true;
})()`, jsString(sel), jsString(value), jsString(value)))
	if !ok {
		tab.failf("select %q in %s: no such select or option", value, sel)
	}
}

// Checked reports whether the checkbox matching the CSS selector is ticked.
func (tab *Tab) Checked(sel string) bool {
	tab.t.Helper()
	return Eval[bool](tab, fmt.Sprintf(`!!(document.querySelector(%s) || {}).checked`, jsString(sel)))
}

// SetChecked ticks or unticks the checkbox matching the CSS selector by
// clicking it when needed.
func (tab *Tab) SetChecked(sel string, on bool) {
	tab.t.Helper()
	if tab.Checked(sel) != on {
		tab.Click(sel)
	}
	if tab.Checked(sel) != on {
		tab.failf("%s: clicking did not change it to %v", sel, on)
	}
}

// WaitVisible waits until an element matching the CSS selector is visible,
// then checks the page's accessibility (something may have appeared).
func (tab *Tab) WaitVisible(sel string) {
	tab.t.Helper()
	tab.do("wait for "+sel+" to be visible", chromedp.WaitVisible(chromedp.CSS(sel)))
	tab.CheckAccessibility()
}

// WaitNotVisible waits until no element matching the CSS selector is visible.
func (tab *Tab) WaitNotVisible(sel string) {
	tab.t.Helper()
	tab.waitJS(sel+" to be hidden", fmt.Sprintf(`Array.from(document.querySelectorAll(%s)).every(function (el) { return el.offsetParent === null && getComputedStyle(el).position !== "fixed"; })`, jsString(sel)))
}

// WaitText waits until the visible text of the first element matching the
// CSS selector contains text. Runs of white space count as one space on
// both sides, since layout decides where lines break.
func (tab *Tab) WaitText(sel, text string) {
	tab.t.Helper()
	want := strings.Join(strings.Fields(text), " ")
	tab.waitJS(fmt.Sprintf("%s to contain %q", sel, text), fmt.Sprintf(
		`(function () { var el = document.querySelector(%s); return !!el && el.innerText.replace(/\s+/g, " ").indexOf(%s) >= 0; })()`,
		jsString(sel), jsString(want)))
}

// HTMXIdle is true when htmx has no request in flight and has finished
// swapping and settling new content (it marks such elements with the
// documented htmx-request, htmx-swapping, htmx-settling and htmx-added
// classes). Only then are swapped-in forms and buttons wired up.
const HTMXIdle = `!document.querySelector(".htmx-request, .htmx-swapping, .htmx-settling, .htmx-added")`

// WaitHTMX waits until htmx is idle (see HTMXIdle) and cond, a JavaScript
// expression, is truthy; what describes the condition in a failure. Then
// it checks the accessibility of what was swapped in.
func (tab *Tab) WaitHTMX(what, cond string) {
	tab.t.Helper()
	tab.waitJS(what, HTMXIdle+" && ("+cond+")")
	tab.CheckAccessibility()
}

// WaitJS waits until the JavaScript expression is truthy in the page; what
// describes the condition in a failure.
func (tab *Tab) WaitJS(what, expr string) {
	tab.t.Helper()
	tab.waitJS(what, expr)
}

func (tab *Tab) waitJS(what, expr string) {
	tab.t.Helper()
	tab.do("wait for "+what, func(ctx context.Context, t *chromedp.Target) (chromedp.Void, error) {
		_, err := chromedp.Poll[bool]("!!("+expr+")", chromedp.WithPollingTimeout(tab.b.Timeout))(ctx, t)
		return chromedp.Void{}, err
	})
}

// Text returns the visible text of the first element matching the CSS
// selector, waiting for it to exist.
func (tab *Tab) Text(sel string) string {
	tab.t.Helper()
	tab.do("wait for "+sel, chromedp.WaitReady(chromedp.CSS(sel)))
	return Eval[string](tab, fmt.Sprintf(`document.querySelector(%s).innerText`, jsString(sel)))
}

// Count returns how many elements match the CSS selector now.
func (tab *Tab) Count(sel string) int {
	tab.t.Helper()
	return Eval[int](tab, fmt.Sprintf(`document.querySelectorAll(%s).length`, jsString(sel)))
}

// Attrs returns the attribute name of every element matching the CSS
// selector, in document order.
func (tab *Tab) Attrs(sel, name string) []string {
	tab.t.Helper()
	return Eval[[]string](tab, fmt.Sprintf(`Array.from(document.querySelectorAll(%s)).map(function (el) { return el.getAttribute(%s) || ""; })`, jsString(sel), jsString(name)))
}

// URL returns the tab's current address.
func (tab *Tab) URL() *url.URL {
	tab.t.Helper()
	s := run(tab, "read location", chromedp.Location())
	u, err := url.Parse(s)
	if err != nil {
		tab.failf("parse location %q: %v", s, err)
	}
	return u
}

// Path returns the path of the tab's current address, e.g. "/dashboard".
func (tab *Tab) Path() string {
	tab.t.Helper()
	return tab.URL().Path
}

// Eval evaluates a JavaScript expression in the tab's page and decodes its
// value into T (promises are awaited).
func Eval[T any](tab *Tab, expr string) T {
	tab.t.Helper()
	return run(tab, "evaluate "+firstLine(expr), chromedp.Evaluate[T](expr, chromedp.EvalAwaitPromise))
}

// jsString quotes s as a JavaScript string literal.
func jsString(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}

func firstLine(s string) string {
	s, _, _ = strings.Cut(strings.TrimSpace(s), "\n")
	if len(s) > 80 {
		s = s[:80] + "…"
	}
	return s
}
