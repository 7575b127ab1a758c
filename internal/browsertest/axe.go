package browsertest

import (
	_ "embed"
	"encoding/json"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/chromedp/chromedp"
)

// axeSource is axe-core 4.14.1 (testdata/axe/README.md says where it came
// from). It is built in, so nothing is downloaded when tests run.
//
//go:embed testdata/axe/axe.min.js
var axeSource string

// AxeVersion is the axe-core release that checks pages.
const AxeVersion = "4.14.1"

// checkedParts holds the keys (see pageParts) of the parts of pages that
// axe-core has already checked, at both widths, in this test binary. Pages
// do not depend on the database engine or on which test reaches them, so a
// part seen before, in any test, is not checked again.
var checkedParts sync.Map

// pageParts gives every element of the page a key for what its
// accessibility depends on, keeps the keys in window.axeParts for axeRun,
// and returns them with whether htmx is idle and the page's address. An
// element's key covers its subtree and the elements above it: each
// element's tag, classes, role, type, language, hidden, disabled and
// checked state, tab index, ARIA states (labels by presence only), which
// other attributes it has, whether it holds text of its own, and the
// colours, display, visibility and opacity it is drawn with. Text, links
// and values are left out, so a part that only shows other data (another
// reader, a new balance, a ticking timer) keeps its key; children of a
// shape already seen among their siblings (list rows, cards) count once,
// so a longer or reordered list keeps its key too.
const pageParts = `(function () {
  var kept = {"class": 1, "role": 1, "type": 1, "lang": 1, "hidden": 1, "disabled": 1, "tabindex": 1, "open": 1, "inert": 1,
    "aria-hidden": 1, "aria-expanded": 1, "aria-pressed": 1, "aria-current": 1, "aria-invalid": 1, "aria-live": 1,
    "aria-checked": 1, "aria-selected": 1, "aria-disabled": 1, "aria-modal": 1, "aria-busy": 1};
  function hash(s) {
    var h1 = 0xdeadbeef, h2 = 0x41c6ce57;
    for (var i = 0; i < s.length; i++) {
      var c = s.charCodeAt(i);
      h1 = Math.imul(h1 ^ c, 2654435761);
      h2 = Math.imul(h2 ^ c, 1597334677);
    }
    h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
    h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
    return (4294967296 * (2097151 & h2) + (h1 >>> 0)).toString(36);
  }
  function own(el) {
    var attrs = [];
    for (var i = 0; i < el.attributes.length; i++) {
      var a = el.attributes[i];
      if (a.name.indexOf("data-") !== 0) attrs.push(a.name + (kept[a.name] ? "=" + a.value.trim().split(/\s+/).sort().join(" ") : ""));
    }
    var cs = getComputedStyle(el);
    var s = el.tagName + "[" + attrs.sort().join(",") + "]" + (el.checked ? ":checked" : "") +
      "{" + [cs.color, cs.backgroundColor, cs.backgroundImage === "none", cs.display, cs.visibility, cs.opacity].join(";") + "}";
    for (var n = el.firstChild; n; n = n.nextSibling) {
      if (n.nodeType === 3 && n.data.trim() !== "") return s + ":text";
    }
    return s;
  }
  var keys = new Map(), list = [];
  function walk(el, above) {
    var me = own(el), inner = hash(above + ">" + me), kids = [], seen = {};
    for (var c = el.firstElementChild; c; c = c.nextElementSibling) {
      var k = walk(c, inner);
      if (!seen[k]) { seen[k] = true; kids.push(k); }
    }
    var shape = hash(me + "(" + kids.join(",") + ")");
    var key = hash(above + "|" + shape);
    keys.set(el, key);
    list.push(key);
    return shape;
  }
  walk(document.documentElement, "");
  window.axeParts = keys;
  return {keys: list, idle: ` + HTMXIdle + `, page: location.pathname + location.search};
})()`

// axeRun runs axe-core on the document, leaving out the parts whose keys
// (from pageParts) it is given and repeats of a part already included, and
// returns its serious and critical violations, each with the elements it
// was found on. Elements added since pageParts ran are included.
const axeRun = `(function (seen) {
  seen = new Set(seen);
  var keys = window.axeParts, taken = new Set(), exclude = [];
  (function visit(el) {
    var k = keys.get(el);
    if (k !== undefined && (seen.has(k) || taken.has(k))) { exclude.push(el); return; }
    if (k !== undefined) taken.add(k);
    for (var c = el.firstElementChild; c; c = c.nextElementSibling) visit(c);
  })(document.documentElement);
  return axe.run({include: [document], exclude: exclude}, {resultTypes: ["violations"]}).then(function (r) {
    return r.violations.filter(function (v) { return v.impact === "serious" || v.impact === "critical"; }).map(function (v) {
      return {id: v.id, impact: v.impact, help: v.help, helpUrl: v.helpUrl, nodes: v.nodes.map(function (n) {
        return {target: n.target.map(String).join(" "), summary: n.failureSummary || ""};
      })};
    });
  });
})`

// axeViolation is one failed axe-core rule on a page.
type axeViolation struct {
	ID      string    `json:"id"`
	Impact  string    `json:"impact"`
	Help    string    `json:"help"`
	HelpURL string    `json:"helpUrl"`
	Nodes   []axeNode `json:"nodes"`
}

// axeNode is one element a rule failed on.
type axeNode struct {
	Target  string `json:"target"`
	Summary string `json:"summary"`
}

