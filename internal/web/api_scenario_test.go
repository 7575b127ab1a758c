package web_test

import (
	"bytes"
	"cmp"
	"image"
	"image/color"
	"image/png"
	"maps"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/soulseer/soulseer/internal/account"
	"github.com/soulseer/soulseer/internal/apptest"
	"github.com/soulseer/soulseer/internal/audit"
	"github.com/soulseer/soulseer/internal/reader"
)

// scenario is one request against the JSON API and what must come back, in
// the style of PocketBase's ApiScenario. Scenarios of one test run in order
// against one app, so later ones see what earlier ones did.
type scenario struct {
	name    string
	route   string // "METHOD pattern" of the route-table entry exercised
	as      string // "anon", "client", "reader", "pending", "admin"; "fresh" for a new cookie jar; "own" for a new session of the client user
	path    string // request path; placeholders {reader} {pending} {client} {admin} {extra}; default: the route's pattern
	body    any    // nil, a raw string, or a value sent as JSON
	bodyFn  func(t *testing.T, w *world) any
	headers []string
	status  int
	fields  []string // keys the problem's errors object must hold
	detail  string   // text the problem's detail must contain
	// unchanged demands that the database is exactly as before; it is
	// implied for every 4xx.
	unchanged bool
	contains  []string
	media     string // the media type of a success's body; default application/json
	check     func(t *testing.T, w *world, res apptest.Response)
}

// foundationAPI is every /api/v1 route of the foundation issue; each needs
// a success scenario here, and each that takes a JSON body is also sent the
// generic bad bodies.
var foundationAPI = map[string]bool{ // route → takes a JSON body
	"GET /api/v1/openapi.json":               false,
	"POST /api/v1/auth/signup":               true,
	"POST /api/v1/auth/login":                true,
	"POST /api/v1/auth/logout":               false,
	"POST /api/v1/auth/tokens":               true,
	"GET /api/v1/auth/tokens":                false,
	"DELETE /api/v1/auth/tokens/{id}":        false,
	"POST /api/v1/auth/password/forgot":      true,
	"POST /api/v1/auth/password/reset":       true,
	"GET /api/v1/me":                         false,
	"PATCH /api/v1/me":                       true,
	"GET /api/v1/me/sessions":                false,
	"DELETE /api/v1/me/sessions/{id}":        false,
	"GET /api/v1/me/reader-application":      false,
	"POST /api/v1/me/reader-application":     true,
	"GET /api/v1/me/favorites":               false,
	"PUT /api/v1/me/favorites/{id}":          false,
	"DELETE /api/v1/me/favorites/{id}":       false,
	"PUT /api/v1/me/reader-profile":          true,
	"PUT /api/v1/me/reader-profile/avatar":   false,
	"POST /api/v1/me/presence":               true,
	"GET /api/v1/readers":                    false,
	"GET /api/v1/readers/{id}":               false,
	"GET /api/v1/admin/users":                false,
	"POST /api/v1/admin/users/{id}/role":     true,
	"POST /api/v1/admin/readers/{id}/verify": true,
	"POST /api/v1/admin/readers/{id}/kyc":    true,

	"GET /api/v1/admin/applications":               false,
	"POST /api/v1/admin/applications/{id}/approve": false,
	"POST /api/v1/admin/applications/{id}/reject":  true,
}

// badBodies are sent to every JSON-body route: each must be refused with a
// 4xx problem naming what is wrong, and change nothing.
var badBodies = []struct {
	name    string
	body    string
	headers []string
	status  int
	fields  []string
	detail  string
}{
	{name: "malformed JSON", body: `{"email": "a@example.com",`, status: 400, detail: "ends in the middle"},
	{name: "not JSON", body: `{email: 1}`, status: 400, detail: "not valid JSON"},
	{name: "unknown field", body: `{"surprise": 1}`, status: 400, fields: []string{"surprise"}, detail: "does not take"},
	{name: "array", body: `[]`, status: 400, detail: "JSON object"},
	{name: "string", body: `"hello"`, status: 400, detail: "JSON object"},
	{name: "trailing data", body: `{} {}`, status: 400, detail: "single JSON object"},
	{name: "oversized", body: `{"surprise": "` + strings.Repeat("x", 70<<10) + `"}`, status: 413, detail: "64 KiB"},
	{name: "wrong content type", body: `{}`, headers: []string{"Content-Type", "text/plain"}, status: 415, detail: "application/json"},
	{name: "form content type", body: `email=a%40example.com`, headers: []string{"Content-Type", "application/x-www-form-urlencoded"}, status: 415, detail: "application/json"},
	{name: "bad content type", body: `{}`, headers: []string{"Content-Type", "application/json; charset"}, status: 415, detail: "application/json"},
	{name: "empty", body: ``, status: 400, detail: "empty"},
}

// bodyRoute says who may call a JSON-body route and at which path, so the
// bad bodies get past authorisation to the decoder.
type bodyRoute struct {
	route, as, path string
	skip            []string // bad bodies that are fine for this route
}

// jsonBodyRoutes are the foundation routes that take JSON.
var jsonBodyRoutes = []bodyRoute{
	{"POST /api/v1/auth/signup", "anon", "", nil},
	{"POST /api/v1/auth/login", "anon", "", nil},
	{"POST /api/v1/auth/tokens", "client", "", nil},
	{"POST /api/v1/auth/password/forgot", "anon", "", nil},
	{"POST /api/v1/auth/password/reset", "anon", "", nil},
	{"PUT /api/v1/me/reader-profile", "reader", "", nil},
	{"PATCH /api/v1/me", "client", "", nil},
	{"POST /api/v1/me/reader-application", "client", "", nil},
	{"POST /api/v1/admin/applications/{id}/reject", "admin", "/api/v1/admin/applications/999999/reject", nil},
	{"POST /api/v1/me/presence", "reader", "", nil},
	{"POST /api/v1/admin/users/{id}/role", "admin", "/api/v1/admin/users/{client}/role", nil},
	{"POST /api/v1/admin/readers/{id}/verify", "admin", "/api/v1/admin/readers/{pending}/verify", []string{"empty"}}, // no body means "verify"
	{"POST /api/v1/admin/readers/{id}/kyc", "admin", "/api/v1/admin/readers/{pending}/kyc", nil},
	{"POST /api/v1/notifications/read", "client", "", nil},
	{"PUT /api/v1/me/notification-preferences", "client", "", nil},
	{"POST /api/v1/bookings", "client", "", nil},
	{"POST /api/v1/streams", "reader", "", nil},
	{"POST /api/v1/streams/{id}/messages", "client", "/api/v1/streams/999999/messages", nil},
	{"POST /api/v1/streams/{id}/gifts", "client", "/api/v1/streams/999999/gifts", nil},
	{"POST /api/v1/admin/gifts", "admin", "", nil},
	{"PUT /api/v1/admin/gifts/{id}", "admin", "/api/v1/admin/gifts/999999", nil},
	{"POST /api/v1/streams/{id}/moderation", "reader", "/api/v1/streams/999999/moderation", nil},
	{"PUT /api/v1/me/subscription-price", "reader", "", nil},
}

