package web_test

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/soulseer/soulseer/internal/account"
	"github.com/soulseer/soulseer/internal/apptest"
	"github.com/soulseer/soulseer/internal/audit"
	"github.com/soulseer/soulseer/internal/config"
	"github.com/soulseer/soulseer/internal/db"
	"github.com/soulseer/soulseer/internal/reader"
)

// browserForm posts a form with the headers a browser sends from one of
// the site's own pages.
func browserForm(s *apptest.Server, c *apptest.Client, path string, v url.Values) apptest.Response {
	return c.Do("POST", path, []byte(v.Encode()), "Content-Type", "application/x-www-form-urlencoded",
		"Sec-Fetch-Site", "same-origin", "Origin", s.URL)
}

// page GETs a page as a browser navigating the site would.
func page(c *apptest.Client, path string) apptest.Response {
	return c.Do("GET", path, nil, "Sec-Fetch-Site", "same-origin")
}

func mustContain(t *testing.T, res apptest.Response, want ...string) {
	t.Helper()
	for _, w := range want {
		if !strings.Contains(string(res.Body), w) {
			t.Fatalf("page (%d) lacks %q", res.Status, w)
		}
	}
}

func mustNotContain(t *testing.T, res apptest.Response, unwanted ...string) {
	t.Helper()
	for _, u := range unwanted {
		if strings.Contains(string(res.Body), u) {
			t.Fatalf("page (%d) contains %q", res.Status, u)
		}
	}
}

func redirectsTo(t *testing.T, res apptest.Response, want string) {
	t.Helper()
	if res.Status != http.StatusSeeOther || res.Header.Get("Location") != want {
		t.Fatalf("%d to %q, want 303 to %q: %.300s", res.Status, res.Header.Get("Location"), want, res.Body)
	}
}

// passTwoFactor answers the code page a login of a user with two-factor
// sign-in is sent to (ACC-7) and returns its response; other logins' res
// is returned as it is.
func passTwoFactor(t *testing.T, s *apptest.Server, c *apptest.Client, u account.User, res apptest.Response) apptest.Response {
	t.Helper()
	if !u.TwoFactor {
		return res
	}
	redirectsTo(t, res, "/login/two-factor")
	return browserForm(s, c, "/login/two-factor", url.Values{"code": {s.TwoFactorCode(u)}})
}

// ACC-1 ACC-4: the sign-up form re-renders field errors with 400, keeping
// what was typed except the password; a good sign-up logs in and lands on
// the client dashboard, or a local next page, never another site.
func TestSignupForm_ACC1_ACC4(t *testing.T) {
	eachApp(t, func(t *testing.T, s *apptest.Server) {
		c := s.Client()
		res := page(c, "/signup")
		if res.Status != 200 {
			t.Fatalf("GET /signup: %d", res.Status)
		}
		mustContain(t, res, `action="/signup"`, `name="email"`, `name="password"`, `name="display_name"`)

		res = browserForm(s, c, "/signup", url.Values{"email": {"mira@nowhere"}, "password": {"pw-zq7"}, "display_name": {"Mira <b>Stone</b>"}})
		if res.Status != http.StatusBadRequest {
			t.Fatalf("bad sign-up: %d", res.Status)
		}
		mustContain(t, res, `value="mira@nowhere"`, `value="Mira &lt;b&gt;Stone&lt;/b&gt;"`, `aria-invalid="true"`, "Enter a valid email address", "Use at least 8 characters.")
		mustNotContain(t, res, "pw-zq7", "<b>Stone</b>")
		if sessionCookie(res) != nil {
			t.Fatal("a refused sign-up set a session cookie")
		}

		res = browserForm(s, c, "/signup", url.Values{"email": {"mira@example.com"}, "password": {"a-good-password"}, "display_name": {"Mira"}})
		redirectsTo(t, res, "/dashboard")
		if c := sessionCookie(res); c == nil || !c.HttpOnly {
			t.Fatal("no session cookie after sign-up")
		}
		if dash := page(c, "/dashboard"); dash.Status != 200 {
			t.Fatalf("GET /dashboard after sign-up: %d", dash.Status)
		}

		res = browserForm(s, s.Client(), "/signup", url.Values{"email": {"MIRA@example.com"}, "password": {"a-good-password"}, "display_name": {"Mira"}})
		if res.Status != http.StatusConflict {
			t.Fatalf("duplicate sign-up: %d", res.Status)
		}
		mustContain(t, res, "already exists", `value="MIRA@example.com"`)
		mustNotContain(t, res, "a-good-password")

		i := 0
		for next, want := range map[string]string{
			"/readers?specialty=tarot": "/readers?specialty=tarot",
			"//evil.example/":          "/dashboard",
			"/\\evil.example":          "/dashboard",
			"/\t/evil.example":         "/dashboard",
			"/\n/evil.example":         "/dashboard",
			"https://evil.example/":    "/dashboard",
		} {
			i++
			res = browserForm(s, s.Client(), "/signup", url.Values{"email": {"next" + id(int64(i)) + "@example.com"}, "password": {"a-good-password"}, "display_name": {"N"}, "next": {next}})
			redirectsTo(t, res, want)
		}
	})
}