// CheckAccessibility fails the test (as errors, so the story goes on) for
// every serious or critical axe-core violation on the current page, at
// desktop and at phone width, naming the rule, its impact, the elements
// and the help text (SEC-7). It waits for htmx to be idle first, so swaps
// have settled. Only parts of the page not checked before are checked (see
// pageParts); a page with none is skipped. A page that moves on by itself
// during the check (a reload, a redirect) is left for the next check.
// Navigation helpers, WaitVisible, WaitHTMX and Screenshot call it, so
// every page and every state a test waits for is checked without being
// asked for.
func (tab *Tab) CheckAccessibility() {
	tab.t.Helper()
	keys, err := tab.checkAccessibility()
	if err == nil {
		for _, k := range keys {
			checkedParts.Store(k, true)
		}
		return
	}
	if moved, _ := tryRun(tab, tab.b.Timeout, chromedp.Evaluate[bool](`window.axeParts === undefined`)); moved {
		tab.t.Logf("%s tab: the page moved on during its accessibility check (%v); the next page is checked instead", tab.Name, err)
		return
	}
	tab.failf("check accessibility: %v", err)
}

// checkAccessibility runs axe-core on the page's new parts at both widths,
// reports the violations and returns the keys of the page's parts. The tab
// ends at the width it had.
func (tab *Tab) checkAccessibility() (keys []string, err error) {
	tab.t.Helper()
	p, err := axeStep(tab, "find the page's parts", chromedp.Evaluate[parts](pageParts))
	if err != nil || !p.anyNew() {
		return nil, err
	}
	if !p.Idle {
		if _, err := axeStep(tab, "wait for htmx to be idle", chromedp.Poll[bool](HTMXIdle, chromedp.WithPollingTimeout(tab.b.Timeout))); err != nil {
			return nil, err
		}
		if p, err = axeStep(tab, "find the page's parts", chromedp.Evaluate[parts](pageParts)); err != nil || !p.anyNew() {
			return nil, err
		}
	}
	seen := []string{}
	for _, k := range p.Keys {
		if _, ok := checkedParts.Load(k); ok {
			seen = append(seen, k)
		}
	}
	// The tab's own width first, then the other; then back.
	prev := tab.view
	views := []Viewport{Desktop, Phone}
	if prev.Name == Phone.Name {
		views = []Viewport{Phone, Desktop}
	}
	defer func() {
		if tab.view.Name == prev.Name {
			return
		}
		if _, back := axeStep(tab, "set viewport "+prev.Name, prev.emulate(prev.Height)); back != nil && err == nil {
			keys, err = nil, back
		}
		tab.view = prev
	}()
	for _, v := range views {
		if v.Name != tab.view.Name {
			if _, err := axeStep(tab, "set viewport "+v.Name, v.emulate(v.Height)); err != nil {
				return nil, err
			}
			tab.view = v
		}
		found, err := tab.runAxe(seen)
		if err != nil {
			return nil, err
		}
		for _, f := range found {
			tab.t.Errorf("%s tab: accessibility (axe-core %s) at %s width on %s:\n%s", tab.Name, AxeVersion, v.Name, p.Page, f)
		}
	}
	return p.Keys, nil
}

// axeTimeout bounds each step of an accessibility check: loading and
// running axe-core is heavy work for a busy machine, unlike the waits
// DefaultTimeout bounds.
const axeTimeout = time.Minute

// axeStep runs one step of an accessibility check within axeTimeout,
// saying in its error which step failed.
func axeStep[T any](tab *Tab, what string, a chromedp.Action[T]) (T, error) {
	v, err := tryRun(tab, axeTimeout, a)
	if err != nil {
		return v, fmt.Errorf("%s: %w", what, err)
	}
	return v, nil
}

// parts is what pageParts returns.
type parts struct {
	Keys []string `json:"keys"`
	Idle bool     `json:"idle"` // htmx is idle (see HTMXIdle)
	Page string   `json:"page"` // the page's path and query
}

// anyNew reports whether some part was not checked yet.
func (p parts) anyNew() bool {
	for _, k := range p.Keys {
		if _, ok := checkedParts.Load(k); !ok {
			return true
		}
	}
	return false
}

// runAxe loads axe-core into the page if it is not there yet, runs it on
// the page's parts other than seen (see axeRun) and returns its serious and
// critical violations as readable paragraphs.
func (tab *Tab) runAxe(seen []string) ([]string, error) {
	loaded, err := axeStep(tab, "look for axe-core", chromedp.Evaluate[bool](`typeof window.axe === "object"`))
	if err == nil && !loaded {
		_, err = axeStep(tab, "load axe-core", chromedp.Evaluate[chromedp.Void](axeSource+"\n;undefined"))
	}
	if err != nil {
		return nil, err
	}
	list, _ := json.Marshal(seen) // a []string always encodes
	found, err := axeStep(tab, "run axe-core", chromedp.Evaluate[[]axeViolation](fmt.Sprintf("%s(%s)", axeRun, list), chromedp.EvalAwaitPromise))
	if err != nil {
		return nil, err
	}
	var out []string
	for _, v := range found {
		var b strings.Builder
		fmt.Fprintf(&b, "  %s (%s): %s — %s", v.ID, v.Impact, v.Help, v.HelpURL)
		for _, n := range v.Nodes {
			fmt.Fprintf(&b, "\n    %s", n.Target)
			// "Fix any of the following:" and the first thing to fix.
			for i, line := range strings.SplitN(n.Summary, "\n", 3) {
				if i < 2 && line != "" {
					fmt.Fprintf(&b, "\n      %s", strings.TrimSpace(line))
				}
			}
		}
		out = append(out, b.String())
	}
	return out, nil
}
