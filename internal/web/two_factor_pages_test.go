package web_test

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/soulseer/soulseer/internal/account"
	"github.com/soulseer/soulseer/internal/apptest"
)

const enrolmentProblem = "https://soulseer.app/problems/two-factor-enrollment-required"

// samplePath fills a route pattern's wildcards with a number.
func samplePath(pattern string) string {
	return regexp.MustCompile(`\{[^}]+\}`).ReplaceAllString(strings.TrimSuffix(pattern, "{$}"), "1")
}

// TestTwoFactorRequiredForAdmins_ACC7 checks every admin route of the route
// table as an admin without two-factor sign-in: a page asked for sends them
// to enrol and back, a form is refused with 403, an API route answers 403
// of type two-factor-enrollment-required, with a session and with an API
// token alike. A reader without it cannot change payout settings. Once
// enrolled, the admin's pages open.
func TestTwoFactorRequiredForAdmins_ACC7(t *testing.T) {
	eachApp(t, func(t *testing.T, s *apptest.Server) {
		admin, err := s.App.Accounts.Create(ctx, account.SignUpInput{Email: "new-admin@example.com", Password: apptest.Password, DisplayName: "New Admin"}, account.RoleAdmin)
		if err != nil {
			t.Fatal(err)
		}
		browser := s.Client()
		if res := browser.LogIn(admin); res.Status != http.StatusOK {
			t.Fatalf("an admin without two-factor logs in: %d %s", res.Status, res.Body)
		}
		token := bearer(t, s, admin)
		checked := 0
		for _, rt := range routeTable(t) {
			if rt.Access != "admins" {
				continue
			}
			path := samplePath(rt.Pattern)
			switch {
			case rt.API:
				for _, c := range []*apptest.Client{browser, token} {
					p := problemOf(t, c.Do(rt.Method, path, "{}", "Sec-Fetch-Site", "same-origin", "Origin", s.URL), http.StatusForbidden)
					if p.Type != enrolmentProblem {
						t.Fatalf("%s %s: problem type %q", rt.Method, path, p.Type)
					}
				}
			case rt.Method == "GET":
				redirectsTo(t, page(browser, path), "/account/two-factor?next="+url.QueryEscape(path))
			default:
				if res := browserForm(s, browser, path, url.Values{}); res.Status != http.StatusForbidden || !strings.Contains(string(res.Body), "two-factor") {
					t.Fatalf("%s %s: %d %.200s", rt.Method, path, res.Status, res.Body)
				}
			}
			checked++
		}
		if checked < 80 {
			t.Fatalf("checked %d admin routes; the table has more", checked)
		}

		// A reader without two-factor sign-in cannot change payout settings.
		rdr := s.CreateUser("luna@example.com", account.RoleReader)
		rc := bearer(t, s, rdr)
		if p := problemOf(t, rc.Do("POST", "/api/v1/me/payouts/onboarding", "{}"), http.StatusForbidden); p.Type != enrolmentProblem {
			t.Fatalf("reader onboarding: %+v", p)
		}
		if res := rc.Do("GET", "/api/v1/me/payouts", nil); res.Status != http.StatusOK {
			t.Fatalf("a reader reads their payouts without two-factor: %d", res.Status)
		}

		// The enrolment page turns it on and sends the admin back.
		res := page(browser, "/account/two-factor?next=%2Fadmin%2Fusers")
		mustContain(t, res, `action="/account/two-factor/setup"`, `value="/admin/users"`)
		redirectsTo(t, browserForm(s, browser, "/account/two-factor/setup", url.Values{"next": {"/admin/users"}}), "/account/two-factor?next=%2Fadmin%2Fusers")
		res = page(browser, "/account/two-factor?next=%2Fadmin%2Fusers")
		mustContain(t, res, `<svg class="qr" role="img"`, "<title>QR code", `data-two-factor="pending"`)
		secret := regexp.MustCompile(`data-secret>([A-Z2-7]+)<`).FindStringSubmatch(string(res.Body))
		if secret == nil {
			t.Fatalf("no secret on the page: %.500s", res.Body)
		}
		res = browserForm(s, browser, "/account/two-factor/confirm", url.Values{"code": {"000000"}, "next": {"/admin/users"}})
		if res.Status != http.StatusUnauthorized {
			t.Fatalf("confirm with a wrong code: %d", res.Status)
		}
		mustContain(t, res, "That code is not right", `aria-invalid="true"`, `<svg class="qr"`)
		code, _ := account.TOTPCode(secret[1], s.App.Clock.Now())
		res = browserForm(s, browser, "/account/two-factor/confirm", url.Values{"code": {code}, "next": {"/admin/users"}})
		mustContain(t, res, "data-recovery-codes", `href="/admin/users"`, `data-two-factor="on"`)
		if n := len(regexp.MustCompile(`<li><code>[a-z2-9]{5}-[a-z2-9]{5}</code></li>`).FindAllString(string(res.Body), -1)); n != account.RecoveryCodeCount {
			t.Fatalf("%d recovery codes shown", n)
		}
		if res := page(browser, "/admin/users"); res.Status != http.StatusOK {
			t.Fatalf("the enrolled admin opens admin pages: %d", res.Status)
		}
		if res := token.Do("GET", "/api/v1/admin/users", nil); res.Status != http.StatusOK {
			t.Fatalf("the enrolled admin's API token: %d", res.Status)
		}
	})
}

