package web_test

import (
	"net/http"
	"net/url"
	"path"
	"strconv"
	"testing"

	"github.com/soulseer/soulseer/internal/account"
	"github.com/soulseer/soulseer/internal/apptest"
)

// SEC-5 WAL-4: a top-up returns the browser to the page it came from only
// when that is a page of this site; a return_to that a browser would read
// as another site, however it is spelled, returns to the wallet instead.
func TestTopUpReturnStaysOnSite_SEC5(t *testing.T) {
	eachApp(t, func(t *testing.T, s *apptest.Server) {
		c, _ := s.LoginAs("cleo@example.com", account.RoleClient)
		topUp := func(returnTo string) (session, returnPath string) {
			t.Helper()
			res := browserForm(s, c, "/wallet/topups", url.Values{"amount": {"10"}, "return_to": {returnTo}})
			loc, err := url.Parse(res.Header.Get("Location"))
			if res.Status != http.StatusSeeOther || err != nil {
				t.Fatalf("top-up with return_to %q: %d %s", returnTo, res.Status, res.Body)
			}
			session = path.Base(loc.Path)
			tu, err := s.App.Payments.TopUpBySession(ctx, session)
			if err != nil {
				t.Fatalf("top-up with return_to %q: %v", returnTo, err)
			}
			return session, tu.ReturnPath
		}
		for _, bad := range []string{"//evil.example", `/\evil.example`, "/\t/evil.example", "/%09/evil.example",
			"/%2F%2Fevil.example", "/%5Cevil.example", "/\x00x", "https://evil.example/", "/readers?x=1"} {
			if _, got := topUp(bad); got != "/wallet" {
				t.Errorf("return_to %q kept as %q, want /wallet", bad, got)
			}
		}
		session, got := topUp("/readers/7")
		if got != "/readers/7" {
			t.Fatalf("return_to /readers/7 kept as %q", got)
		}
		res := browserForm(s, c, "/wallet/test-checkout/"+session+"/pay", nil)
		tu, err := s.App.Payments.TopUpBySession(ctx, session)
		if err != nil {
			t.Fatal(err)
		}
		redirectsTo(t, res, "/readers/7?topup="+strconv.FormatInt(tu.ID, 10))
	})
}
