package web_test

import (
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/oauth2-proxy/mockoidc"

	"github.com/soulseer/soulseer/internal/account"
	"github.com/soulseer/soulseer/internal/apptest"
	"github.com/soulseer/soulseer/internal/config"
	"github.com/soulseer/soulseer/internal/db"
	"github.com/soulseer/soulseer/internal/db/dbtest"
)

// startOIDC runs a mock OpenID Connect provider on 127.0.0.1 and returns an
// option that points the app at it.
func startOIDC(t *testing.T) (*mockoidc.MockOIDC, apptest.Option) {
	t.Helper()
	m, err := mockoidc.Run()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = m.Shutdown() })
	cfg := m.Config()
	return m, apptest.WithConfig(func(c *config.Config) {
		c.OIDCIssuer, c.OIDCClientID, c.OIDCClientSecret = cfg.Issuer, cfg.ClientID, cfg.ClientSecret
	})
}

// browser is a cookie-keeping client like a real browser; follow says
// whether it follows redirects.
type browser struct {
	t    *testing.T
	http *http.Client
}

func newBrowser(t *testing.T, follow bool) *browser {
	jar, _ := cookiejar.New(nil)
	c := &http.Client{Jar: jar, Timeout: 30 * time.Second}
	if !follow {
		c.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	}
	return &browser{t: t, http: c}
}

// get loads rawURL and returns the final response with its body and URL.
func (b *browser) get(rawURL string) (*http.Response, string) {
	b.t.Helper()
	res, err := b.http.Get(rawURL)
	if err != nil {
		b.t.Fatalf("GET %s: %v", rawURL, err)
	}
	defer res.Body.Close()
	body, _ := io.ReadAll(res.Body)
	return res, string(body)
}

