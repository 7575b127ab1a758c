package web_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/coder/websocket"

	"github.com/soulseer/soulseer/internal/apptest"
	"github.com/soulseer/soulseer/internal/clock"
	"github.com/soulseer/soulseer/internal/db/dbtest"
	"github.com/soulseer/soulseer/internal/web"
)

// ACC-3 SEC-4 SEC-5 SEC-6: the authorisation matrix. Every route of the
// route table is called by every caller — a visitor, client A and client B,
// reader A and reader B, an admin — with the request that succeeds for the
// owner of A's object (authz_routes_test.go), and each answer is the
// status its row declares. A request that is refused, or declared to
// change nothing, leaves every table as it was; no answer to anyone but
// its owners (and admins where they may look) holds a private text of
// A's or B's objects; every admin action that succeeds writes an audit
// record naming the admin. A route without a row, or a row without a
// route, fails the test.
func TestAuthorizationMatrix_SEC6(t *testing.T) {
	t.Parallel()
	for _, e := range dbtest.Engines() {
		t.Run(string(e), func(t *testing.T) {
			t.Parallel()
			clk := clock.NewFake(time.Now())
			s := apptest.Start(t, e, append(matrixOptions(t, clk), roomyLimits())...)
			// Setups move the clock on, which makes earlier notifications due
			// for email; the email sweep would then write under whichever
			// cell runs. The matrix checks requests, not the sweep.
			s.App.Notify.EmailDelay = 100 * 365 * 24 * time.Hour
			m := newAuthzWorld(t, s, clk)
			routes := web.RouteTable(s.App.Web) // the running app's own table
			rows := matchRows(t, routes, authzRows())
			mux := http.NewServeMux()
			for _, rt := range routes {
				mux.HandleFunc(rt.Method+" "+rt.Pattern, func(http.ResponseWriter, *http.Request) {})
			}
			// Live connections keep touching presence once they are open,
			// so they come last, refusals first.
			for _, r := range rows {
				if !r.live {
					m.run(t, r, mux, func(cell) bool { return true })
				}
			}
			for _, refused := range []bool{true, false} {
				for _, r := range rows {
					if r.live {
						m.run(t, r, mux, func(c cell) bool { return c.refused() == refused })
					}
				}
			}
			for _, sec := range m.secrets {
				if sec.mustBe && !sec.seen {
					t.Errorf("no answer showed %q to %v, so its absence elsewhere proves nothing", sec.text, sec.seenBy)
				}
			}

			t.Run("reader cannot edit another reader", func(t *testing.T) { readerCannotEditAnother(t, m.world) })
			t.Run("no route edits another reader by id", func(t *testing.T) { noRouteEditsAnotherReader(t, m.world, routes) })
		})
	}
}

// matchedRow is a row of the matrix with its route-table entry.
type matchedRow struct {
	authzRow
	web.RouteInfo
}

// matchRows pairs every route with its row: a route without a row, a row
// without a route and a route with two rows fail the test.
func matchRows(t *testing.T, routes []web.RouteInfo, rows []authzRow) []matchedRow {
	t.Helper()
	byRoute := map[string]authzRow{}
	for _, r := range rows {
		if _, dup := byRoute[r.route]; dup {
			t.Errorf("%s has two rows in the authorisation matrix", r.route)
		}
		byRoute[r.route] = r
	}
	var out []matchedRow
	for _, rt := range routes {
		name := rt.Method + " " + rt.Pattern
		r, ok := byRoute[name]
		if !ok {
			t.Errorf("%s (%s) has no row in the authorisation matrix: add one to authzRows in authz_routes_test.go", name, rt.Access)
			continue
		}
		delete(byRoute, name)
		out = append(out, matchedRow{r, rt})
	}
	for name := range byRoute {
		t.Errorf("the authorisation matrix has a row for %s, which is not in the route table", name)
	}
	if len(out) < 100 {
		t.Fatalf("only %d routes matched", len(out))
	}
	return out
}

// run sends the row's request as each caller whose cell take accepts.
func (m *authzWorld) run(t *testing.T, r matchedRow, mux *http.ServeMux, take func(cell) bool) {
	fresh := true
	for i, who := range callers {
		want := r.want[i]
		if !take(want) {
			continue
		}
		t.Run(r.route+" as "+who, func(t *testing.T) {
			if fresh && r.setup != nil {
				r.setup(t, m)
				m.state = ""
			}
			fresh = !want.refused()
			m.n++
			m.vals["who"], m.vals["n"] = who, id(int64(m.n))
			path := m.fill(r.path)
			if _, pattern := mux.Handler(httptest.NewRequest(r.Method, path, nil)); pattern != r.route {
				t.Fatalf("%s reaches %q, not the row's route", path, pattern)
			}
			before := m.state
			if want.refused() && before == "" {
				before = fingerprint(t, m.s)
			}
			adminAction := who == "admin" && r.Access == "admins" && r.Method != http.MethodGet
			audits := m.auditsByAdmin(t)
			res := m.send(t, r, who, path)
			m.check(t, r, who, want, path, res)
			m.state = ""
			if want.refused() {
				if m.state = fingerprint(t, m.s); m.state != before {
					t.Errorf("%s %s as %s (%d) changed the database", r.Method, path, who, res.Status)
				}
			}
			if adminAction {
				if want.refused() {
					t.Errorf("%s is an admin action, so the admin's request must succeed and be audited", r.route)
				} else if m.auditsByAdmin(t) <= audits {
					t.Errorf("%s %s by the admin wrote no audit record naming the admin (SEC-4)", r.Method, path)
				}
			}
		})
	}
}

