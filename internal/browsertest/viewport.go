package browsertest

import (
	"context"
	"os"
	"path/filepath"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
)

// Viewport is a screen a tab can emulate.
type Viewport struct {
	Name          string  // used in screenshot file names
	Width, Height int64   // CSS pixels
	Scale         float64 // device pixels per CSS pixel
	Mobile        bool    // mobile emulation: touch, portrait, mobile meta viewport
	// MaxShot cuts full-page screenshots at this height (CSS pixels), and
	// ShotScale is the screenshot's pixels per CSS pixel: together they keep
	// the pictures in the repository small.
	MaxShot   int64
	ShotScale float64
}

// The two viewports every page is checked and photographed at: pictures
// are 960 pixels wide for the desktop (its 1280-pixel layout, scaled) and
// 390 for the phone.
var (
	Desktop = Viewport{Name: "desktop", Width: 1280, Height: 800, Scale: 1, MaxShot: 1300, ShotScale: 0.75}
	Phone   = Viewport{Name: "phone", Width: 390, Height: 844, Scale: 2, Mobile: true, MaxShot: 1400, ShotScale: 1}
)

// emulate returns the action that makes the tab's screen v, height h.
func (v Viewport) emulate(h int64) chromedp.Action[chromedp.Void] {
	opts := []chromedp.EmulateViewportOption{chromedp.EmulateScale(v.Scale)}
	if v.Mobile {
		opts = append(opts, chromedp.EmulateMobile, chromedp.EmulateTouch, chromedp.EmulatePortrait)
	}
	return chromedp.EmulateViewport(v.Width, h, opts...)
}

// SetViewport makes the tab's screen v, without reloading the page (CSS
// media queries apply at once).
func (tab *Tab) SetViewport(v Viewport) {
	tab.t.Helper()
	tab.do("set viewport "+v.Name, v.emulate(v.Height))
	tab.view = v
	tab.settle()
}

// Desktop makes the tab a 1280×800 desktop screen.
func (tab *Tab) Desktop() { tab.t.Helper(); tab.SetViewport(Desktop) }

// Phone makes the tab a 390×844 phone screen with mobile emulation.
func (tab *Tab) Phone() { tab.t.Helper(); tab.SetViewport(Phone) }

// emulateReducedMotion asks pages for prefers-reduced-motion, so CSS
// animations and transitions stand still.
func (tab *Tab) emulateReducedMotion() {
	tab.t.Helper()
	tab.do("emulate reduced motion", chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
		_, err := cdp.Call(ctx, t, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{
			Features: []*emulation.MediaFeature{{Name: "prefers-reduced-motion", Value: "reduce"}},
		})
		return err
	}))
}

// hideScrollbars hides the page's scrollbars (for pictures) or shows them again.
func (tab *Tab) hideScrollbars(hidden bool) {
	tab.t.Helper()
	tab.do("hide scrollbars", chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
		_, err := cdp.Call(ctx, t, emulation.SetScrollbarsHidden, emulation.SetScrollbarsHiddenParams{Hidden: hidden})
		return err
	}))
}

// settle waits for two animation frames, so layout after a viewport change
// or a swap has been painted.
func (tab *Tab) settle() {
	tab.t.Helper()
	run(tab, "wait for paint", chromedp.Evaluate[chromedp.Void](
		`new Promise(function (r) { requestAnimationFrame(function () { requestAnimationFrame(function () { r(); }); }); })`,
		chromedp.EvalAwaitPromise))
}

// imagesLoaded is true when every image in the viewport has loaded; a
// broken image never is, so a screenshot of it fails the test.
const imagesLoaded = `Array.from(document.images).every(function (i) {
  var r = i.getBoundingClientRect();
  if (r.width === 0 || r.bottom < 0 || r.top > innerHeight) return true;
  return i.complete && i.naturalWidth > 0;
}) && document.fonts.status === "loaded"`

// Screenshot saves the current page as docs/screenshots/<name>-desktop.png
// and <name>-phone.png (full page, cut at the viewport's MaxShot height)
// when SOULSEER_SCREENSHOTS=1. It always checks the console and the page's
// accessibility first, so tests behave the same with and without pictures. The tab returns to its
// viewport afterwards.
func (tab *Tab) Screenshot(name string) {
	tab.t.Helper()
	tab.ScreenshotAt(name, Desktop, Phone)
}

// ScreenshotAt is Screenshot for the given viewports only.
func (tab *Tab) ScreenshotAt(name string, views ...Viewport) {
	tab.t.Helper()
	tab.CheckConsole()
	tab.CheckAccessibility()
	if !tab.b.Screenshots {
		return
	}
	root, err := resolveRoot()
	if err != nil {
		tab.t.Fatal(err)
	}
	dir := filepath.Join(root, "docs", "screenshots")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		tab.t.Fatal(err)
	}
	prev := tab.view
	tab.hideScrollbars(true)
	defer tab.hideScrollbars(false)
	for _, v := range views {
		img := tab.capture(v)
		file := filepath.Join(dir, name+"-"+v.Name+".png")
		if err := os.WriteFile(file, img, 0o644); err != nil {
			tab.t.Fatal(err)
		}
		tab.t.Logf("screenshot %s (%d KB)", file, len(img)/1024)
	}
	tab.SetViewport(prev)
}

// capture renders the whole page at viewport v (up to v.MaxShot tall) and
// returns it as a PNG.
func (tab *Tab) capture(v Viewport) []byte {
	tab.t.Helper()
	tab.SetViewport(v)
	h := run(tab, "measure page", chromedp.Evaluate[float64](`Math.ceil(document.documentElement.scrollHeight)`))
	height := min(max(int64(h), v.Height), v.MaxShot)
	tab.do("grow viewport for the screenshot", v.emulate(height))
	tab.settle()
	tab.waitJS("images in view have loaded", imagesLoaded)
	return run(tab, "screenshot "+v.Name, func(ctx context.Context, t *chromedp.Target) ([]byte, error) {
		res, err := cdp.Call(ctx, t, page.CaptureScreenshot, page.CaptureScreenshotParams{
			Format: page.CaptureScreenshotFormatPng, FromSurface: new(true),
			Clip: &page.Viewport{Width: float64(v.Width), Height: float64(height), Scale: v.ShotScale / v.Scale},
		})
		return res.Data, err
	})
}