// TestTwoFactorLogin_ACC7 signs in with two-factor codes on the pages and
// through the API: the password alone leads to the code; a wrong code and
// a replayed one are refused; a remembered browser skips the code for 30
// days; the API answers 401 of type two-factor-required until a right
// code comes; a recovery code works once; after five tries in five
// minutes the sixth is refused with 429.
func TestTwoFactorLogin_ACC7(t *testing.T) {
	eachApp(t, func(t *testing.T, s *apptest.Server) {
		u := s.CreateUser("ada@example.com", account.RoleAdmin)
		c := s.Client()
		res := browserForm(s, c, "/login", url.Values{"email": {u.Email}, "password": {apptest.Password}, "next": {"/admin/users"}})
		redirectsTo(t, res, "/login/two-factor")
		if sessionCookie(res) != nil {
			t.Fatal("a session before the code")
		}
		mustContain(t, page(c, "/login/two-factor"), `autocomplete="one-time-code"`, "ada, enter the six-digit code")
		res = browserForm(s, c, "/login/two-factor", url.Values{"code": {"000000"}})
		if res.Status != http.StatusUnauthorized || sessionCookie(res) != nil {
			t.Fatalf("wrong code: %d %s", res.Status, res.Header.Get("Location"))
		}
		mustContain(t, res, "That code is not right")
		code := s.TwoFactorCode(u)
		res = browserForm(s, c, "/login/two-factor", url.Values{"code": {code}, "remember": {"1"}})
		redirectsTo(t, res, "/admin/users")
		if sessionCookie(res) == nil {
			t.Fatal("no session after the code")
		}

		// The same code again, in another browser: refused.
		other := s.Client()
		redirectsTo(t, browserForm(s, other, "/login", url.Values{"email": {u.Email}, "password": {apptest.Password}}), "/login/two-factor")
		res = browserForm(s, other, "/login/two-factor", url.Values{"code": {code}})
		if res.Status != http.StatusUnauthorized {
			t.Fatalf("replayed code: %d", res.Status)
		}
		mustContain(t, res, "used already")

		// The remembered browser logs in again without a code.
		redirectsTo(t, browserForm(s, c, "/logout", nil), "/")
		redirectsTo(t, browserForm(s, c, "/login", url.Values{"email": {u.Email}, "password": {apptest.Password}}), "/admin")

		// The API.
		api := s.Client()
		p := problemOf(t, api.Do("POST", "/api/v1/auth/login", map[string]string{"email": u.Email, "password": apptest.Password}), http.StatusUnauthorized)
		if p.Type != "https://soulseer.app/problems/two-factor-required" || p.Errors["code"] == "" {
			t.Fatalf("login without a code: %+v", p)
		}
		p = problemOf(t, api.Do("POST", "/api/v1/auth/login", map[string]string{"email": u.Email, "password": apptest.Password, "code": "000000"}), http.StatusUnauthorized)
		if p.Type != "https://soulseer.app/problems/two-factor-required" {
			t.Fatalf("login with a wrong code: %+v", p)
		}
		if res := api.Do("POST", "/api/v1/auth/login", map[string]string{"email": u.Email, "password": "wrong-password", "code": "000000"}); res.Status != http.StatusUnauthorized {
			t.Fatalf("wrong password: %d", res.Status)
		}
		if res := api.LogIn(u); res.Status != http.StatusOK || sessionCookie(res) == nil {
			t.Fatalf("login with a right code: %d %s", res.Status, res.Body)
		}
		// Five codes tried in five minutes (on the page a wrong, a right and
		// a replayed one; through the API a wrong and a right one): the
		// sixth is refused whatever it is.
		res = api.Do("POST", "/api/v1/auth/login", map[string]string{"email": u.Email, "password": apptest.Password, "code": s.TwoFactorCode(u)})
		if p := problemOf(t, res, http.StatusTooManyRequests); res.Header.Get("Retry-After") == "" {
			t.Fatalf("sixth try: %+v", p)
		}
	})
}