// fill replaces the placeholders of s with the world's values.
func (m *authzWorld) fill(s string) string {
	for k, v := range m.vals {
		s = strings.ReplaceAll(s, "{"+k+"}", v)
	}
	return s
}

// send makes the row's request as who: a page form, JSON, a raw body or
// a WebSocket handshake.
func (m *authzWorld) send(t *testing.T, r matchedRow, who, path string) apptest.Response {
	t.Helper()
	if r.live {
		return m.dial(t, who, path)
	}
	c := m.s.Client() // no cookies from earlier cells
	c.Token = m.tokens[who]
	var body any
	var header []string
	switch {
	case r.raw != nil:
		body, header = r.raw(t, m)
	case r.body != "":
		body = m.fill(r.body)
	case !r.API && r.Method == http.MethodPost:
		form := url.Values{}
		for k, vs := range r.form {
			for _, v := range vs {
				form.Add(k, m.fill(v))
			}
		}
		body, header = []byte(form.Encode()), []string{"Content-Type", "application/x-www-form-urlencoded"}
	}
	return c.Do(r.Method, path, body, header...)
}

// dial opens a WebSocket as who and closes it at once; a refused
// handshake comes back as its response.
func (m *authzWorld) dial(t *testing.T, who, path string) apptest.Response {
	t.Helper()
	hdr := http.Header{}
	if tok := m.tokens[who]; tok != "" {
		hdr.Set("Authorization", "Bearer "+tok)
	}
	dctx, cancel := context.WithTimeout(ctx, wsWait)
	defer cancel()
	c, res, err := websocket.Dial(dctx, "ws"+strings.TrimPrefix(m.s.URL, "http")+path, &websocket.DialOptions{HTTPHeader: hdr})
	if err == nil {
		c.CloseNow()
		return apptest.Response{Status: res.StatusCode, Header: res.Header}
	}
	if res == nil {
		t.Fatalf("dial %s as %s: %v", path, who, err)
	}
	b, _ := io.ReadAll(res.Body)
	return apptest.Response{Status: res.StatusCode, Header: res.Header, Body: b}
}

// check holds one answer to its cell: the status, a problem document or an
// error page for errors, the login redirect for visitors, and no private
// text of anyone but its owners.
func (m *authzWorld) check(t *testing.T, r matchedRow, who string, want cell, path string, res apptest.Response) {
	t.Helper()
	where := r.Method + " " + path + " as " + who
	if res.Status != want.status() {
		t.Errorf("%s: %d, want %d: %.300s", where, res.Status, want.status(), res.Body)
	}
	switch ct := res.Header.Get("Content-Type"); {
	case res.Status < 400:
	case r.API:
		var p problem
		if ct != "application/problem+json" || json.Unmarshal(res.Body, &p) != nil || p.Status != res.Status || p.Detail == "" {
			t.Errorf("%s: %d is not a problem document (%s): %.300s", where, res.Status, ct, res.Body)
		}
	case !strings.HasPrefix(ct, "text/html"):
		t.Errorf("%s: the %d page is %q", where, res.Status, ct)
	}
	if who == "anon" && r.Access != "public" && !r.API && r.Method == http.MethodGet {
		loc, _ := url.Parse(res.Header.Get("Location"))
		if loc == nil || loc.Path != "/login" || loc.Query().Get("next") != path {
			t.Errorf("%s: sent to %q, want /login?next=%s", where, res.Header.Get("Location"), path)
		}
	}
	for _, sec := range m.secrets {
		if !bytes.Contains(res.Body, []byte(sec.text)) {
			continue
		}
		if slices.Contains(sec.seenBy, who) {
			sec.seen = true
		} else {
			t.Errorf("%s: the answer holds %q, which only %v may see", where, sec.text, sec.seenBy)
		}
	}
}

// auditsByAdmin counts the audit records naming the admin.
func (m *authzWorld) auditsByAdmin(t *testing.T) int {
	t.Helper()
	var n int
	if err := m.s.App.DB.Read().QueryRowContext(ctx, `SELECT count(*) FROM audit_log WHERE actor_id = $1`, m.admin.ID).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// readerCannotEditAnother (ACC-3, RDR-1): a reader edits only their own
// profile, whatever the request says, and cannot reach the admin actions
// on another reader.
func readerCannotEditAnother(t *testing.T, w *world) {
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
	if p, _ := w.s.App.Readers.Get(ctx, w.reader, w.reader.ID); p.DisplayName != "Hijack" {
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
}

// noRouteEditsAnotherReader (ACC-3): whatever route of the table a reader
// sends another reader's id to, with whatever body, that reader's
// profile, role and verification stay as they are. New routes are covered
// as they are added.
func noRouteEditsAnotherReader(t *testing.T, w *world, routes []web.RouteInfo) {
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
		path := strings.ReplaceAll(rt.Pattern, "{id}", id(w.pending.ID))
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