func usersWithEmail(t *testing.T, s *apptest.Server, email string) int {
	t.Helper()
	var n int
	if err := s.App.DB.Read().QueryRowContext(ctx, `SELECT count(*) FROM users WHERE email = $1`, email).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// ACC-2 ACC-4 EXT-1: sign-in end to end against a real OIDC provider: the first
// login creates a client and lands on the client dashboard; the next login
// finds the same account; a next page is honoured.
func TestOIDCLogin_ACC2(t *testing.T) {
	t.Parallel()
	for _, e := range dbtest.Engines() {
		t.Run(string(e), func(t *testing.T) {
			t.Parallel()
			m, opt := startOIDC(t)
			s := apptest.Start(t, e, roomyLimits(), opt)
			user := &mockoidc.MockUser{Subject: "auth0|sky", Email: "Sky.Walker@Example.com", EmailVerified: true, PreferredUsername: "sky"}

			m.QueueUser(user)
			b := newBrowser(t, true)
			res, body := b.get(s.URL + "/auth/oidc/login")
			if res.StatusCode != 200 || res.Request.URL.Path != "/dashboard" {
				t.Fatalf("first login ended at %s with %d: %.300s", res.Request.URL, res.StatusCode, body)
			}
			u, err := s.App.Accounts.GetByEmail(ctx, "sky.walker@example.com")
			if err != nil {
				t.Fatalf("no account after the first OIDC login: %v", err)
			}
			if u.Role != account.RoleClient || u.HasPassword || u.DisplayName != "sky.walker" {
				t.Fatalf("OIDC account = %+v", u)
			}
			me, _ := b.get(s.URL + "/api/v1/me")
			if me.StatusCode != 200 {
				t.Fatalf("the OIDC session does not work for the API: %d", me.StatusCode)
			}

			// A second login, in another browser, reuses the account.
			m.QueueUser(user)
			res, _ = newBrowser(t, true).get(s.URL + "/auth/oidc/login?next=%2Freaders%3Fonline%3Dtrue")
			if res.StatusCode != 200 || res.Request.URL.RequestURI() != "/readers?online=true" {
				t.Fatalf("second login ended at %s with %d", res.Request.URL, res.StatusCode)
			}
			if n := usersWithEmail(t, s, "sky.walker@example.com"); n != 1 {
				t.Fatalf("%d accounts for one identity", n)
			}
			var links int
			if err := s.App.DB.Read().QueryRowContext(ctx, `SELECT count(*) FROM oidc_identities WHERE user_id = $1 AND subject = 'auth0|sky'`, u.ID).Scan(&links); err != nil || links != 1 {
				t.Fatalf("%d identity links (%v)", links, err)
			}

			// A verified provider email joins an existing password account.
			s.CreateUser("rhea@example.com", account.RoleReader)
			m.QueueUser(&mockoidc.MockUser{Subject: "auth0|rhea", Email: "rhea@example.com", EmailVerified: true})
			res, _ = newBrowser(t, true).get(s.URL + "/auth/oidc/login")
			if res.Request.URL.Path != "/reader/dashboard" {
				t.Fatalf("linked reader landed on %s", res.Request.URL)
			}
			if n := usersWithEmail(t, s, "rhea@example.com"); n != 1 {
				t.Fatalf("%d accounts for rhea", n)
			}

			// An unverified provider email may not take over an account.
			s.CreateUser("cleo@example.com", account.RoleClient)
			m.QueueUser(&mockoidc.MockUser{Subject: "auth0|mallory", Email: "cleo@example.com", EmailVerified: false})
			res, body = newBrowser(t, true).get(s.URL + "/auth/oidc/login")
			if res.StatusCode != http.StatusBadRequest || !strings.Contains(body, "already exists") {
				t.Fatalf("unverified email: %d at %s: %.300s", res.StatusCode, res.Request.URL, body)
			}
		})
	}
}

// ACC-2: a callback that does not match the sign-in this browser started —
// forged state, no state cookie, a provider error, a replayed code — is
// refused and signs no one in.
func TestOIDCCallbackRefused_ACC2(t *testing.T) {
	t.Parallel()
	m, opt := startOIDC(t)
	s := apptest.Start(t, db.SQLite, roomyLimits(), opt)

	// start begins a sign-in in b and returns the callback URL the provider
	// sends the browser back to.
	start := func(b *browser, email string) *url.URL {
		t.Helper()
		m.QueueUser(&mockoidc.MockUser{Subject: "sub-" + email, Email: email, EmailVerified: true})
		res, _ := b.get(s.URL + "/auth/oidc/login")
		if res.StatusCode != http.StatusFound || !strings.HasPrefix(res.Header.Get("Location"), m.Issuer()) {
			t.Fatalf("login start: %d to %q", res.StatusCode, res.Header.Get("Location"))
		}
		auth, err := url.Parse(res.Header.Get("Location"))
		if err != nil {
			t.Fatal(err)
		}
		q := auth.Query()
		if q.Get("code_challenge_method") != "S256" || q.Get("nonce") == "" || q.Get("state") == "" || q.Get("redirect_uri") != s.URL+"/auth/oidc/callback" {
			t.Fatalf("authorize request lacks PKCE, nonce or state: %s", auth)
		}
		res, _ = b.get(auth.String())
		cb, err := url.Parse(res.Header.Get("Location"))
		if err != nil || res.StatusCode != http.StatusFound || cb.Path != "/auth/oidc/callback" {
			t.Fatalf("provider answered %d to %q", res.StatusCode, res.Header.Get("Location"))
		}
		return cb
	}
	refused := func(b *browser, cb string, want string) {
		t.Helper()
		res, body := b.get(cb)
		if res.StatusCode != http.StatusBadRequest || !strings.Contains(body, want) {
			t.Fatalf("callback %s: %d: %.300s", cb, res.StatusCode, body)
		}
		for _, c := range res.Cookies() {
			if c.Name == "soulseer_session" && c.Value != "" {
				t.Fatal("a refused callback set a session")
			}
		}
	}

	b := newBrowser(t, false)
	cb := start(b, "forged@example.com")
	q := cb.Query()
	q.Set("state", "forged-state")
	forged := *cb
	forged.RawQuery = q.Encode()
	refused(b, forged.String(), "could not be completed")
	if n := usersWithEmail(t, s, "forged@example.com"); n != 0 {
		t.Fatal("a forged state created an account")
	}

	cb = start(newBrowser(t, false), "other-browser@example.com")
	refused(newBrowser(t, false), cb.String(), "took too long or was started in another browser")

	b = newBrowser(t, false)
	cb = start(b, "denied@example.com")
	q = cb.Query()
	q.Del("code")
	q.Set("error", "access_denied")
	cb.RawQuery = q.Encode()
	refused(b, cb.String(), "cancelled or refused")

	// The real callback works once; replaying it is refused.
	b = newBrowser(t, false)
	cb = start(b, "once@example.com")
	res, _ := b.get(cb.String())
	if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/dashboard" {
		t.Fatalf("good callback: %d to %q", res.StatusCode, res.Header.Get("Location"))
	}
	refused(b, cb.String(), "took too long")
	if n := usersWithEmail(t, s, "denied@example.com") + usersWithEmail(t, s, "other-browser@example.com"); n != 0 {
		t.Fatal("a refused callback created an account")
	}
}

// ACC-2: "Continue with Auth0" shows on the login and sign-up pages only
// when an OIDC provider is configured.
func TestOIDCButton_ACC2(t *testing.T) {
	t.Parallel()
	_, opt := startOIDC(t)
	with := apptest.Start(t, db.SQLite, opt)
	without := apptest.Start(t, db.SQLite)
	for _, path := range []string{"/login", "/signup"} {
		res := with.Client().Do("GET", path, nil)
		mustContain(t, res, "Continue with Auth0", `href="/auth/oidc/login"`)
		res = without.Client().Do("GET", path, nil)
		mustNotContain(t, res, "Continue with", "/auth/oidc/login")
	}
	if res := without.Client().Do("GET", "/auth/oidc/login", nil); res.Status != http.StatusNotFound {
		t.Fatalf("OIDC login without a provider: %d", res.Status)
	}
	if res := without.Client().Do("GET", "/auth/oidc/callback?code=x&state=y", nil); res.Status != http.StatusNotFound {
		t.Fatalf("OIDC callback without a provider: %d", res.Status)
	}
}
