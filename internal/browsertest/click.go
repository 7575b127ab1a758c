package browsertest

import (
	"context"
	"fmt"
	"time"

	"github.com/chromedp/chromedp"
)

// clickPoint is where click presses, or, when it never could, what covered
// the element last.
type clickPoint struct {
	X, Y    float64
	Found   bool
	Covered string
}

// stillJS finds the first visible element matching a selector, scrolls it
// to the middle of the window (and of any box scrolling it) when its
// centre is out of sight or covered, and resolves with that centre once
// the element has held the same place and size across two looks 40 ms
// apart and is the topmost thing there (or its label is).
const stillJS = `(async function (sel, ms) {
  var end = Date.now() + ms, last = "", covered = "";
  function pause() { return new Promise(function (r) { setTimeout(r, 40); }); }
  function visible(e) { return e.getClientRects().length > 0 && getComputedStyle(e).visibility !== "hidden"; }
  while (Date.now() < end) {
    var el = Array.prototype.find.call(document.querySelectorAll(sel), visible);
    if (el) {
      var r = el.getBoundingClientRect(), x = r.left + r.width / 2, y = r.top + r.height / 2;
      if (x < 0 || y < 0 || x > innerWidth || y > innerHeight) {
        el.scrollIntoView({block: "center", inline: "center"});
        last = "";
      } else {
        var at = document.elementFromPoint(x, y);
        var on = !!at && (el.contains(at) || Array.prototype.some.call(el.labels || [], function (l) { return l.contains(at); }));
        var here = [x, y, r.width, r.height].join();
        if (on && here === last) return {X: x, Y: y, Found: true, Covered: ""};
        last = on ? here : "";
        covered = on ? "" : (at ? at.outerHTML.slice(0, 160) : "nothing");
        // hidden inside a scrolled box, or under a sticky bar: bring it to the middle
        if (!on) el.scrollIntoView({block: "center", inline: "center"});
      }
    }
    await pause();
  }
  return {X: 0, Y: 0, Found: false, Covered: covered};
})(%s, %d)`

// click is a person's click on the first visible element matching sel. It
// presses the mouse at the element's centre only once the element holds
// still and nothing covers it: a position taken while a live update was
// moving the page would press whatever took the element's place.
func click(sel string, within time.Duration) chromedp.Action[chromedp.Void] {
	return func(ctx context.Context, t *chromedp.Target) (chromedp.Void, error) {
		p, err := chromedp.Evaluate[clickPoint](fmt.Sprintf(stillJS, jsString(sel), within.Milliseconds()), chromedp.EvalAwaitPromise)(ctx, t)
		switch {
		case err != nil:
			return chromedp.Void{}, err
		case !p.Found && p.Covered != "":
			return chromedp.Void{}, fmt.Errorf("%s stays covered by %s", sel, p.Covered)
		case !p.Found:
			return chromedp.Void{}, fmt.Errorf("no visible %s", sel)
		}
		return chromedp.MouseClickXY(p.X, p.Y)(ctx, t)
	}
}
