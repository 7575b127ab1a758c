package browsertest

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
)

// cspReporter runs in every document before the page's own scripts (it is
// not subject to the page's Content-Security-Policy) and turns each CSP
// violation into a console error, which fails the test.
const cspReporter = `document.addEventListener("securitypolicyviolation", function (e) {
  console.error("Content-Security-Policy violation: " + e.violatedDirective + " blocked " +
    (e.blockedURI || "inline code") + " in " + (e.sourceFile || e.documentURI) + ":" + e.lineNumber);
});`

// flushPrefix marks the console messages CheckConsole writes to know that
// every earlier message has been seen.
const flushPrefix = "browsertest:flush:"

// record looks at one console message of the tab.
func (tab *Tab) record(m chromedp.ConsoleMessage) {
	tab.mu.Lock()
	defer tab.mu.Unlock()
	if strings.HasPrefix(m.Text, flushPrefix) {
		if ch, ok := tab.flushes[m.Text]; ok {
			close(ch)
			delete(tab.flushes, m.Text)
		}
		return
	}
	bad := m.Type == chromedp.ConsoleError || m.IsException() ||
		strings.Contains(m.Text, "Content Security Policy") || strings.Contains(m.Text, "Content-Security-Policy")
	if !bad {
		return
	}
	for i, a := range tab.allowed {
		if strings.Contains(m.Text, a) {
			tab.allowed = append(tab.allowed[:i], tab.allowed[i+1:]...)
			return
		}
	}
	where := m.URL
	if where != "" && m.Line > 0 {
		where = fmt.Sprintf("%s:%d", where, m.Line+1)
	}
	if m.Source != "" {
		where = strings.TrimSpace(m.Source + " " + where)
	}
	tab.problems = append(tab.problems, fmt.Sprintf("%s (%s)", m, where))
}

// ExpectConsoleError allows one console error containing substr, for a page
// the test visits on purpose to see an error (e.g. a 404 page, which
// Chromium logs as a failed resource).
func (tab *Tab) ExpectConsoleError(substr string) {
	tab.mu.Lock()
	tab.allowed = append(tab.allowed, substr)
	tab.mu.Unlock()
}

// CheckConsole waits until every console message the page has written so
// far has been seen, and reports each unexpected error, uncaught exception
// and CSP violation as a test error. Navigation helpers and Screenshot call
// it; a tab's last check runs when the test ends.
func (tab *Tab) CheckConsole() {
	tab.t.Helper()
	tab.mu.Lock()
	tab.flushN++
	marker := fmt.Sprintf("%s%d", flushPrefix, tab.flushN)
	seen := make(chan struct{})
	tab.flushes[marker] = seen
	tab.mu.Unlock()

	ctx, cancel := context.WithTimeout(tab.ctx, 5*time.Second)
	defer cancel()
	if _, err := chromedp.Run(ctx, chromedp.Evaluate[chromedp.Void](fmt.Sprintf("console.debug(%q)", marker))); err == nil {
		select {
		case <-seen:
		case <-ctx.Done():
			tab.t.Errorf("%s tab: the console did not answer within 5s; later errors may be missed", tab.Name)
		}
	}
	tab.mu.Lock()
	problems := tab.problems
	tab.problems = nil
	delete(tab.flushes, marker)
	tab.mu.Unlock()
	for _, p := range problems {
		tab.t.Errorf("%s tab: browser console: %s", tab.Name, p)
	}
}

// prepare installs the CSP reporter, asks for reduced motion and sets the
// desktop viewport.
func (tab *Tab) prepare() {
	tab.t.Helper()
	tab.do("prepare tab",
		chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
			_, err := cdp.Call(ctx, t, page.AddScriptToEvaluateOnNewDocument, page.AddScriptToEvaluateOnNewDocumentParams{Source: cspReporter})
			return err
		}),
	)
	tab.emulateReducedMotion()
	tab.SetViewport(Desktop)
}
