package web_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/soulseer/soulseer/internal/apptest"
)

// SEC-5: a JSON body that is not valid UTF-8 is refused with a 400 problem
// and changes nothing, instead of being stored with its bad bytes silently
// replaced; the same body in valid UTF-8 is taken.
func TestJSONBodyMustBeUTF8_SEC5(t *testing.T) {
	eachApp(t, func(t *testing.T, s *apptest.Server) {
		w := newWorld(t, s)
		before := fingerprint(t, s)
		for _, body := range []string{
			"{\"email\":\"new@example.com\",\"password\":\"long-enough-pw-77\",\"display_name\":\"Ren\xe9e\"}",
			"{\"email\":\"new@example.com\",\"password\":\"long-enough-pw-77\",\"display_name\":\"Ren\xed\xa0\x80e\"}",
			"{\"email\":\"new@example.com\",\"password\":\"long-enough-pw-77\",\"display_name\":\"Renee\"}\xff",
		} {
			p := problemOf(t, s.Client().Do("POST", "/api/v1/auth/signup", body), http.StatusBadRequest)
			if !strings.Contains(p.Detail, "UTF-8") {
				t.Fatalf("signup with bad UTF-8: %+v", p)
			}
		}
		p := problemOf(t, w.as["reader"].Do("PUT", "/api/v1/me/reader-profile", "{\"display_name\":\"Luna \xc3\"}"), http.StatusBadRequest)
		if !strings.Contains(p.Detail, "UTF-8") {
			t.Fatalf("profile with bad UTF-8: %+v", p)
		}
		if after := fingerprint(t, s); after != before {
			t.Fatal("a body refused for bad UTF-8 changed the database")
		}
		res := s.Client().Do("POST", "/api/v1/auth/signup", `{"email":"new@example.com","password":"long-enough-pw-77","display_name":"Renée"}`)
		if res.Status != http.StatusCreated {
			t.Fatalf("signup in valid UTF-8: %d %s", res.Status, res.Body)
		}
	})
}
