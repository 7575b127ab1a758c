package web_test

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/soulseer/soulseer/internal/apptest"
	"github.com/soulseer/soulseer/internal/web"
)

var pathParam = regexp.MustCompile(`\{[^}]*\}`)

// fillPattern turns a route pattern into a request path: {id} becomes
// idValue, {$} disappears, other parameters get a plausible value.
func fillPattern(pattern, idValue string) string {
	return pathParam.ReplaceAllStringFunc(pattern, func(p string) string {
		switch p {
		case "{$}":
			return ""
		case "{id}":
			return idValue
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
		callers := w.as
		allowed := map[string]map[string]bool{
			"public":   {"anon": true, "client": true, "reader": true, "admin": true},
			"signedIn": {"client": true, "reader": true, "admin": true},
			"readers":  {"reader": true},
			"admins":   {"admin": true},
		}
		routes := web.RouteTable(s.App.Web) // the running app's own table
		if len(routes) < 40 {
			t.Fatalf("only %d routes in the table", len(routes))
		}
		for _, rt := range routes {
			ok, known := allowed[rt.Access]
			if !known {
				t.Errorf("%s %s: access %q is not covered by this test", rt.Method, rt.Pattern, rt.Access)
				continue
			}
			path := fillPattern(rt.Pattern, id(w.reader.ID))
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

		// ACC-3 RDR-1: a reader edits only their own profile, whatever the
		// request says, and cannot reach the admin actions on another reader.
		t.Run("reader cannot edit another reader", func(t *testing.T) {
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

		// ACC-3: whatever route of the table a reader sends another
		// reader's id to, with whatever body, that reader's profile, role
		// and verification stay as they are. New routes are covered as
		// they are added.
		t.Run("no route edits another reader by id", func(t *testing.T) {
			before := fingerprintReader(t, w, w.pending.ID)
			luna := w.as["reader"]
			hijack := map[string]any{"display_name": "Hijack", "bio": "hijacked", "rates": map[string]int{"text": 999},
				"kyc_status": "approved", "role": "client", "verified": false, "status": "online"}
			form := url.Values{"display_name": {"Hijack"}, "bio": {"hijacked"}, "rate_text": {"9.99"}, "offer_text": {"on"},
				"kyc_status": {"approved"}, "role": {"client"}, "verified": {"false"}, "status": {"online"}}
			tried := 0
			for _, rt := range routes {
				if rt.Method == http.MethodGet || !strings.Contains(rt.Pattern, "{id}") {
					continue
				}
				path := fillPattern(rt.Pattern, id(w.pending.ID))
				for _, res := range []apptest.Response{luna.Do(rt.Method, path, hijack), luna.Form(path, form), luna.Do(rt.Method, path, nil)} {
					if res.Status >= 500 && res.Status != http.StatusServiceUnavailable {
						t.Errorf("%s %s as a reader: %d %.200s", rt.Method, path, res.Status, res.Body)
					}
				}
				tried++
			}
			if tried < 8 {
				t.Fatalf("only %d state-changing routes take an {id}", tried)
			}
			if after := fingerprintReader(t, w, w.pending.ID); after != before {
				t.Fatalf("another reader's profile changed:\n%s\n%s", before, after)
			}
		})
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
