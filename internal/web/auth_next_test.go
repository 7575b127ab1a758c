package web_test

import (
	"html"
	"net/url"
	"regexp"
	"testing"

	"github.com/soulseer/soulseer/internal/apptest"
)

// ACC-1 ACC-4: a visitor who signs up or logs in from a reader's profile
// comes back to that profile. The profile's "Sign up to connect" link, the
// sign-up page's "Log in" link and the login page's "Create an account"
// link each carry the page encoded once, and the forms they lead to post it
// back, so the new session lands on the profile rather than the dashboard.
func TestAuthLinksReturnToProfile_ACC1_ACC4(t *testing.T) {
	eachApp(t, func(t *testing.T, s *apptest.Server) {
		w := newWorld(t, s)
		profile := "/readers/" + id(w.reader.ID)

		// Sign up: profile → sign-up page → form.
		c := s.Client()
		signup := linkFrom(t, page(c, profile), "/signup", profile)
		form := page(c, signup)
		next := hiddenNext(t, form)
		if next != profile {
			t.Fatalf("the sign-up form reached from %s posts next=%q, want %q", signup, next, profile)
		}
		login := linkFrom(t, form, "/login", profile)
		res := browserForm(s, c, "/signup", url.Values{"email": {"wren@example.com"}, "password": {"a-good-password"},
			"display_name": {"Wren"}, "next": {next}})
		redirectsTo(t, res, profile)
		if sessionCookie(res) == nil {
			t.Fatal("signing up from the profile started no session")
		}

		// Log in: the sign-up page's "Log in" link → login page → form; and
		// the login page's own "Create an account" link keeps the page too.
		c = s.Client()
		form = page(c, login)
		if next := hiddenNext(t, form); next != profile {
			t.Fatalf("the login form reached from %s posts next=%q, want %q", login, next, profile)
		}
		if again := linkFrom(t, form, "/signup", profile); again != signup {
			t.Fatalf("the login page's sign-up link is %q, want %q", again, signup)
		}
		res = browserForm(s, c, "/login", url.Values{"email": {w.client.Email}, "password": {apptest.Password}, "next": {hiddenNext(t, form)}})
		redirectsTo(t, res, profile)
	})
}

var (
	hrefPattern = regexp.MustCompile(`href="([^"]*)"`)
	nextPattern = regexp.MustCompile(`<input type="hidden" name="next" value="([^"]*)">`)
)

// linkFrom returns the page's link to path that carries a next page (as a
// browser reads the attribute) and checks that next decodes, once, to want.
func linkFrom(t *testing.T, res apptest.Response, path, want string) string {
	t.Helper()
	for _, m := range hrefPattern.FindAllStringSubmatch(string(res.Body), -1) {
		href := html.UnescapeString(m[1])
		u, err := url.Parse(href)
		if err != nil || u.Path != path || !u.Query().Has("next") {
			continue
		}
		if got := u.Query().Get("next"); got != want {
			t.Fatalf("the link %q carries next=%q, want %q", href, got, want)
		}
		return href
	}
	t.Fatalf("page (%d) has no link to %s with a next page", res.Status, path)
	return ""
}

// hiddenNext returns the value of a form's hidden next field.
func hiddenNext(t *testing.T, res apptest.Response) string {
	t.Helper()
	m := nextPattern.FindStringSubmatch(string(res.Body))
	if m == nil {
		t.Fatalf("page (%d) has no hidden next field", res.Status)
	}
	return html.UnescapeString(m[1])
}