// ACC-1 ACC-4: after logging in, each role lands on its own dashboard and
// can open it; a wrong password re-renders the form with the email kept;
// logging out ends the session.
func TestLoginLogoutForms_ACC1_ACC4(t *testing.T) {
	eachApp(t, func(t *testing.T, s *apptest.Server) {
		for _, tc := range []struct {
			role      account.Role
			dashboard string
			heading   string
		}{
			{account.RoleClient, "/dashboard", "dashboard"},
			{account.RoleReader, "/reader/dashboard", "Reader dashboard"},
			{account.RoleAdmin, "/admin", "Admin"},
		} {
			u := s.CreateUser(string(tc.role)+"@example.com", tc.role)
			c := s.Client()
			res := browserForm(s, c, "/login", url.Values{"email": {u.Email}, "password": {"not-the-password"}})
			if res.Status != http.StatusUnauthorized {
				t.Fatalf("wrong password: %d", res.Status)
			}
			mustContain(t, res, "Email or password is incorrect.", `value="`+u.Email+`"`)
			mustNotContain(t, res, "not-the-password")

			res = browserForm(s, c, "/login", url.Values{"email": {strings.ToUpper(u.Email)}, "password": {apptest.Password}})
			redirectsTo(t, passTwoFactor(t, s, c, u, res), tc.dashboard)
			dash := page(c, tc.dashboard)
			if dash.Status != 200 {
				t.Fatalf("%s opening %s: %d", tc.role, tc.dashboard, dash.Status)
			}
			mustContain(t, dash, tc.heading)
			// Logged in, the login page sends them to their dashboard.
			redirectsTo(t, page(c, "/login"), tc.dashboard)
		}
		// A page that asked for login is where the user returns.
		c := s.Client()
		redirectsTo(t, page(c, "/admin/users"), "/login?next=%2Fadmin%2Fusers")
		res := browserForm(s, c, "/login", url.Values{"email": {"admin@example.com"}, "password": {apptest.Password}, "next": {"/admin/users"}})
		admin, _ := s.App.Accounts.GetByEmail(ctx, "admin@example.com")
		redirectsTo(t, passTwoFactor(t, s, c, admin, res), "/admin/users")

		// ACC-1: logging out ends the session on the server, not only the cookie.
		c = s.Client()
		res = c.Do("POST", "/api/v1/auth/login", map[string]string{"email": "client@example.com", "password": apptest.Password})
		token := sessionCookie(res).Value
		res = browserForm(s, c, "/logout", nil)
		redirectsTo(t, res, "/")
		if ck := sessionCookie(res); ck == nil || ck.MaxAge >= 0 {
			t.Fatalf("the cookie is not cleared: %v", res.Header["Set-Cookie"])
		}
		stale := s.Client()
		if r := stale.Do("GET", "/api/v1/me", nil, "Cookie", "soulseer_session="+token); r.Status != http.StatusUnauthorized {
			t.Fatalf("the logged-out session still works: %d", r.Status)
		}
		redirectsTo(t, page(c, "/dashboard"), "/login?next=%2Fdashboard")
	})
}

