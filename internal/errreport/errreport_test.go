package errreport

import (
	"reflect"
	"strings"
	"testing"

	"github.com/getsentry/sentry-go"
)

// EXT-5: whatever put them on an event, its request (cookies, headers,
// body, query string), breadcrumbs and user details other than the id
// never leave; where the failure happened does.
func TestScrub_EXT5(t *testing.T) {
	e := scrub(&sentry.Event{
		Request: &sentry.Request{URL: "https://soulseer.test/password/reset?token=secret", Cookies: "soulseer_session=secret",
			Headers: map[string]string{"Authorization": "Bearer secret"}, Data: `{"password":"secret"}`},
		User:        sentry.User{ID: "7", Email: "ana@example.com", IPAddress: "203.0.113.9", Name: "Ana"},
		Breadcrumbs: []*sentry.Breadcrumb{{Message: "sent a message: secret"}},
		Tags:        map[string]string{"route": "POST /password/reset"},
	}, nil)
	if e.Request != nil || e.Breadcrumbs != nil || !reflect.DeepEqual(e.User, sentry.User{ID: "7"}) {
		t.Fatalf("scrubbed event keeps request %+v, breadcrumbs %v, user %+v", e.Request, e.Breadcrumbs, e.User)
	}
	if e.Tags["route"] != "POST /password/reset" {
		t.Fatalf("tags = %v", e.Tags)
	}
}

// EXT-5: a DSN Sentry cannot use is refused when the reporter is made, and
// every release names the build.
func TestNew_EXT5(t *testing.T) {
	if _, err := New("https://sentry.example/1", "production"); err == nil {
		t.Fatal("a DSN without a key was accepted")
	}
	if r := Release(); !strings.HasPrefix(r, "soulseer@") || len(r) <= len("soulseer@") {
		t.Fatalf("release %q", r)
	}
}
