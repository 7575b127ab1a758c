// Package browsertest drives SoulSeer in a real, headless Chromium for tests.
//
// A test starts one Browser per app under test and opens a Tab for every
// person in its story (a client, a reader, an admin). Each tab lives in its
// own browser context, so each has its own cookie jar, as two people on two
// machines would. Every helper waits with a deadline, never with a fixed
// sleep, and fails the test with the page's address and text when the page
// does not get there.
//
// Broken JavaScript fails the test: every console error, uncaught exception
// and Content-Security-Policy violation on a tab's pages is reported as a
// test error (a tab only ever visits the app under test).
//
// Inaccessible pages fail the test too (SEC-7): every page a tab opens,
// and every state it waits for (WaitVisible, WaitHTMX) or photographs, is
// checked with the built-in axe-core at desktop and phone width, and each
// serious or critical violation is reported (see Tab.CheckAccessibility).
//
// With SOULSEER_SCREENSHOTS=1, Tab.Screenshot saves full-page PNGs of the
// current page at desktop and phone width under docs/screenshots/ in the
// repository; without it, screenshots are skipped and tests stay fast.
//
// The browser is Debian's Chromium (SOULSEER_CHROMIUM, else /usr/bin/chromium,
// else chromium on the PATH). Nothing here downloads a browser; a missing one
// skips the test, or fails it under CI=true.
package browsertest

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/soulseer/soulseer/internal/db/dbtest"
)

// Environment variables the package reads.
const (
	// EnvChromium names the Chromium executable to use.
	EnvChromium = "SOULSEER_CHROMIUM"
	// EnvScreenshots, set to 1, makes Tab.Screenshot write PNGs.
	EnvScreenshots = "SOULSEER_SCREENSHOTS"
)

// DefaultTimeout bounds every wait of a tab helper.
const DefaultTimeout = 15 * time.Second

// Flags are the command-line switches Chromium starts with, besides a fresh
// temporary --user-data-dir: headless, no sandbox (tests run as root in
// containers), and nothing that phones home or downloads components.
var Flags = []string{
	"headless",
	"no-sandbox",
	"disable-gpu",
	"disable-background-networking",
	"disable-component-update",
	"no-first-run",
	"disable-sync",
	"disable-quic",
}

// FindChromium returns the path of the Chromium to drive: $SOULSEER_CHROMIUM,
// else /usr/bin/chromium, else chromium on the PATH. When there is none it
// skips the test (fails it under CI=true) with a message saying what to set
// or install.
func FindChromium(t testing.TB) string {
	t.Helper()
	if p := os.Getenv(EnvChromium); p != "" {
		if _, err := os.Stat(p); err != nil {
			dbtest.SkipOrFail(t, "browser tests: %s=%s: %v (install Chromium with `apt-get install chromium` or point %s at it)", EnvChromium, p, err, EnvChromium)
		}
		return p
	}
	if _, err := os.Stat("/usr/bin/chromium"); err == nil {
		return "/usr/bin/chromium"
	}
	if p, err := exec.LookPath("chromium"); err == nil {
		return p
	}
	dbtest.SkipOrFail(t, "browser tests need Chromium: `apt-get install chromium`, or set %s to its path", EnvChromium)
	return ""
}

// Browser is one headless Chromium process serving one test.
type Browser struct {
	// BaseURL is the app under test; tabs visit paths below it.
	BaseURL string
	// Timeout bounds each wait of a tab helper; DefaultTimeout unless changed.
	Timeout time.Duration
	// Screenshots makes Tab.Screenshot write files. New sets it from
	// SOULSEER_SCREENSHOTS=1; a test may switch it off (e.g. for a second
	// database engine, so one run owns the pictures).
	Screenshots bool

	t   testing.TB
	ctx context.Context // the browser's first context; tabs derive from it
}

// New starts Chromium for the test and stops it when the test ends.
func New(t testing.TB, baseURL string) *Browser {
	t.Helper()
	exe := FindChromium(t)
	dir, err := os.MkdirTemp("", "soulseer-chromium-")
	if err != nil {
		t.Fatal(err)
	}
	opts := []chromedp.ExecAllocatorOption{chromedp.ExecPath(exe)}
	for _, f := range Flags {
		opts = append(opts, chromedp.Flag(f, true))
	}
	opts = append(opts, chromedp.UserDataDir(dir))

	// chromedp logs from its own goroutines; t.Logf must not be called once
	// the test is over.
	var over atomic.Bool
	logf := func(format string, args ...any) {
		if !over.Load() {
			t.Logf("chromium: "+format, args...)
		}
	}
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancel := chromedp.NewContext(allocCtx, chromedp.WithLogf(logf), chromedp.WithErrorf(logf))
	stop := func() {
		// Close Chromium gracefully so it removes its own temporary files,
		// then make sure it is gone.
		closeCtx, cancelClose := context.WithTimeout(ctx, 10*time.Second)
		_ = chromedp.Cancel(closeCtx)
		cancelClose()
		cancel()
		cancelAlloc()
		over.Store(true)
		removeProfile(dir)
	}
	startCtx, cancelStart := context.WithTimeout(ctx, 60*time.Second)
	defer cancelStart()
	// The first action binds the browser's life to its context, so it runs
	// on ctx itself; the timeout only guards the start.
	started := make(chan error, 1)
	go func() { started <- chromedp.Do(ctx) }()
	select {
	case err = <-started:
	case <-startCtx.Done():
		err = errors.New("no answer within 60s")
	}
	if err != nil {
		stop()
		t.Fatalf("start %s: %v", exe, err)
	}
	t.Cleanup(stop)
	return &Browser{
		BaseURL:     baseURL,
		Timeout:     DefaultTimeout,
		Screenshots: os.Getenv(EnvScreenshots) == "1",
		t:           t,
		ctx:         ctx,
	}
}

