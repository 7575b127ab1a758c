package web_test

import (
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/soulseer/soulseer/internal/apptest"
)

// SEC-5: a method a path does not take answers 405 with Allow listing the
// methods it does take — an error page for pages, a problem document under
// /api/v1 — while paths no route has still answer 404.
func TestWrongMethodIs405_SEC5(t *testing.T) {
	eachApp(t, func(t *testing.T, s *apptest.Server) {
		w := newWorld(t, s)
		for _, tc := range []struct {
			method, path string
			allow        []string
		}{
			{"DELETE", "/api/v1/readers", []string{"GET", "HEAD"}},
			{"PATCH", "/api/v1/me/favorites/" + id(w.reader.ID), []string{"PUT", "DELETE"}},
			{"GET", "/api/v1/auth/login", []string{"POST"}},
			{"PUT", "/api/v1/readers/" + id(w.reader.ID) + "/queue", []string{"GET", "HEAD", "POST", "DELETE"}},
		} {
			res := w.as["admin"].Do(tc.method, tc.path, nil)
			p := problemOf(t, res, http.StatusMethodNotAllowed)
			if p.Code != "method_not_allowed" || !sameMethods(res.Header.Get("Allow"), tc.allow) {
				t.Errorf("%s %s: Allow %q, problem %+v; want %v", tc.method, tc.path, res.Header.Get("Allow"), p, tc.allow)
			}
		}
		for _, tc := range []struct {
			method, path string
			allow        []string
		}{
			{"DELETE", "/readers", []string{"GET", "HEAD"}},
			{"PUT", "/login", []string{"GET", "HEAD", "POST"}},
			{"GET", "/logout", []string{"POST"}},
		} {
			res := w.as["admin"].Do(tc.method, tc.path, nil)
			if res.Status != http.StatusMethodNotAllowed || !sameMethods(res.Header.Get("Allow"), tc.allow) ||
				!strings.HasPrefix(res.Header.Get("Content-Type"), "text/html") {
				t.Errorf("%s %s: %d Allow %q %s; want 405 page with Allow %v", tc.method, tc.path, res.Status,
					res.Header.Get("Allow"), res.Header.Get("Content-Type"), tc.allow)
			}
		}
		if res := w.as["admin"].Do("GET", "/no/such/page", nil); res.Status != http.StatusNotFound || res.Header.Get("Allow") != "" {
			t.Errorf("unknown page: %d Allow %q", res.Status, res.Header.Get("Allow"))
		}
		if p := problemOf(t, w.as["admin"].Do("DELETE", "/api/v1/no-such-thing", nil), http.StatusNotFound); p.Code != "not_found" {
			t.Errorf("unknown API path: %+v", p)
		}
	})
}

// sameMethods reports whether an Allow header lists exactly want.
func sameMethods(allow string, want []string) bool {
	var got []string
	for _, m := range strings.Split(allow, ",") {
		got = append(got, strings.TrimSpace(m))
	}
	slices.Sort(got)
	want = slices.Clone(want)
	slices.Sort(want)
	return slices.Equal(got, want)
}