// RDR-4 ACC-5 ACC-3: the directory page filters by query parameters and
// never shows unverified readers; an unverified reader's page is a 404 for
// clients and visitors; the admin forms promote, verify and set KYC.
func TestDirectoryReaderAndAdminPages_RDR4_ACC5_ACC3(t *testing.T) {
	eachApp(t, func(t *testing.T, s *apptest.Server) {
		w := newWorld(t, s)
		luna := `data-reader-id="` + id(w.reader.ID) + `"`
		nova := `data-reader-id="` + id(w.pending.ID) + `"`
		check := func(path string, status int, wantLuna bool) {
			t.Helper()
			res := page(w.as["client"], path)
			if res.Status != status {
				t.Fatalf("GET %s: %d, want %d", path, res.Status, status)
			}
			if strings.Contains(string(res.Body), luna) != wantLuna {
				t.Fatalf("GET %s: Luna listed = %v, want %v", path, !wantLuna, wantLuna)
			}
			mustNotContain(t, res, nova, "Nova Pending")
		}
		check("/readers", 200, true)
		check("/readers?specialty=tarot", 200, true)
		check("/readers?specialty=astrology", 200, false)
		check("/readers?modality=voice&specialty=love", 200, true)
		check("/readers?modality=video", 200, false)
		check("/readers?price=0-199", 200, true)
		check("/readers?price=200-400", 200, false)
		check("/readers?modality=voice&price=200-400", 200, true)
		check("/readers?online=true", 200, false)
		check("/readers?q=LUNA", 200, true)
		check("/readers?q=nova", 200, false)
		check("/readers?sort=price_high&page=2", 200, false)
		for _, srt := range reader.Sorts {
			check("/readers?sort="+string(srt), 200, true)
		}
		res := page(w.as["anon"], "/readers?sort=random&min_rate=x")
		if res.Status != http.StatusBadRequest {
			t.Fatalf("bad filters: %d", res.Status)
		}
		if _, err := s.App.Readers.SetStatus(ctx, w.reader.ID, reader.Online); err != nil {
			t.Fatal(err)
		}
		check("/readers?online=true", 200, true)
		mustContain(t, page(w.as["client"], "/readers?online=true&price=0-199"), "Luna Vale")

		// Favourites from the directory (RDR-6) come back to the page.
		res = browserForm(s, w.as["client"], "/readers/"+id(w.reader.ID)+"/favorite", nil)
		redirectsTo(t, res, "/readers/"+id(w.reader.ID))
		if ids, _ := s.App.Readers.FavoriteIDs(ctx, w.client.ID); len(ids) != 1 {
			t.Fatalf("favourites = %v", ids)
		}
		mustContain(t, page(w.as["client"], "/dashboard"), "Luna Vale")

		pendingPath := "/readers/" + id(w.pending.ID)
		for who, status := range map[string]int{"anon": 404, "client": 404, "reader": 404, "pending": 200, "admin": 200} {
			if res := page(w.as[who], pendingPath); res.Status != status {
				t.Fatalf("%s opening the unverified reader: %d, want %d", who, res.Status, status)
			}
		}
		res = page(w.as["anon"], "/readers/"+id(w.reader.ID))
		if res.Status != 200 {
			t.Fatalf("verified reader page: %d", res.Status)
		}
		mustContain(t, res, "Luna Vale")
		if res := page(w.as["anon"], "/readers/nope"); res.Status != 404 {
			t.Fatalf("/readers/nope: %d", res.Status)
		}

		// ACC-3 ACC-5 SEC-4: an admin promotes a client to reader, verifies
		// and records KYC through the admin forms; each action is audited.
		t.Run("admin forms", func(t *testing.T) {
			admin := w.as["admin"]
			sam := s.CreateUser("sam@example.com", account.RoleClient)
			path := "/admin/users/" + id(sam.ID) + "/role"

			res := browserForm(s, admin, path, url.Values{"role": {"wizard"}})
			if res.Status != http.StatusBadRequest || role(t, s, sam.ID) != account.RoleClient {
				t.Fatalf("bad role: %d, role %s", res.Status, role(t, s, sam.ID))
			}
			redirectsTo(t, browserForm(s, admin, path, url.Values{"role": {"reader"}}), "/admin/users")
			if role(t, s, sam.ID) != account.RoleReader {
				t.Fatal("the role form did not promote")
			}
			mustContain(t, page(admin, "/admin/users"), "sam@example.com")
			mustContain(t, page(admin, "/admin/readers"), "sam")

			redirectsTo(t, browserForm(s, admin, "/admin/readers/"+id(sam.ID)+"/verify", url.Values{"verified": {"true"}}), "/admin/readers")
			redirectsTo(t, browserForm(s, admin, "/admin/readers/"+id(sam.ID)+"/kyc", url.Values{"kyc_status": {"approved"}}), "/admin/readers")
			p, err := s.App.Readers.Get(ctx, w.admin, sam.ID)
			if err != nil || !p.IsVerified || p.KYCStatus != reader.KYCApproved {
				t.Fatalf("after the forms: %+v %v", p, err)
			}
			if res := browserForm(s, admin, "/admin/readers/"+id(sam.ID)+"/kyc", url.Values{"kyc_status": {"maybe"}}); res.Status != http.StatusBadRequest {
				t.Fatalf("bad KYC status: %d", res.Status)
			}
			redirectsTo(t, browserForm(s, admin, "/admin/readers/"+id(sam.ID)+"/verify", url.Values{"verified": {"false"}}), "/admin/readers")
			if p, _ := s.App.Readers.Get(ctx, w.admin, sam.ID); p.IsVerified {
				t.Fatal("the verify form did not withdraw verification")
			}

			es, err := audit.List(ctx, s.App.DB.Read(), audit.Filter{ObjectID: id(sam.ID)})
			if err != nil {
				t.Fatal(err)
			}
			var actions []string
			for _, e := range es {
				if e.ActorID != w.admin.ID {
					t.Fatalf("audit actor %d", e.ActorID)
				}
				actions = append(actions, e.Action)
			}
			if strings.Join(actions, ",") != "reader.unverify,reader.kyc,reader.verify,user.set_role" {
				t.Fatalf("audited = %v", actions)
			}
			res = page(admin, "/admin/audit?action=user.set_role")
			mustContain(t, res, ">user.set_role</code>", "Changed a user&#39;s role")
			mustNotContain(t, res, ">reader.kyc</code>", ">reader.verify</code>")
		})
	})
}