// TestTwoFactorAPI_ACC7 enrols a client through the API, signs in with a
// recovery code, makes new recovery codes (an old one then fails) and
// turns it off with a new one.
func TestTwoFactorAPI_ACC7(t *testing.T) {
	eachApp(t, func(t *testing.T, s *apptest.Server) {
		c, u := s.LoginAs("cleo@example.com", account.RoleClient)
		var st struct {
			Enabled, Pending bool
			Left             int `json:"recovery_codes_left"`
		}
		c.Do("GET", "/api/v1/me/2fa", nil).JSON(t, &st)
		if st.Enabled || st.Pending {
			t.Fatalf("status before = %+v", st)
		}
		var e struct {
			Secret string `json:"secret"`
			URL    string `json:"otpauth_url"`
		}
		res := c.Do("POST", "/api/v1/me/2fa/enroll", nil)
		res.JSON(t, &e)
		if res.Status != http.StatusOK || e.Secret == "" || !strings.HasPrefix(e.URL, "otpauth://totp/SoulSeer:cleo@example.com?") {
			t.Fatalf("enroll: %d %s", res.Status, res.Body)
		}
		if p := problemOf(t, c.Do("POST", "/api/v1/me/2fa/confirm", map[string]string{"code": ""}), http.StatusBadRequest); p.Errors["code"] == "" {
			t.Fatalf("confirm without a code: %+v", p)
		}
		code, _ := account.TOTPCode(e.Secret, s.App.Clock.Now())
		var rc struct {
			Codes []string `json:"recovery_codes"`
		}
		res = c.Do("POST", "/api/v1/me/2fa/confirm", map[string]string{"code": code})
		res.JSON(t, &rc)
		if res.Status != http.StatusOK || len(rc.Codes) != account.RecoveryCodeCount {
			t.Fatalf("confirm: %d %s", res.Status, res.Body)
		}
		c.Do("GET", "/api/v1/me/2fa", nil).JSON(t, &st)
		if !st.Enabled || st.Left != account.RecoveryCodeCount {
			t.Fatalf("status after = %+v", st)
		}
		problemOf(t, c.Do("POST", "/api/v1/me/2fa/enroll", nil), http.StatusConflict)

		login := func(code string) apptest.Response {
			return s.Client().Do("POST", "/api/v1/auth/login", map[string]string{"email": u.Email, "password": apptest.Password, "code": code})
		}
		if res := login(rc.Codes[0]); res.Status != http.StatusOK {
			t.Fatalf("recovery code: %d %s", res.Status, res.Body)
		}

		res = c.Do("POST", "/api/v1/me/2fa/recovery-codes", map[string]string{"code": rc.Codes[1]})
		var fresh struct {
			Codes []string `json:"recovery_codes"`
		}
		res.JSON(t, &fresh)
		if res.Status != http.StatusOK || len(fresh.Codes) != account.RecoveryCodeCount || fresh.Codes[0] == rc.Codes[0] {
			t.Fatalf("new recovery codes: %d %s", res.Status, res.Body)
		}
		problemOf(t, c.Do("POST", "/api/v1/me/2fa/disable", map[string]string{"code": rc.Codes[2]}), http.StatusUnauthorized)
		if res := c.Do("POST", "/api/v1/me/2fa/disable", map[string]string{"code": fresh.Codes[0]}); res.Status != http.StatusNoContent {
			t.Fatalf("disable: %d %s", res.Status, res.Body)
		}
		if res := s.Client().Do("POST", "/api/v1/auth/login", map[string]string{"email": u.Email, "password": apptest.Password}); res.Status != http.StatusOK {
			t.Fatalf("login after turning it off: %d", res.Status)
		}
	})
}