// NewTab opens a tab in a fresh browser context: its own cookies, storage
// and cache, like a separate person's browser. It starts at desktop size
// with reduced motion (so animations never make pages move under the test
// or the camera). The tab closes when the test ends, after a last check of
// its console.
func (b *Browser) NewTab(name string) *Tab {
	b.t.Helper()
	ctx, cancel := chromedp.NewContext(b.ctx, chromedp.WithNewBrowserContext())
	if err := chromedp.Do(ctx); err != nil {
		cancel()
		b.t.Fatalf("open tab %s: %v", name, err)
	}
	tab := &Tab{Name: name, b: b, t: b.t, ctx: ctx, flushes: map[string]chan struct{}{}}
	watching := make(chan struct{})
	msgs := chromedp.Console(ctx)
	go func() {
		defer close(watching)
		for m, err := range msgs {
			if err != nil {
				return
			}
			tab.record(m)
		}
	}()
	b.t.Cleanup(func() {
		tab.CheckConsole()
		cancel()
		<-watching
	})
	tab.prepare()
	return tab
}

// Tab is one browser tab with its own cookie jar. Its helpers fail the test
// (t.Fatal) when the page does not behave, so they must be called from the
// test's goroutine.
type Tab struct {
	// Name says whose tab this is in failure messages ("client", "admin").
	Name string

	b    *Browser
	t    testing.TB
	ctx  context.Context
	view Viewport

	mu       sync.Mutex
	problems []string                 // console errors not yet reported
	allowed  []string                 // expected console errors, by substring, each used once
	flushes  map[string]chan struct{} // console markers awaited by CheckConsole
	flushN   int
}

// do runs chromedp steps with the browser's deadline, failing the test with
// what was being done.
func (tab *Tab) do(what string, steps ...chromedp.Action[chromedp.Void]) {
	tab.t.Helper()
	ctx, cancel := context.WithTimeout(tab.ctx, tab.b.Timeout)
	defer cancel()
	if err := chromedp.Do(ctx, steps...); err != nil {
		tab.failf("%s: %v", what, err)
	}
}

// run runs one chromedp action with the browser's deadline and returns its value.
func run[T any](tab *Tab, what string, a chromedp.Action[T]) T {
	tab.t.Helper()
	v, err := tryRun(tab, tab.b.Timeout, a)
	if err != nil {
		tab.failf("%s: %v", what, err)
	}
	return v
}

// tryRun runs one chromedp action within d and returns its value and
// error, for steps whose failure the caller judges.
func tryRun[T any](tab *Tab, d time.Duration, a chromedp.Action[T]) (T, error) {
	ctx, cancel := context.WithTimeout(tab.ctx, d)
	defer cancel()
	return chromedp.Run(ctx, a)
}

// failf fails the test, adding where the tab is and what it shows.
func (tab *Tab) failf(format string, args ...any) {
	tab.t.Helper()
	msg := fmt.Sprintf(format, args...)
	ctx, cancel := context.WithTimeout(tab.ctx, 3*time.Second)
	defer cancel()
	where, _ := chromedp.Run(ctx, chromedp.Evaluate[string](
		`location.href + "\n--- page text ---\n" + (document.body ? document.body.innerText.slice(0, 1500) : "")`))
	tab.mu.Lock()
	problems := append([]string(nil), tab.problems...)
	tab.mu.Unlock()
	if len(problems) > 0 {
		where += fmt.Sprintf("\n--- console errors ---\n%q", problems)
	}
	tab.t.Fatalf("%s tab: %s\nat %s", tab.Name, msg, where)
}

// removeProfile deletes a browser's user data directory and the directory
// of its singleton socket, which Chromium keeps outside the profile (in
// /tmp) and leaves behind when it does not exit cleanly.
func removeProfile(dir string) {
	if target, err := os.Readlink(filepath.Join(dir, "SingletonSocket")); err == nil {
		if sock := filepath.Dir(target); strings.HasPrefix(filepath.Base(sock), "org.chromium.Chromium.") {
			os.RemoveAll(sock)
		}
	}
	os.RemoveAll(dir)
}

// resolveRoot finds the repository root: the nearest directory at or above
// the working directory that holds go.mod.
func resolveRoot() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", errors.New("browsertest: no go.mod above the working directory")
		}
		dir = parent
	}
}