// SEC-5: a state-changing request from another site — by Fetch metadata or
// by Origin — is refused with 403 and changes nothing; same-origin browser
// requests and header-less API clients (session cookie or bearer token)
// pass.
func TestCrossOriginProtection_SEC5(t *testing.T) {
	eachApp(t, func(t *testing.T, s *apptest.Server) {
		w := newWorld(t, s)
		// Browsers send the session cookie; that is what CSRF abuses.
		cookie, _ := w.login(t, "cleo@example.com")
		adminCookie, _ := w.login(t, "ada@example.com")
		tokens := func() int {
			t.Helper()
			var n int
			if err := s.App.DB.Read().QueryRowContext(ctx, `SELECT count(*) FROM api_tokens`).Scan(&n); err != nil {
				t.Fatal(err)
			}
			return n
		}
		crossSite := [][]string{
			{"Sec-Fetch-Site", "cross-site"},
			{"Sec-Fetch-Site", "same-site"},
			{"Origin", "https://evil.example"},
			{"Origin", "null"},
		}
		for _, h := range crossSite {
			before := fingerprint(t, s)
			res := cookie.Do("POST", "/api/v1/auth/tokens", map[string]string{"name": "stolen"}, h...)
			problemOf(t, res, http.StatusForbidden)

			res = cookie.Do("POST", "/logout", nil, h...)
			if res.Status != http.StatusForbidden || sessionCookie(res) != nil {
				t.Fatalf("cross-site logout %v: %d", h, res.Status)
			}
			res = s.Client().Do("POST", "/login", []byte(url.Values{"email": {"cleo@example.com"}, "password": {apptest.Password}}.Encode()),
				append([]string{"Content-Type", "application/x-www-form-urlencoded"}, h...)...)
			if res.Status != http.StatusForbidden || sessionCookie(res) != nil {
				t.Fatalf("cross-site login %v: %d", h, res.Status)
			}
			res = adminCookie.Do("POST", "/admin/users/"+id(w.client.ID)+"/role", []byte("role=admin"),
				append([]string{"Content-Type", "application/x-www-form-urlencoded"}, h...)...)
			if res.Status != http.StatusForbidden {
				t.Fatalf("cross-site promotion %v: %d", h, res.Status)
			}
			if after := fingerprint(t, s); after != before {
				t.Fatalf("a cross-site request %v changed the database", h)
			}
		}
		if me := cookie.Do("GET", "/api/v1/me", nil); me.Status != 200 {
			t.Fatalf("the session did not survive the cross-site logouts: %d", me.Status)
		}
		// Reading is not state-changing: cross-site GETs work.
		if res := cookie.Do("GET", "/api/v1/me", nil, "Sec-Fetch-Site", "cross-site"); res.Status != 200 {
			t.Fatalf("cross-site GET: %d", res.Status)
		}

		n := tokens()
		allowed := map[string]struct {
			c *apptest.Client
			h []string
		}{
			"same-origin fetch metadata": {cookie, []string{"Sec-Fetch-Site", "same-origin"}},
			"same origin":                {cookie, []string{"Origin", s.URL}},
			"user-initiated":             {cookie, []string{"Sec-Fetch-Site", "none"}},
			"no browser headers":         {cookie, nil},
			"bearer token":               {bearer(t, s, w.client), nil},
		}
		for name, a := range allowed {
			if res := a.c.Do("POST", "/api/v1/auth/tokens", map[string]string{"name": name}, a.h...); res.Status != http.StatusCreated {
				t.Fatalf("%s: %d %s", name, res.Status, res.Body)
			}
		}
		if got := tokens(); got != n+len(allowed)+1 { // bearer() made one more
			t.Fatalf("%d tokens, want %d", got, n+len(allowed)+1)
		}
	})
}

