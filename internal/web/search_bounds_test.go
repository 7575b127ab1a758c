package web_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/soulseer/soulseer/internal/apptest"
)

// SEC-5: a search term longer than 100 characters is refused with a field
// error (API) or a form message (pages), never a 500 from the database —
// SQLite refuses LIKE patterns of 50,000 bytes. A term of exactly 100
// characters still searches.
func TestSearchTermsAreBounded_SEC5(t *testing.T) {
	eachApp(t, func(t *testing.T, s *apptest.Server) {
		w := newWorld(t, s)
		long := strings.Repeat("a", 50_000)
		for _, tc := range []struct{ path, field string }{
			{"/api/v1/readers?q=", "q"},
			{"/api/v1/admin/users?q=", "q"},
		} {
			p := problemOf(t, w.as["admin"].Do("GET", tc.path+long, nil), http.StatusBadRequest)
			if !strings.Contains(p.Errors[tc.field], "100") {
				t.Fatalf("%s: errors %v lack a %s message naming the bound", tc.path, p.Errors, tc.field)
			}
		}
		for _, path := range []string{"/readers?q=", "/admin/users?q=", "/admin/audit?action="} {
			res := w.as["admin"].Do("GET", path+long, nil)
			if res.Status != http.StatusBadRequest {
				t.Fatalf("%s: status %d, want 400", path, res.Status)
			}
			mustContain(t, res, `class="field-error"`, "at most 100 characters")
		}

		// At the bound the searches run and find what they should.
		at := url.QueryEscape("Luna" + strings.Repeat(" ", 96))
		var list struct {
			Total int `json:"total"`
		}
		res := w.as["admin"].Do("GET", "/api/v1/readers?q="+at, nil)
		if res.Status != http.StatusOK {
			t.Fatalf("100-character reader search: %d %s", res.Status, res.Body)
		}
		res.JSON(t, &list)
		if list.Total != 1 {
			t.Fatalf("100-character reader search found %d readers, want Luna", list.Total)
		}
		res = w.as["admin"].Do("GET", "/api/v1/admin/users?q="+url.QueryEscape("cleo@"+strings.Repeat(" ", 95)), nil)
		if res.Status != http.StatusOK {
			t.Fatalf("100-character user search: %d %s", res.Status, res.Body)
		}
		res.JSON(t, &list)
		if list.Total != 1 {
			t.Fatalf("100-character user search found %d users, want Cleo", list.Total)
		}
		for _, path := range []string{"/readers?q=" + at, "/admin/users?q=" + at, "/admin/audit?action=" + strings.Repeat("r", 100)} {
			if res := w.as["admin"].Do("GET", path, nil); res.Status != http.StatusOK {
				t.Fatalf("%s: status %d, want 200", path[:20], res.Status)
			}
		}
	})
}
