package browsertest

import (
	"context"
	"fmt"

	"github.com/chromedp/chromedp"
)

// ClickNavStatus is ClickNav for a click whose next page must answer
// status, e.g. a form sent back with field errors (400); the console error
// Chromium logs for an error status is expected.
func (tab *Tab) ClickNavStatus(sel string, status int64) {
	tab.t.Helper()
	if status >= 400 {
		tab.ExpectConsoleError(fmt.Sprintf("status of %d", status))
	}
	ctx, cancel := context.WithTimeout(tab.ctx, tab.b.Timeout)
	defer cancel()
	res, err := chromedp.RunResponse(ctx, click(sel, tab.b.Timeout*9/10))
	if err != nil {
		tab.failf("click %s and wait for the next page: %v", sel, err)
	}
	tab.checkResponse("click "+sel, res, status)
}
