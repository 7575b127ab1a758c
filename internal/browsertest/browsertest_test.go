package browsertest

import (
	"bytes"
	"fmt"
	"image/png"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
)

// recorder is a testing.TB that keeps the errors a tab reports, so the test
// can check that broken pages are caught.
type recorder struct {
	testing.TB
	mu   sync.Mutex
	errs []string
}

func (r *recorder) Helper() {}

func (r *recorder) Errorf(format string, args ...any) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.errs = append(r.errs, fmt.Sprintf(format, args...))
}

func (r *recorder) reported() string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return strings.Join(r.errs, "\n")
}

// htmlPage serves HTML under the same Content-Security-Policy SoulSeer sends.
func htmlPage(body string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Security-Policy", "default-src 'self'; img-src 'self' data:; script-src 'self'; style-src 'self'")
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprint(w, `<!doctype html><html lang="en"><head><title>t</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="icon" href="data:,"><link rel="stylesheet" href="/s.css"></head><body>`+body+"</body></html>")
	}
}

func TestConsoleProblemsAreReported(t *testing.T) {
	mux := http.NewServeMux()
	mux.HandleFunc("/s.css", func(w http.ResponseWriter, r *http.Request) { w.Header().Set("Content-Type", "text/css") })
	mux.Handle("/clean", htmlPage(`<h1 id="ok">Fine</h1><script src="/ok.js"></script>`))
	mux.HandleFunc("/ok.js", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/javascript")
		fmt.Fprint(w, `console.log("hello"); document.getElementById("ok").dataset.ran = "1";`)
	})
	mux.HandleFunc("/missing", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.WriteHeader(http.StatusNotFound)
		fmt.Fprint(w, `<!doctype html><html lang="en"><head><link rel="icon" href="data:,"><title>404</title></head><body>gone</body></html>`)
	})
	mux.Handle("/inline", htmlPage(`<p>inline</p><script>console.log("inline ran")</script>`))
	mux.Handle("/throws", htmlPage(`<p>throws</p><script src="/throw.js"></script>`))
	mux.HandleFunc("/throw.js", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/javascript")
		fmt.Fprint(w, `console.error("something broke"); throw new Error("kaboom");`)
	})
	ts := httptest.NewServer(mux)
	defer ts.Close()

	rec := &recorder{TB: t}
	b := New(rec, ts.URL)
	tab := b.NewTab("probe")

	tab.Visit("/clean")
	tab.WaitJS("the script ran", `document.getElementById("ok").dataset.ran === "1"`)
	if got := rec.reported(); got != "" {
		t.Fatalf("a clean page reported problems:\n%s", got)
	}

	tab.Visit("/inline")
	tab.CheckConsole()
	if got := rec.reported(); !strings.Contains(got, "Content-Security-Policy violation") {
		t.Errorf("an inline script blocked by CSP was not reported; got:\n%s", got)
	}

	rec.errs = nil
	tab.Visit("/throws")
	tab.CheckConsole()
	got := rec.reported()
	for _, want := range []string{"something broke", "kaboom"} {
		if !strings.Contains(got, want) {
			t.Errorf("console problem %q not reported; got:\n%s", want, got)
		}
	}

	rec.errs = nil
	tab.VisitStatus("/missing", 404)
	tab.CheckConsole()
	if got := rec.reported(); got != "" {
		t.Errorf("an expected 404 was reported:\n%s", got)
	}
}

func TestViewportsAndCapture(t *testing.T) {
	mux := http.NewServeMux()
	mux.Handle("/{$}", htmlPage(`<div id="tall">tall</div>`))
	mux.HandleFunc("/s.css", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/css")
		fmt.Fprint(w, "#tall { height: 3000px; }")
	})
	ts := httptest.NewServer(mux)
	defer ts.Close()
	b := New(t, ts.URL)
	a, c := b.NewTab("a"), b.NewTab("b")
	a.Visit("/")
	c.Visit("/")
	c.Phone()
	if w := Eval[int](a, "innerWidth"); w != 1280 {
		t.Errorf("desktop width %d, want 1280", w)
	}
	if w := Eval[int](c, "innerWidth"); w != 390 {
		t.Errorf("phone width %d, want 390", w)
	}
	for _, v := range []Viewport{Desktop, Phone} {
		img, err := png.Decode(bytes.NewReader(c.capture(v)))
		if err != nil {
			t.Fatal(err)
		}
		size := img.Bounds().Size()
		wantW, wantH := int(float64(v.Width)*v.ShotScale), int(float64(v.MaxShot)*v.ShotScale)
		if size.X != wantW || size.Y != wantH {
			t.Errorf("%s screenshot is %v, want %dx%d (cut at MaxShot)", v.Name, size, wantW, wantH)
		}
	}
}

func TestTabsHaveSeparateCookies(t *testing.T) {
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/s.css" {
			w.Header().Set("Content-Type", "text/css")
			return
		}
		if r.URL.Path == "/set" {
			http.SetCookie(w, &http.Cookie{Name: "who", Value: "a", Path: "/"})
		}
		c, _ := r.Cookie("who")
		v := "none"
		if c != nil {
			v = c.Value
		}
		htmlPage(`<p id="who">`+v+`</p>`)(w, r)
	}))
	defer ts.Close()
	b := New(t, ts.URL)
	a, other := b.NewTab("a"), b.NewTab("b")
	a.Visit("/set")
	a.Visit("/")
	other.Visit("/")
	if got := a.Text("#who"); got != "a" {
		t.Errorf("tab a sees cookie %q, want a", got)
	}
	if got := other.Text("#who"); got != "none" {
		t.Errorf("tab b sees cookie %q, want none (separate cookie jars)", got)
	}
}
