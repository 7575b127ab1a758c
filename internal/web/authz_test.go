package web_test

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/soulseer/soulseer/internal/apptest"
	"github.com/soulseer/soulseer/internal/db"
	"github.com/soulseer/soulseer/internal/web"
)

var pathParam = regexp.MustCompile(`\{[^}]*\}`)

// fillPattern turns a route pattern into a request path: {id} becomes the
// verified reader's id, {$} disappears, other parameters get a plausible
// value.
func fillPattern(pattern string, w *world) string {
	return pathParam.ReplaceAllStringFunc(pattern, func(p string) string {
		switch p {
		case "{$}":
			return ""
		case "{id}":
			return id(w.reader.ID)
		case "{path...}":
			return "css/app.css"
		case "{key...}":
			return "avatars/none.jpg"
		}
		if strings.HasSuffix(p, "...}") {
			return "x"
		}
		return "1"
	})
}

// ACC-3 SEC-5: the matrix of every route in the route table against every
// kind of caller. Visitors get 401 on routes that need a user (a problem
// document from the API, a redirect to /login from a page GET); signed-in
// users without the role get 403; users with the role are never refused.
// A route added to the table is covered without touching this test.
func TestAuthorizationMatrix_ACC3(t *testing.T) {
	eachApp(t, func(t *testing.T, s *apptest.Server) {
		w := newWorld(t, s)
		callers := map[string]*apptest.Client{
			"anon":   s.Client(),
			"client": bearer(t, s, w.client),
			"reader": bearer(t, s, w.reader),
			"admin":  bearer(t, s, w.admin),
		}
		allowed := map[string]map[string]bool{
			"public":   {"anon": true, "client": true, "reader": true, "admin": true},
			"signedIn": {"client": true, "reader": true, "admin": true},
			"readers":  {"reader": true},
			"admins":   {"admin": true},
		}
		routes := web.RouteTable(s.App.Web)
		if len(routes) < 40 {
			t.Fatalf("only %d routes in the table", len(routes))
		}
		for _, rt := range routes {
			ok, known := allowed[rt.Access]
			if !known {
				t.Errorf("%s %s: access %q is not covered by this test", rt.Method, rt.Pattern, rt.Access)
				continue
			}
			path := fillPattern(rt.Pattern, w)
			for _, who := range []string{"anon", "client", "reader", "admin"} {
				res := callers[who].Do(rt.Method, path, nil)
				where := rt.Method + " " + path + " as " + who
				switch {
				case ok[who]:
					// A public route may answer 401 on its own terms (a
					// wrong password); others must let the caller in.
					if rt.Access != "public" && (res.Status == http.StatusUnauthorized || res.Status == http.StatusForbidden) {
						t.Errorf("%s: refused with %d: %.200s", where, res.Status, res.Body)
					}
					if res.Status >= 500 && res.Status != http.StatusServiceUnavailable {
						t.Errorf("%s: %d: %.200s", where, res.Status, res.Body)
					}
				case who == "anon":
					if !rt.API && rt.Method == http.MethodGet {
						loc, _ := url.Parse(res.Header.Get("Location"))
						if res.Status != http.StatusSeeOther || loc == nil || loc.Path != "/login" || loc.Query().Get("next") != path {
							t.Errorf("%s: %d to %q, want 303 to /login?next=%s", where, res.Status, res.Header.Get("Location"), path)
						}
						continue
					}
					if res.Status != http.StatusUnauthorized {
						t.Errorf("%s: %d, want 401", where, res.Status)
						continue
					}
					if rt.API {
						problemOf(t, res, http.StatusUnauthorized)
					}
				default:
					if res.Status != http.StatusForbidden {
						t.Errorf("%s: %d, want 403: %.200s", where, res.Status, res.Body)
						continue
					}
					if rt.API {
						problemOf(t, res, http.StatusForbidden)
					} else if !strings.HasPrefix(res.Header.Get("Content-Type"), "text/html") {
						t.Errorf("%s: 403 page is %q", where, res.Header.Get("Content-Type"))
					}
				}
			}
		}
	})
}

