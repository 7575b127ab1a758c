package browsertest

import (
	"context"
	"fmt"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/input"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
)

// maxTabs bounds how many times TabTo presses Tab looking for an element.
const maxTabs = 60

// focusState describes the focused element: whether it matches sel, a
// short description for failures, whether the browser shows it as focused
// from the keyboard (:focus-visible) and whether focus visibly changes how
// it is drawn. That is judged against an unfocused copy of the element,
// put beside it for a moment: a different outline, shadow, border,
// background, colour or underline. A control drawn by its label instead
// (an invisible checkbox or radio) needs an outline on that label.
const focusState = `(function (sel) {
  var el = document.activeElement;
  if (!el || el === document.body) return {desc: "nothing", matches: false, keyboard: false, ring: false};
  var props = ["outlineStyle", "outlineWidth", "outlineColor", "boxShadow", "borderTopColor", "backgroundColor", "color", "textDecorationLine"];
  function look(e) { var cs = getComputedStyle(e); return props.map(function (p) { return cs[p]; }).join("|"); }
  var ring;
  if (el.id && getComputedStyle(el).opacity === "0") {
    var label = document.querySelector('label[for="' + el.id + '"]');
    ring = !!label && getComputedStyle(label).outlineStyle !== "none";
  } else {
    var copy = el.cloneNode(true);
    copy.removeAttribute("id");
    el.after(copy);
    ring = look(el) !== look(copy);
    copy.remove();
  }
  var desc = el.tagName.toLowerCase() + (el.id ? "#" + el.id : "") + (el.className ? "." + String(el.className).trim().split(/\s+/).join(".") : "") +
    ' "' + (el.innerText || el.value || el.getAttribute("aria-label") || "").trim().slice(0, 40) + '"';
  return {desc: desc, matches: el.matches(sel), keyboard: el.matches(":focus-visible"), ring: ring};
})`

// focus is what focusState tells.
type focus struct {
	Desc     string `json:"desc"`
	Matches  bool   `json:"matches"`
	Keyboard bool   `json:"keyboard"`
	Ring     bool   `json:"ring"`
}

// Press sends keys to the focused element as key presses (kb.Enter,
// " " for Space, text to type), as a person at the keyboard would.
func (tab *Tab) Press(keys string) {
	tab.t.Helper()
	tab.do(fmt.Sprintf("press %q", keys), keyPresses(keys))
}

// keyPresses presses and releases the key of each rune of keys. A key that
// types a character carries it on its key down, as Chromium's own keyboard
// input does, so a page that cancels the key down (Enter to send a chat
// message) also stops the character, as it does for people; the separate
// character event of chromedp.KeyEvent would type it anyway.
func keyPresses(keys string, opts ...chromedp.KeyOption) chromedp.Action[chromedp.Void] {
	return chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
		for _, r := range keys {
			var events []*input.DispatchKeyEventParams
			for _, e := range kb.Encode(r) {
				for _, o := range opts {
					o(e)
				}
				if e.Type == kb.KeyChar && len(events) > 0 {
					events[len(events)-1].Text, events[len(events)-1].UnmodifiedText = e.Text, e.UnmodifiedText
					continue
				}
				events = append(events, e)
			}
			for _, e := range events {
				if _, err := cdp.Call(ctx, t, input.DispatchKeyEvent, *e); err != nil {
					return err
				}
			}
		}
		return nil
	})
}

// PressNav is Press for keys that lead to another page (Enter on a link,
// Space on a submit button): like ClickNav, it waits for the page, fails
// the test if it is an error, and checks its console and accessibility.
func (tab *Tab) PressNav(keys string) {
	tab.t.Helper()
	ctx, cancel := context.WithTimeout(tab.ctx, tab.b.Timeout)
	defer cancel()
	res, err := chromedp.RunResponse(ctx, keyPresses(keys))
	if err != nil {
		tab.failf("press %q and wait for the next page: %v", keys, err)
	}
	tab.checkResponse(fmt.Sprintf("press %q", keys), res, 0)
}

// TabTo presses Tab until the focused element matches the CSS selector,
// and ShiftTabTo presses Shift+Tab; each fails the test when the element
// is not reached within 60 presses, or when any element focused on the
// way has no visible focus indicator (WCAG 2.4.7).
func (tab *Tab) TabTo(sel string) { tab.t.Helper(); tab.tabTo(sel, false) }

// ShiftTabTo is TabTo backwards (Shift+Tab).
func (tab *Tab) ShiftTabTo(sel string) { tab.t.Helper(); tab.tabTo(sel, true) }

func (tab *Tab) tabTo(sel string, back bool) {
	tab.t.Helper()
	var opts []chromedp.KeyOption
	key := "Tab"
	if back {
		opts = append(opts, chromedp.KeyModifiers(chromedp.ModifierShift))
		key = "Shift+Tab"
	}
	var path []string
	for range maxTabs {
		tab.do("press "+key, keyPresses(kb.Tab, opts...))
		f := Eval[focus](tab, fmt.Sprintf("%s(%s)", focusState, jsString(sel)))
		path = append(path, f.Desc)
		if !f.Keyboard || !f.Ring {
			tab.failf("%s reached %s, which shows no visible focus (:focus-visible %v, drawn differently %v); focus went through %q", key, f.Desc, f.Keyboard, f.Ring, path)
		}
		if f.Matches {
			return
		}
	}
	tab.failf("%d presses of %s did not reach %s; focus went through %q", maxTabs, key, sel, path)
}