// SEC-5: the session cookie is HttpOnly and SameSite=Lax, and Secure (with
// HSTS) when the site's base URL is https.
func TestSessionCookieFlags_SEC5(t *testing.T) {
	t.Parallel()
	for _, base := range []string{"", "https://soulseer.example"} {
		t.Run("base="+base, func(t *testing.T) {
			t.Parallel()
			opts := []apptest.Option{roomyLimits()}
			if base != "" {
				opts = append(opts, apptest.WithConfig(func(c *config.Config) { c.BaseURL, c.Payments = base, config.PaymentsTest }))
			}
			s := apptest.Start(t, db.SQLite, opts...)
			s.CreateUser("cookie@example.com", account.RoleClient)
			api := s.Client().Do("POST", "/api/v1/auth/login", map[string]string{"email": "cookie@example.com", "password": apptest.Password})
			form := s.Client().Do("POST", "/login", []byte("email=cookie%40example.com&password="+apptest.Password), "Content-Type", "application/x-www-form-urlencoded")
			for name, res := range map[string]apptest.Response{"api": api, "form": form} {
				c := sessionCookie(res)
				if c == nil {
					t.Fatalf("%s login set no session cookie: %d", name, res.Status)
				}
				if !c.HttpOnly || c.SameSite != http.SameSiteLaxMode || c.Path != "/" || c.Secure != (base != "") || c.Expires.IsZero() {
					t.Fatalf("%s session cookie = %+v", name, c)
				}
				if hsts := res.Header.Get("Strict-Transport-Security"); (hsts != "") != (base != "") {
					t.Fatalf("%s: HSTS %q with base %q", name, hsts, base)
				}
			}
		})
	}
}

// WAL-13: in test mode every page, signed in or not, carries the test-mode
// banner; with Stripe keys none does.
func TestTestModeBanner_WAL13(t *testing.T) {
	t.Parallel()
	for _, stripe := range []bool{false, true} {
		t.Run(fmt.Sprintf("stripe=%v", stripe), func(t *testing.T) {
			t.Parallel()
			var opts []apptest.Option
			if stripe {
				opts = append(opts, apptest.WithConfig(func(c *config.Config) {
					c.StripeSecretKey, c.StripeWebhookSecret, c.StripeAPIURL = "sk_test_banner", "whsec_banner", "http://127.0.0.1:1"
				}))
			}
			s := apptest.Start(t, db.SQLite, opts...)
			client, _ := s.LoginAs("banner@example.com", account.RoleClient)
			for _, c := range []*apptest.Client{s.Client(), client} {
				for _, path := range []string{"/", "/readers", "/login", "/wallet", "/dashboard"} {
					res := c.Do("GET", path, nil)
					if res.Status != http.StatusOK && res.Status != http.StatusSeeOther {
						t.Fatalf("GET %s: %d", path, res.Status)
					}
					if res.Status != http.StatusOK {
						continue
					}
					if got := strings.Contains(string(res.Body), `class="test-banner"`); got == stripe {
						t.Fatalf("GET %s with stripe=%v: test-mode banner shown = %v", path, stripe, got)
					}
				}
			}
		})
	}
}