// ACC-3: no route lets a non-admin change something by another user's id.
// The only state-changing routes with an {id} that non-admins may call are
// the favourites, which change the caller's own list.
func TestNoRouteEditsAnotherUsersID_ACC3(t *testing.T) {
	t.Parallel()
	s := apptest.Start(t, db.SQLite)
	ownList := map[string]bool{
		"POST /readers/{id}/favorite":      true,
		"POST /readers/{id}/unfavorite":    true,
		"PUT /api/v1/me/favorites/{id}":    true,
		"DELETE /api/v1/me/favorites/{id}": true,
	}
	for _, rt := range web.RouteTable(s.App.Web) {
		if rt.Method == http.MethodGet || rt.Access == "admins" || !strings.Contains(rt.Pattern, "{id}") {
			continue
		}
		if !ownList[rt.Method+" "+rt.Pattern] {
			t.Errorf("%s %s changes state by {id} and is open to %s", rt.Method, rt.Pattern, rt.Access)
		}
	}
}

// ACC-3 RDR-1: a reader edits only their own profile, whatever the request
// says, and cannot reach the admin actions on another reader.
func TestReaderCannotEditAnotherReader_ACC3(t *testing.T) {
	eachApp(t, func(t *testing.T, s *apptest.Server) {
		w := newWorld(t, s)
		before := fingerprintReader(t, w, w.pending.ID)
		luna := w.as["reader"]

		// The API edits the caller's profile; an id in the body is refused.
		res := luna.Do("PUT", "/api/v1/me/reader-profile", map[string]any{"display_name": "Hijack", "user_id": w.pending.ID})
		problemOf(t, res, http.StatusBadRequest)
		res = luna.Do("PUT", "/api/v1/me/reader-profile", map[string]any{"display_name": "Luna Vale", "rates": map[string]int{"voice": 999}})
		if res.Status != 200 {
			t.Fatalf("own edit: %d %s", res.Status, res.Body)
		}
		// The form ignores fields it does not know.
		res = luna.Form("/reader/profile", url.Values{"display_name": {"Hijack"}, "user_id": {id(w.pending.ID)}, "id": {id(w.pending.ID)}})
		if res.Status != http.StatusSeeOther {
			t.Fatalf("own form edit: %d %s", res.Status, res.Body)
		}
		if p, _ := s.App.Readers.Get(ctx, w.reader, w.reader.ID); p.DisplayName != "Hijack" {
			t.Fatalf("the form did not edit the caller's own profile: %q", p.DisplayName)
		}
		// The admin actions on another reader are refused.
		for _, r := range []struct{ method, path string }{
			{"POST", "/api/v1/admin/readers/" + id(w.pending.ID) + "/verify"},
			{"POST", "/api/v1/admin/readers/" + id(w.pending.ID) + "/kyc"},
			{"POST", "/api/v1/admin/users/" + id(w.pending.ID) + "/role"},
		} {
			problemOf(t, luna.Do(r.method, r.path, map[string]any{"kyc_status": "approved", "role": "client", "verified": true}), http.StatusForbidden)
		}
		for _, path := range []string{"/admin/readers/" + id(w.pending.ID) + "/verify", "/admin/readers/" + id(w.pending.ID) + "/kyc", "/admin/users/" + id(w.pending.ID) + "/role"} {
			if res := luna.Form(path, url.Values{"kyc_status": {"approved"}, "role": {"client"}}); res.Status != http.StatusForbidden {
				t.Fatalf("POST %s as a reader: %d", path, res.Status)
			}
		}
		if after := fingerprintReader(t, w, w.pending.ID); after != before {
			t.Fatalf("another reader's profile changed:\n%s\n%s", before, after)
		}
	})
}

// fingerprintReader describes a reader's stored profile and role.
func fingerprintReader(t *testing.T, w *world, readerID int64) string {
	t.Helper()
	p, err := w.s.App.Readers.Get(ctx, w.admin, readerID)
	if err != nil {
		t.Fatal(err)
	}
	return strings.Join([]string{p.DisplayName, p.Bio, p.KYCStatus, string(role(t, w.s, readerID)), id(p.Rates.Text), id(p.Rates.Voice), id(p.UpdatedAt.UnixMilli())}, "|") +
		map[bool]string{true: "|verified", false: "|unverified"}[p.IsVerified]
}
