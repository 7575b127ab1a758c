package browsertest

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"runtime"
	"strings"
	"testing"

	"github.com/chromedp/chromedp/kb"
)

// stopRecorder is a recorder whose Fatalf also ends the goroutine, as
// testing.T's does, so a helper's failure can be observed.
type stopRecorder struct{ *recorder }

func (r stopRecorder) Fatalf(format string, args ...any) {
	r.Errorf(format, args...)
	runtime.Goexit()
}

// SEC-7: TabTo reaches elements with the Tab key only, checking on the way
// that each focused element shows its focus; PressNav follows a link from
// the keyboard.
func TestKeyboardFocusIsChecked(t *testing.T) {
	mux := http.NewServeMux()
	mux.HandleFunc("/s.css", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/css")
		fmt.Fprint(w, `.bare:focus { outline: none; }`)
	})
	mux.Handle("/keys", htmlPage(`<main><h1>Keys</h1><a href="/next">Next</a> <button type="button" id="plain">Plain</button> <button type="button" class="bare" id="bare">Bare</button></main>`))
	mux.Handle("/next", htmlPage(`<main><h1 id="next">Next page</h1></main>`))
	ts := httptest.NewServer(mux)
	defer ts.Close()

	rec := stopRecorder{&recorder{TB: t}}
	tab := New(rec, ts.URL).NewTab("keys")
	tab.Visit("/keys")
	tab.TabTo("#plain")
	tab.ShiftTabTo(`a[href="/next"]`)
	tab.PressNav(kb.Enter)
	if p := tab.Path(); p != "/next" {
		t.Fatalf("Enter on the focused link led to %s, want /next", p)
	}

	// A button whose focus is not drawn stops TabTo.
	tab.Visit("/keys")
	done := make(chan struct{})
	go func() {
		defer close(done)
		tab.TabTo("#bare")
	}()
	<-done
	got := rec.reported()
	if !strings.Contains(got, `Tab reached button#bare.bare "Bare", which shows no visible focus`) {
		t.Errorf("a focused button without a focus indicator was not reported; got:\n%s", got)
	}
	if strings.Contains(got, "reached button#plain") {
		t.Errorf("a button with the browser's focus ring was reported:\n%s", got)
	}
}