func pngBytes(t *testing.T, w, h int) []byte {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for x := range w {
		for y := range h {
			img.Set(x, y, color.RGBA{uint8(x), uint8(y), 200, 255})
		}
	}
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// latestResetToken returns the token of the newest reset email to addr.
func latestResetToken(t *testing.T, w *world, addr string) string {
	t.Helper()
	mails, err := w.s.App.Mail.Recent(ctx, addr, 1)
	if err != nil || len(mails) == 0 {
		t.Fatalf("no email to %s (%v)", addr, err)
	}
	i := strings.Index(mails[0].Body, "/password/reset?token=")
	if i < 0 {
		t.Fatalf("no reset link in %q", mails[0].Body)
	}
	u, err := url.Parse(strings.Fields(mails[0].Body[i:])[0])
	if err != nil {
		t.Fatal(err)
	}
	return u.Query().Get("token")
}

func decode[T any](t *testing.T, res apptest.Response) T {
	t.Helper()
	var v T
	res.JSON(t, &v)
	return v
}

type readerJSON struct {
	ID          int64           `json:"id"`
	DisplayName string          `json:"display_name"`
	Rates       map[string]*int `json:"rates"`
	Modalities  []string        `json:"modalities"`
	Status      string          `json:"status"`
	Specialties []string        `json:"specialties"`
	AvatarURL   string          `json:"avatar_url"`
	IsVerified  *bool           `json:"is_verified"`
	KYCStatus   string          `json:"kyc_status"`
}

type readerList struct {
	Readers []readerJSON `json:"readers"`
	Total   int          `json:"total"`
}

type tokenJSON struct {
	ID        string    `json:"id"`
	Name      string    `json:"name"`
	Token     string    `json:"token"`
	CreatedAt time.Time `json:"created_at"`
	ExpiresAt time.Time `json:"expires_at"`
}

type meJSON struct {
	ID          int64       `json:"id"`
	Email       string      `json:"email"`
	DisplayName string      `json:"display_name"`
	Role        string      `json:"role"`
	Dashboard   string      `json:"dashboard"`
	Reader      *readerJSON `json:"reader"`
}

// application is a client's application to become a reader, with or
// without consent to the identity check.
func application(consent bool) map[string]any {
	return map[string]any{"display_name": "Cleo Seer", "specialties": []string{"tarot"}, "years_experience": 3, "languages": []string{"English"},
		"bio": "I read tarot for people at a crossroads, gently and honestly, since 2019.", "kyc_consent": consent,
		"sample_reading": strings.Repeat("The Star card speaks of hope returning after a hard season. ", 5)}
}

func apiScenarios() []scenario {
	return []scenario{
		// Sign-up (ACC-1).
		{name: "signup", route: "POST /api/v1/auth/signup", as: "fresh", status: 201,
			body: map[string]string{"email": " New.Person@Example.com ", "password": "long-enough-pw", "display_name": "New Person"},
			check: func(t *testing.T, w *world, res apptest.Response) {
				me := decode[meJSON](t, res)
				if me.Email != "new.person@example.com" || me.Role != "client" || me.Dashboard != "/dashboard" || me.ID == 0 {
					t.Fatalf("signed up = %+v", me)
				}
				if c := sessionCookie(res); c == nil || c.Value == "" || !c.HttpOnly {
					t.Fatalf("no HttpOnly session cookie: %v", res.Header["Set-Cookie"])
				}
				if strings.Contains(string(res.Body), "long-enough-pw") || strings.Contains(string(res.Body), "argon2") {
					t.Fatal("the response echoes the password or its hash")
				}
			}},
		{name: "signup missing fields", route: "POST /api/v1/auth/signup", as: "anon", body: map[string]string{}, status: 400, fields: []string{"email", "password", "display_name"}},
		{name: "signup email is a number", route: "POST /api/v1/auth/signup", as: "anon", body: `{"email": 5, "password": "long-enough-pw", "display_name": "N"}`, status: 400, fields: []string{"email"}},
		{name: "signup password is a number", route: "POST /api/v1/auth/signup", as: "anon", body: `{"email": "n@example.com", "password": 12345678, "display_name": "N"}`, status: 400, fields: []string{"password"}},
		{name: "signup bad email and short password", route: "POST /api/v1/auth/signup", as: "anon", body: map[string]string{"email": "nope", "password": "short", "display_name": "N"}, status: 400, fields: []string{"email", "password"}},
		{name: "signup common password", route: "POST /api/v1/auth/signup", as: "anon", body: map[string]string{"email": "n@example.com", "password": "12345678", "display_name": "N"}, status: 400, fields: []string{"password"}},
		{name: "signup password of spaces", route: "POST /api/v1/auth/signup", as: "anon", body: map[string]string{"email": "n@example.com", "password": "        ", "display_name": "N"}, status: 400, fields: []string{"password"}},
		{name: "signup duplicate email", route: "POST /api/v1/auth/signup", as: "anon", body: map[string]string{"email": "CLEO@example.com", "password": "long-enough-pw", "display_name": "Cleo Again"}, status: 409, fields: []string{"email"}},

		// Login and logout (ACC-1, ACC-4).
		{name: "login", route: "POST /api/v1/auth/login", as: "fresh", status: 200,
			body: map[string]string{"email": "luna@example.com", "password": apptest.Password},
			check: func(t *testing.T, w *world, res apptest.Response) {
				me := decode[meJSON](t, res)
				if me.ID != w.reader.ID || me.Dashboard != "/reader/dashboard" || me.Reader == nil || me.Reader.DisplayName != "Luna Vale" {
					t.Fatalf("logged in = %+v", me)
				}
				if sessionCookie(res) == nil {
					t.Fatal("no session cookie")
				}
			}},
		{name: "login wrong password", route: "POST /api/v1/auth/login", as: "anon", body: map[string]string{"email": "luna@example.com", "password": "wrong-password"}, status: 401, contains: []string{"Email or password is incorrect."}},
		{name: "login unknown email", route: "POST /api/v1/auth/login", as: "anon", body: map[string]string{"email": "ghost@example.com", "password": "wrong-password"}, status: 401, contains: []string{"Email or password is incorrect."}},
		{name: "login missing fields", route: "POST /api/v1/auth/login", as: "anon", body: map[string]string{}, status: 400, fields: []string{"email", "password"}},
		{name: "login email is a number", route: "POST /api/v1/auth/login", as: "anon", body: `{"email": 5, "password": "x"}`, status: 400, fields: []string{"email"}},
		{name: "logout", route: "POST /api/v1/auth/logout", as: "own", status: 204,
			check: func(t *testing.T, w *world, res apptest.Response) {
				if c := sessionCookie(res); c == nil || c.MaxAge >= 0 {
					t.Fatalf("the session cookie is not cleared: %v", res.Header["Set-Cookie"])
				}
				if me := w.last.Do("GET", "/api/v1/me", nil, "Cookie", "soulseer_session="+w.lastSession); me.Status != 401 {
					t.Fatalf("the ended session still works: %d", me.Status)
				}
			}},
		{name: "logout when not logged in", route: "POST /api/v1/auth/logout", as: "anon", status: 204, unchanged: true},

		// API tokens (ACC-10).
		{name: "token", route: "POST /api/v1/auth/tokens", as: "client", body: map[string]string{"name": "my script"}, status: 201,
			check: func(t *testing.T, w *world, res apptest.Response) {
				tok := decode[tokenJSON](t, res)
				if !strings.HasPrefix(tok.Token, account.APITokenPrefix) || tok.ID == "" || tok.Name != "my script" ||
					tok.ExpiresAt.Sub(tok.CreatedAt) != account.DefaultTokenDays*24*time.Hour {
					t.Fatalf("token %+v, want a secret working for 90 days", tok)
				}
				w.keys["token"] = tok.ID
				c := w.s.Client()
				c.Token = tok.Token
				me := decode[meJSON](t, c.Do("GET", "/api/v1/me", nil))
				if me.ID != w.client.ID {
					t.Fatalf("the bearer token signs in as %+v", me)
				}
			}},
		{name: "token with a lifetime", route: "POST /api/v1/auth/tokens", as: "client", body: map[string]any{"name": "cron", "expires_in_days": 7}, status: 201,
			check: func(t *testing.T, w *world, res apptest.Response) {
				if tok := decode[tokenJSON](t, res); tok.ExpiresAt.Sub(tok.CreatedAt) != 7*24*time.Hour {
					t.Fatalf("token %+v, want one working for 7 days", tok)
				}
			}},
		{name: "token without name", route: "POST /api/v1/auth/tokens", as: "client", body: map[string]string{}, status: 400, fields: []string{"name"}},
		{name: "token name is a number", route: "POST /api/v1/auth/tokens", as: "client", body: `{"name": 5}`, status: 400, fields: []string{"name"}},
		{name: "token name too long", route: "POST /api/v1/auth/tokens", as: "client", body: map[string]string{"name": strings.Repeat("n", 81)}, status: 400, fields: []string{"name"}},
		{name: "token lifetime too long", route: "POST /api/v1/auth/tokens", as: "client", body: map[string]any{"name": "x", "expires_in_days": 366}, status: 400, fields: []string{"expires_in_days"}},
		{name: "token lifetime zero", route: "POST /api/v1/auth/tokens", as: "client", body: map[string]any{"name": "x", "expires_in_days": 0}, status: 400, fields: []string{"expires_in_days"}},
		{name: "token lifetime is a string", route: "POST /api/v1/auth/tokens", as: "client", body: `{"name": "x", "expires_in_days": "7"}`, status: 400, fields: []string{"expires_in_days"}},
		{name: "token anonymous", route: "POST /api/v1/auth/tokens", as: "anon", body: map[string]string{"name": "x"}, status: 401},
		{name: "tokens", route: "GET /api/v1/auth/tokens", as: "client", status: 200,
			check: func(t *testing.T, w *world, res apptest.Response) {
				l := decode[struct{ Tokens []tokenJSON }](t, res)
				if len(l.Tokens) != 3 || l.Tokens[1].ID != w.keys["token"] || l.Tokens[1].Name != "my script" ||
					strings.Contains(string(res.Body), account.APITokenPrefix) || strings.Contains(string(res.Body), `"token"`) {
					t.Fatalf("tokens = %s; want cron, my script, test and no secret", res.Body)
				}
			}},
		{name: "tokens anonymous", route: "GET /api/v1/auth/tokens", as: "anon", status: 401},
		{name: "token of another user", route: "DELETE /api/v1/auth/tokens/{id}", as: "reader", path: "/api/v1/auth/tokens/{token}", status: 404},
		{name: "token unknown", route: "DELETE /api/v1/auth/tokens/{id}", as: "client", path: "/api/v1/auth/tokens/0123456789abcdef", status: 404},
		{name: "token revoked", route: "DELETE /api/v1/auth/tokens/{id}", as: "client", path: "/api/v1/auth/tokens/{token}", status: 204,
			check: func(t *testing.T, w *world, res apptest.Response) {
				l := decode[struct{ Tokens []tokenJSON }](t, w.as["client"].Do("GET", "/api/v1/auth/tokens", nil))
				if len(l.Tokens) != 2 || slices.ContainsFunc(l.Tokens, func(tok tokenJSON) bool { return tok.ID == w.keys["token"] }) {
					t.Fatalf("tokens after revoking = %+v", l.Tokens)
				}
			}},
		{name: "token revoked again", route: "DELETE /api/v1/auth/tokens/{id}", as: "client", path: "/api/v1/auth/tokens/{token}", status: 404},

		// Password reset (ACC-1).
		{name: "forgot", route: "POST /api/v1/auth/password/forgot", as: "anon", body: map[string]string{"email": "pat@example.com"}, status: 202,
			check: func(t *testing.T, w *world, res apptest.Response) {
				if latestResetToken(t, w, "pat@example.com") == "" {
					t.Fatal("no reset token")
				}
			}},
		{name: "forgot unknown email answers the same", route: "POST /api/v1/auth/password/forgot", as: "anon", body: map[string]string{"email": "ghost@example.com"}, status: 202, unchanged: true},
		{name: "forgot bad email", route: "POST /api/v1/auth/password/forgot", as: "anon", body: map[string]string{"email": "nope"}, status: 400, fields: []string{"email"}},
		{name: "forgot email is a number", route: "POST /api/v1/auth/password/forgot", as: "anon", body: `{"email": 5}`, status: 400, fields: []string{"email"}},
		{name: "reset bad token", route: "POST /api/v1/auth/password/reset", as: "anon", body: map[string]string{"token": "forged", "password": "a-new-password"}, status: 400, fields: []string{"token"}},
		{name: "reset short password", route: "POST /api/v1/auth/password/reset", as: "anon", status: 400, fields: []string{"password"},
			bodyFn: func(t *testing.T, w *world) any {
				return map[string]string{"token": latestResetToken(t, w, "pat@example.com"), "password": "short"}
			}},
		{name: "reset common password", route: "POST /api/v1/auth/password/reset", as: "anon", status: 400, fields: []string{"password"},
			bodyFn: func(t *testing.T, w *world) any {
				return map[string]string{"token": latestResetToken(t, w, "pat@example.com"), "password": "Password1"}
			}},
		{name: "reset token is a number", route: "POST /api/v1/auth/password/reset", as: "anon", body: `{"token": 5, "password": "a-new-password"}`, status: 400, fields: []string{"token"}},
		{name: "reset", route: "POST /api/v1/auth/password/reset", as: "fresh", status: 200,
			bodyFn: func(t *testing.T, w *world) any {
				return map[string]string{"token": latestResetToken(t, w, "pat@example.com"), "password": "a-new-password"}
			},
			check: func(t *testing.T, w *world, res apptest.Response) {
				if me := decode[meJSON](t, res); me.Email != "pat@example.com" || sessionCookie(res) == nil {
					t.Fatalf("reset answered %+v without a session", me)
				}
				if _, err := w.s.App.Accounts.Login(ctx, "pat@example.com", "a-new-password"); err != nil {
					t.Fatalf("the new password does not work: %v", err)
				}
			}},
		{name: "reset token used twice", route: "POST /api/v1/auth/password/reset", as: "anon", status: 400, fields: []string{"token"},
			bodyFn: func(t *testing.T, w *world) any {
				return map[string]string{"token": latestResetToken(t, w, "pat@example.com"), "password": "another-password"}
			}},

		// The signed-in user.
		{name: "me", route: "GET /api/v1/me", as: "client", status: 200,
			check: func(t *testing.T, w *world, res apptest.Response) {
				me := decode[meJSON](t, res)
				if me.ID != w.client.ID || me.Email != "cleo@example.com" || me.Role != "client" || me.Reader != nil {
					t.Fatalf("me = %+v", me)
				}
			}},
		{name: "me as reader", route: "GET /api/v1/me", as: "pending", status: 200,
			check: func(t *testing.T, w *world, res apptest.Response) {
				me := decode[meJSON](t, res)
				if me.Reader == nil || me.Reader.IsVerified == nil || *me.Reader.IsVerified || me.Reader.KYCStatus != "not_started" {
					t.Fatalf("a reader's own view lacks verification and KYC: %+v", me.Reader)
				}
			}},
		{name: "me anonymous", route: "GET /api/v1/me", as: "anon", status: 401},

		// Account settings and sessions (ACC-9).
		{name: "me update", route: "PATCH /api/v1/me", as: "client", body: map[string]string{"time_zone": "Europe/Lisbon"}, status: 200,
			contains: []string{`"time_zone":"Europe/Lisbon"`}},
		{name: "me update bad time zone", route: "PATCH /api/v1/me", as: "client", body: map[string]string{"time_zone": "Mars/Olympus_Mons"}, status: 400,
			fields: []string{"time_zone"}},
		{name: "me update blank name", route: "PATCH /api/v1/me", as: "client", body: map[string]string{"display_name": " "}, status: 400,
			fields: []string{"display_name"}},
		{name: "me update name is a number", route: "PATCH /api/v1/me", as: "client", body: `{"display_name": 7}`, status: 400, fields: []string{"display_name"}},
		{name: "sessions", route: "GET /api/v1/me/sessions", as: "own", status: 200,
			check: func(t *testing.T, w *world, res apptest.Response) {
				type session struct {
					ID      string `json:"id"`
					Current bool   `json:"current"`
				}
				var l struct {
					Sessions []session `json:"sessions"`
				}
				res.JSON(t, &l)
				i := slices.IndexFunc(l.Sessions, func(s session) bool { return s.Current })
				if i < 0 || strings.Contains(string(res.Body), w.lastSession) {
					t.Fatalf("sessions = %s: no current one, or a token shown", res.Body)
				}
				w.keys["session"] = l.Sessions[i].ID
			}},
		{name: "session of another user", route: "DELETE /api/v1/me/sessions/{id}", as: "reader", path: "/api/v1/me/sessions/{session}", status: 404},
		{name: "session logged out", route: "DELETE /api/v1/me/sessions/{id}", as: "client", path: "/api/v1/me/sessions/{session}", status: 204,
			check: func(t *testing.T, w *world, res apptest.Response) {
				if me := w.s.Client().Do("GET", "/api/v1/me", nil, "Cookie", "soulseer_session="+w.lastSession); me.Status != 401 {
					t.Fatalf("the logged-out session still works: %d", me.Status)
				}
			}},
		{name: "session logged out again", route: "DELETE /api/v1/me/sessions/{id}", as: "client", path: "/api/v1/me/sessions/{session}", status: 404},

		// Favourites (RDR-6).
		{name: "favorite", route: "PUT /api/v1/me/favorites/{id}", as: "client", path: "/api/v1/me/favorites/{reader}", status: 204},
		{name: "favorite again", route: "PUT /api/v1/me/favorites/{id}", as: "client", path: "/api/v1/me/favorites/{reader}", status: 204, unchanged: true},
		{name: "favorite unverified reader", route: "PUT /api/v1/me/favorites/{id}", as: "client", path: "/api/v1/me/favorites/{pending}", status: 404},
		{name: "favorite a client", route: "PUT /api/v1/me/favorites/{id}", as: "client", path: "/api/v1/me/favorites/{admin}", status: 404},
		{name: "favorite bad id", route: "PUT /api/v1/me/favorites/{id}", as: "client", path: "/api/v1/me/favorites/abc", status: 404},
		{name: "favorite zero id", route: "PUT /api/v1/me/favorites/{id}", as: "client", path: "/api/v1/me/favorites/0", status: 404},
		{name: "favorite self", route: "PUT /api/v1/me/favorites/{id}", as: "reader", path: "/api/v1/me/favorites/{reader}", status: 400},
		{name: "favorites", route: "GET /api/v1/me/favorites", as: "client", status: 200,
			check: func(t *testing.T, w *world, res apptest.Response) {
				l := decode[readerList](t, res)
				if len(l.Readers) != 1 || l.Readers[0].ID != w.reader.ID {
					t.Fatalf("favourites = %+v", l)
				}
			}},
		{name: "unfavorite", route: "DELETE /api/v1/me/favorites/{id}", as: "client", path: "/api/v1/me/favorites/{reader}", status: 204,
			check: func(t *testing.T, w *world, res apptest.Response) {
				if l := decode[readerList](t, w.as["client"].Do("GET", "/api/v1/me/favorites", nil)); len(l.Readers) != 0 {
					t.Fatalf("favourites after removal = %+v", l)
				}
			}},
		{name: "unfavorite again", route: "DELETE /api/v1/me/favorites/{id}", as: "client", path: "/api/v1/me/favorites/{reader}", status: 204, unchanged: true},

		// The reader's own profile (RDR-1, RDR-2).
		{name: "reader profile", route: "PUT /api/v1/me/reader-profile", as: "reader", status: 200,
			body: map[string]any{"display_name": "Luna Vale", "tagline": "Tarot with heart", "bio": "Twenty years of cards.",
				"specialties": []string{"tarot", "astrology"}, "years_experience": 20, "languages": []string{"English", "Spanish"},
				"rates": map[string]int{"text": 250, "video": 800}},
			check: func(t *testing.T, w *world, res apptest.Response) {
				p := decode[readerJSON](t, res)
				if p.Rates["text"] == nil || *p.Rates["text"] != 250 || p.Rates["voice"] != nil || *p.Rates["video"] != 800 ||
					!slices.Equal(p.Modalities, []string{"text", "video"}) || !slices.Equal(p.Specialties, []string{"astrology", "tarot"}) {
					t.Fatalf("profile = %+v", p)
				}
				other, _ := w.s.App.Readers.Get(ctx, w.pending, w.pending.ID)
				if other.DisplayName != "Nova Pending" || other.Rates.Text != 150 {
					t.Fatalf("another reader's profile changed: %+v", other)
				}
			}},
		{name: "reader profile rate is a string", route: "PUT /api/v1/me/reader-profile", as: "reader", body: `{"display_name": "Luna", "rates": {"text": "abc"}}`, status: 400, fields: []string{"rates.text"}},
		{name: "reader profile rate too low", route: "PUT /api/v1/me/reader-profile", as: "reader", body: `{"display_name": "Luna", "rates": {"text": 5, "video": 100001}}`, status: 400, fields: []string{"rates.text", "rates.video"}},
		{name: "reader profile rate is fractional", route: "PUT /api/v1/me/reader-profile", as: "reader", body: `{"display_name": "Luna", "rates": {"voice": 3.5}}`, status: 400, fields: []string{"rates.voice"}},
		{name: "reader profile unknown specialty", route: "PUT /api/v1/me/reader-profile", as: "reader", body: `{"display_name": "Luna", "specialties": ["crystal-balls"]}`, status: 400, fields: []string{"specialties"}},
		{name: "reader profile specialties is a string", route: "PUT /api/v1/me/reader-profile", as: "reader", body: `{"display_name": "Luna", "specialties": "tarot"}`, status: 400, fields: []string{"specialties"}},
		{name: "reader profile years is a string", route: "PUT /api/v1/me/reader-profile", as: "reader", body: `{"display_name": "Luna", "years_experience": "ten"}`, status: 400, fields: []string{"years_experience"}},
		{name: "reader profile missing name", route: "PUT /api/v1/me/reader-profile", as: "reader", body: `{"rates": {"text": 250}}`, status: 400, fields: []string{"display_name"}},
		{name: "reader profile unknown rate", route: "PUT /api/v1/me/reader-profile", as: "reader", body: `{"display_name": "Luna", "rates": {"smoke": 250}}`, status: 400, fields: []string{"smoke"}},
		{name: "reader profile by a client", route: "PUT /api/v1/me/reader-profile", as: "client", body: `{"display_name": "Cleo"}`, status: 403},
		{name: "avatar", route: "PUT /api/v1/me/reader-profile/avatar", as: "reader", headers: []string{"Content-Type", "image/png"}, status: 200,
			bodyFn: func(t *testing.T, w *world) any { return pngBytes(t, 64, 48) },
			check: func(t *testing.T, w *world, res apptest.Response) {
				u := decode[map[string]string](t, res)["avatar_url"]
				if !strings.HasPrefix(u, "/media/avatars/") {
					t.Fatalf("avatar_url %q", u)
				}
				img := w.as["anon"].Do("GET", u, nil)
				if img.Status != 200 || img.Header.Get("Content-Type") != "image/jpeg" || !strings.Contains(img.Header.Get("Content-Security-Policy"), "sandbox") {
					t.Fatalf("GET %s: %d %v", u, img.Status, img.Header)
				}
			}},
		{name: "avatar not an image", route: "PUT /api/v1/me/reader-profile/avatar", as: "reader", body: "<svg onload=alert(1)>", headers: []string{"Content-Type", "image/svg+xml"}, status: 400, fields: []string{"avatar"}},
		{name: "avatar empty", route: "PUT /api/v1/me/reader-profile/avatar", as: "reader", body: "", headers: []string{"Content-Type", "image/png"}, status: 400, fields: []string{"avatar"}},
		{name: "avatar too large", route: "PUT /api/v1/me/reader-profile/avatar", as: "reader", body: strings.Repeat("x", 5<<20+1), headers: []string{"Content-Type", "image/png"}, status: 413},

		// Presence.
		{name: "presence", route: "POST /api/v1/me/presence", as: "reader", body: map[string]string{"status": "online"}, status: 200, contains: []string{`"chosen":"online"`, `"status":"online"`}},
		{name: "presence busy", route: "POST /api/v1/me/presence", as: "reader", body: map[string]string{"status": "busy"}, status: 400, fields: []string{"status"}},
		{name: "presence is a number", route: "POST /api/v1/me/presence", as: "reader", body: `{"status": 1}`, status: 400, fields: []string{"status"}},
		{name: "presence missing", route: "POST /api/v1/me/presence", as: "reader", body: `{}`, status: 400, fields: []string{"status"}},

		// The directory (RDR-4, ACC-5).
		{name: "readers", route: "GET /api/v1/readers", as: "anon", status: 200,
			check: func(t *testing.T, w *world, res apptest.Response) {
				l := decode[readerList](t, res)
				if l.Total != 1 || len(l.Readers) != 1 {
					t.Fatalf("directory = %+v (the unverified reader must not be listed)", l)
				}
				r := l.Readers[0]
				if r.ID != w.reader.ID || r.DisplayName != "Luna Vale" || r.Status != "online" || *r.Rates["text"] != 250 || r.IsVerified != nil {
					t.Fatalf("listed reader = %+v", r)
				}
			}},
		{name: "readers filtered", route: "GET /api/v1/readers", as: "client", path: "/api/v1/readers?specialty=astrology&modality=video&min_rate=500&max_rate=900&online=true&sort=price_low&q=LUNA&limit=5&offset=0", status: 200, contains: []string{`"total":1`}},
		{name: "readers filtered out", route: "GET /api/v1/readers", as: "client", path: "/api/v1/readers?modality=voice", status: 200, contains: []string{`"total":0`, `"readers":[]`}},
		{name: "readers bad numbers", route: "GET /api/v1/readers", as: "anon", path: "/api/v1/readers?min_rate=abc&max_rate=-1&limit=x&offset=-2&online=maybe", status: 400, fields: []string{"min_rate", "max_rate", "limit", "offset", "online"}},
		{name: "readers bad choices", route: "GET /api/v1/readers", as: "anon", path: "/api/v1/readers?specialty=crystals&modality=smoke&sort=random", status: 400, fields: []string{"specialty", "modality", "sort"}},
		{name: "readers inverted price range", route: "GET /api/v1/readers", as: "anon", path: "/api/v1/readers?min_rate=500&max_rate=100", status: 400, fields: []string{"max_rate"}},
		{name: "reader", route: "GET /api/v1/readers/{id}", as: "anon", path: "/api/v1/readers/{reader}", status: 200, contains: []string{`"display_name":"Luna Vale"`}},
		{name: "unverified reader for a client", route: "GET /api/v1/readers/{id}", as: "client", path: "/api/v1/readers/{pending}", status: 404},
		{name: "unverified reader for a visitor", route: "GET /api/v1/readers/{id}", as: "anon", path: "/api/v1/readers/{pending}", status: 404},
		{name: "unverified reader for itself", route: "GET /api/v1/readers/{id}", as: "pending", path: "/api/v1/readers/{pending}", status: 200, contains: []string{`"is_verified":false`}},
		{name: "unverified reader for an admin", route: "GET /api/v1/readers/{id}", as: "admin", path: "/api/v1/readers/{pending}", status: 200, contains: []string{`"is_verified":false`}},
		{name: "reader that is a client", route: "GET /api/v1/readers/{id}", as: "admin", path: "/api/v1/readers/{client}", status: 404},
		{name: "reader bad id", route: "GET /api/v1/readers/{id}", as: "anon", path: "/api/v1/readers/abc", status: 404},

		// Admin (ACC-3, ACC-5, SEC-4).
		{name: "admin users", route: "GET /api/v1/admin/users", as: "admin", status: 200, contains: []string{`"total":6`, "cleo@example.com"}},
		{name: "admin users filtered", route: "GET /api/v1/admin/users", as: "admin", path: "/api/v1/admin/users?role=reader&q=LUNA&limit=10", status: 200, contains: []string{`"total":1`, "luna@example.com"}},
		{name: "admin users bad role", route: "GET /api/v1/admin/users", as: "admin", path: "/api/v1/admin/users?role=wizard", status: 400, fields: []string{"role"}},
		{name: "admin users bad paging", route: "GET /api/v1/admin/users", as: "admin", path: "/api/v1/admin/users?limit=ten&offset=-1", status: 400, fields: []string{"limit", "offset"}},
		{name: "promote", route: "POST /api/v1/admin/users/{id}/role", as: "admin", path: "/api/v1/admin/users/{extra}/role", body: map[string]string{"role": "reader"}, status: 200,
			check: func(t *testing.T, w *world, res apptest.Response) {
				me := decode[meJSON](t, res)
				if me.Role != "reader" || me.Reader == nil {
					t.Fatalf("promoted = %+v", me)
				}
				p, err := w.s.App.Readers.Get(ctx, w.admin, me.ID)
				if err != nil || p.IsVerified {
					t.Fatalf("new reader profile = %+v %v (want unverified)", p, err)
				}
				es, _ := audit.List(ctx, w.s.App.DB.Read(), audit.Filter{Action: "user.set_role", ObjectID: id(me.ID)})
				if len(es) != 1 || es[0].ActorID != w.admin.ID {
					t.Fatalf("audit = %+v", es)
				}
			}},
		{name: "promote unknown role", route: "POST /api/v1/admin/users/{id}/role", as: "admin", path: "/api/v1/admin/users/{client}/role", body: map[string]string{"role": "wizard"}, status: 400, fields: []string{"role"}},
		{name: "promote role is a number", route: "POST /api/v1/admin/users/{id}/role", as: "admin", path: "/api/v1/admin/users/{client}/role", body: `{"role": 5}`, status: 400, fields: []string{"role"}},
		{name: "promote missing role", route: "POST /api/v1/admin/users/{id}/role", as: "admin", path: "/api/v1/admin/users/{client}/role", body: `{}`, status: 400, fields: []string{"role"}},
		{name: "promote unknown user", route: "POST /api/v1/admin/users/{id}/role", as: "admin", path: "/api/v1/admin/users/999999/role", body: map[string]string{"role": "reader"}, status: 404},
		{name: "demote self", route: "POST /api/v1/admin/users/{id}/role", as: "admin", path: "/api/v1/admin/users/{admin}/role", body: map[string]string{"role": "client"}, status: 409},
		{name: "verify", route: "POST /api/v1/admin/readers/{id}/verify", as: "admin", path: "/api/v1/admin/readers/{pending}/verify", status: 200, contains: []string{`"is_verified":true`},
			check: func(t *testing.T, w *world, res apptest.Response) {
				if r := w.as["client"].Do("GET", "/api/v1/readers/"+id(w.pending.ID), nil); r.Status != 200 {
					t.Fatalf("a verified reader is still hidden from clients: %d", r.Status)
				}
			}},
		{name: "unverify", route: "POST /api/v1/admin/readers/{id}/verify", as: "admin", path: "/api/v1/admin/readers/{pending}/verify", body: map[string]bool{"verified": false}, status: 200, contains: []string{`"is_verified":false`}},
		{name: "verify flag is a string", route: "POST /api/v1/admin/readers/{id}/verify", as: "admin", path: "/api/v1/admin/readers/{pending}/verify", body: `{"verified": "yes"}`, status: 400, fields: []string{"verified"}},
		{name: "verify a client", route: "POST /api/v1/admin/readers/{id}/verify", as: "admin", path: "/api/v1/admin/readers/{client}/verify", status: 404},
		{name: "kyc", route: "POST /api/v1/admin/readers/{id}/kyc", as: "admin", path: "/api/v1/admin/readers/{pending}/kyc", body: map[string]string{"kyc_status": "approved"}, status: 200, contains: []string{`"kyc_status":"approved"`}},
		{name: "kyc unknown status", route: "POST /api/v1/admin/readers/{id}/kyc", as: "admin", path: "/api/v1/admin/readers/{pending}/kyc", body: map[string]string{"kyc_status": "maybe"}, status: 400, fields: []string{"kyc_status"}},
		{name: "kyc missing", route: "POST /api/v1/admin/readers/{id}/kyc", as: "admin", path: "/api/v1/admin/readers/{pending}/kyc", body: `{}`, status: 400, fields: []string{"kyc_status"}},
		{name: "kyc is a list", route: "POST /api/v1/admin/readers/{id}/kyc", as: "admin", path: "/api/v1/admin/readers/{pending}/kyc", body: `{"kyc_status": ["approved"]}`, status: 400, fields: []string{"kyc_status"}},

		// The API's own description.
		// Applications to become a reader (ACC-8).
		{name: "no application yet", route: "GET /api/v1/me/reader-application", as: "client", status: 404},
		{name: "apply without consent", route: "POST /api/v1/me/reader-application", as: "client", body: application(false), status: 400,
			fields: []string{"kyc_consent"}},
		{name: "apply with too short a sample", route: "POST /api/v1/me/reader-application", as: "client", status: 400, fields: []string{"sample_reading"},
			body: map[string]any{"display_name": "Cleo Seer", "specialties": []string{"tarot"}, "languages": []string{"English"}, "kyc_consent": true,
				"bio": "I read tarot for people at a crossroads, gently and honestly, since 2019.", "sample_reading": "Too short."}},
		{name: "apply as a reader", route: "POST /api/v1/me/reader-application", as: "reader", body: application(true), status: 409},
		{name: "apply", route: "POST /api/v1/me/reader-application", as: "client", body: application(true), status: 201,
			contains: []string{`"status":"pending"`, `"decided_at":null`},
			check: func(t *testing.T, w *world, res apptest.Response) {
				var a struct {
					ID int64 `json:"id"`
				}
				res.JSON(t, &a)
				w.ids["application"] = a.ID
			}},
		{name: "apply twice", route: "POST /api/v1/me/reader-application", as: "client", body: application(true), status: 409},
		{name: "my application", route: "GET /api/v1/me/reader-application", as: "client", status: 200, contains: []string{`"status":"pending"`}},
		{name: "queue", route: "GET /api/v1/admin/applications", as: "admin", status: 200, contains: []string{`"display_name":"Cleo Seer"`}},
		{name: "queue bad status", route: "GET /api/v1/admin/applications", as: "admin", path: "/api/v1/admin/applications?status=maybe", status: 400,
			fields: []string{"status"}},
		{name: "queue as client", route: "GET /api/v1/admin/applications", as: "client", status: 403},
		{name: "reject without reason", route: "POST /api/v1/admin/applications/{id}/reject", as: "admin", path: "/api/v1/admin/applications/{application}/reject",
			body: map[string]string{"reason": " "}, status: 400, fields: []string{"reason"}},
		{name: "reject", route: "POST /api/v1/admin/applications/{id}/reject", as: "admin", path: "/api/v1/admin/applications/{application}/reject",
			body: map[string]string{"reason": "Please write a longer sample reading."}, status: 200, contains: []string{`"status":"rejected"`},
			check: func(t *testing.T, w *world, res apptest.Response) {
				// The next applicant, whom the admin approves.
				u := w.s.CreateUser("rowan@example.com", account.RoleClient)
				a, err := w.s.App.Readers.Apply(ctx, u, reader.ApplicationInput{DisplayName: "Rowan Ash", Specialties: []string{"dreams"},
					Languages: []string{"English"}, Bio: "I read dreams for people who wake with a question, plainly and kindly.",
					SampleReading: strings.Repeat("The river in your dream is time you have not yet spent. ", 5), KYCConsent: true})
				if err != nil {
					t.Fatal(err)
				}
				w.ids["next"] = a.ID
			}},
		{name: "rejected application", route: "GET /api/v1/me/reader-application", as: "client", status: 200,
			contains: []string{`"status":"rejected"`, `"reason":"Please write a longer sample reading."`}},
		{name: "reject again", route: "POST /api/v1/admin/applications/{id}/reject", as: "admin", path: "/api/v1/admin/applications/{application}/reject",
			body: map[string]string{"reason": "Still no."}, status: 409},
		{name: "approve unknown", route: "POST /api/v1/admin/applications/{id}/approve", as: "admin", path: "/api/v1/admin/applications/999999/approve", status: 404},
		{name: "approve", route: "POST /api/v1/admin/applications/{id}/approve", as: "admin", path: "/api/v1/admin/applications/{next}/approve", status: 200,
			contains: []string{`"status":"approved"`},
			check: func(t *testing.T, w *world, res apptest.Response) {
				if u, err := w.s.App.Accounts.GetByEmail(ctx, "rowan@example.com"); err != nil || u.Role != account.RoleReader {
					t.Fatalf("the approved applicant: %+v %v", u, err)
				}
			}},
		{name: "openapi", route: "GET /api/v1/openapi.json", as: "anon", status: 200, contains: []string{`"openapi"`, `"3.1.0"`}},
	}
}

// run sends one scenario and checks its outcome.
func (sc scenario) run(t *testing.T, w *world) {
	t.Helper()
	method, pattern, _ := strings.Cut(sc.route, " ")
	path := sc.path
	if path == "" {
		path = pattern
	}
	path = strings.NewReplacer("{reader}", id(w.reader.ID), "{pending}", id(w.pending.ID), "{client}", id(w.client.ID),
		"{admin}", id(w.admin.ID), "{extra}", id(w.extra.ID)).Replace(path)
	for name, v := range w.ids {
		path = strings.ReplaceAll(path, "{"+name+"}", id(v))
	}
	for name, v := range w.keys {
		path = strings.ReplaceAll(path, "{"+name+"}", v)
	}
	c := w.as[sc.as]
	switch sc.as {
	case "fresh":
		c = w.s.Client()
	case "own":
		// A session of its own for the client user, so logging out does
		// not end a session other scenarios use.
		c, w.lastSession = w.login(t, "cleo@example.com")
	}
	if c == nil {
		t.Fatalf("no client %q", sc.as)
	}
	w.last = c
	body := sc.body
	if sc.bodyFn != nil {
		body = sc.bodyFn(t, w)
	}
	unchanged := sc.unchanged || sc.status >= 400
	var before string
	if unchanged {
		before = fingerprint(t, w.s)
	}
	res := c.Do(method, path, body, sc.headers...)
	if res.Status != sc.status {
		t.Fatalf("%s %s: status %d, want %d: %s", method, path, res.Status, sc.status, res.Body)
	}
	if sc.status >= 400 {
		p := problemOf(t, res, sc.status)
		for _, f := range sc.fields {
			if p.Errors[f] == "" {
				t.Fatalf("errors = %v, want a message for %q", p.Errors, f)
			}
		}
		if len(sc.fields) > 0 && len(p.Errors) != len(sc.fields) {
			t.Fatalf("errors = %v, want exactly %v", p.Errors, sc.fields)
		}
		if !strings.Contains(p.Detail, sc.detail) {
			t.Fatalf("detail %q does not say %q", p.Detail, sc.detail)
		}
	} else if sc.status != http.StatusNoContent && !strings.HasPrefix(res.Header.Get("Content-Type"), cmp.Or(sc.media, "application/json")) {
		t.Fatalf("Content-Type %q", res.Header.Get("Content-Type"))
	}
	for _, s := range sc.contains {
		if !strings.Contains(string(res.Body), s) {
			t.Fatalf("body lacks %q: %s", s, res.Body)
		}
	}
	if unchanged {
		if after := fingerprint(t, w.s); after != before {
			t.Fatalf("%s %s (%d) changed the database", method, path, res.Status)
		}
	}
	if sc.check != nil {
		sc.check(t, w, res)
	}
}

// ACC-1 ACC-3 ACC-5 RDR-1 RDR-2 RDR-4 RDR-6: every foundation API route
// answers its success case, and bad input — missing fields, wrong types,
// unknown fields, malformed, empty or oversized bodies, wrong media types —
// with a 4xx problem that names the failing fields, never a 500, and
// without changing the database.
func TestAPIScenarios(t *testing.T) {
	eachApp(t, func(t *testing.T, s *apptest.Server) {
		w := newWorld(t, s)
		w.extra = s.CreateUser("pat@example.com", account.RoleClient)
		for _, sc := range append(apiScenarios(), moneyScenarios()...) {
			t.Run(sc.route+" "+sc.name, func(t *testing.T) { sc.run(t, w) })
		}
		sendBadBodies(t, w, append(jsonBodyRoutes, moneyBodyRoutes...))
	})
}

// sendBadBodies sends each route every bad body it does not skip, as a
// scenario of its own.
func sendBadBodies(t *testing.T, w *world, routes []bodyRoute) {
	for _, r := range routes {
		for _, b := range badBodies {
			if slices.Contains(r.skip, b.name) {
				continue
			}
			sc := scenario{name: b.name, route: r.route, as: r.as, path: r.path, body: b.body, headers: b.headers,
				status: b.status, fields: b.fields, detail: b.detail}
			t.Run(r.route+" "+b.name, func(t *testing.T) { sc.run(t, w) })
		}
	}
}

// Every foundation API route is in the route table, has a success scenario
// and, if it takes JSON, gets the bad bodies. Routes added later are listed
// so their authors can add scenarios.
func TestAPIScenariosCoverRoutes(t *testing.T) {
	t.Parallel()
	inTable := map[string]bool{}
	for _, rt := range routeTable(t) {
		if rt.API && strings.HasPrefix(rt.Pattern, "/api/v1/") {
			inTable[rt.Method+" "+rt.Pattern] = true
		}
	}
	success := map[string]bool{}
	for _, sc := range slices.Concat(apiScenarios(), moneyScenarios(), bookingScenarios(nil), streamScenarios(), moderationScenarios(), subscriptionScenarios(),
		payoutScenarios()) {
		if !inTable[sc.route] {
			t.Errorf("scenario %q names %q, which is not in the route table", sc.name, sc.route)
		}
		if sc.status < 300 {
			success[sc.route] = true
		}
	}
	bodies := map[string]bool{}
	for _, r := range slices.Concat(jsonBodyRoutes, moneyBodyRoutes, payoutBodyRoutes) {
		bodies[r.route] = true
	}
	covered := maps.Clone(foundationAPI)
	maps.Copy(covered, moneyAPI)
	maps.Copy(covered, bookingAPI)
	maps.Copy(covered, streamAPI)
	maps.Copy(covered, moderationAPI)
	maps.Copy(covered, subscriptionAPI)
	maps.Copy(covered, payoutAPI)
	for route, takesJSON := range covered {
		if !inTable[route] {
			t.Errorf("%s is missing from the route table", route)
		}
		if !success[route] {
			t.Errorf("%s has no success scenario", route)
		}
		if takesJSON != bodies[route] {
			t.Errorf("%s: takes JSON = %v, but is in jsonBodyRoutes = %v", route, takesJSON, bodies[route])
		}
	}
	for route := range inTable {
		if _, ok := covered[route]; !ok {
			t.Logf("%s has no scenarios yet", route)
		}
	}
}
