package web_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/soulseer/soulseer/internal/account"
	"github.com/soulseer/soulseer/internal/apptest"
	"github.com/soulseer/soulseer/internal/clock"
	"github.com/soulseer/soulseer/internal/db/dbtest"
)

// ACC-10 SEC-5: over HTTP, an expired API token is answered 401; the
// dashboard lists the user's tokens (name, dates, never the secret) with a
// Revoke button that only the owner can use; a password reset ends every
// API token of the user.
func TestAPITokensOverHTTP_ACC10(t *testing.T) {
	t.Parallel()
	for _, e := range dbtest.Engines() {
		t.Run(string(e), func(t *testing.T) {
			t.Parallel()
			clk := clock.NewFake(time.Now())
			s := apptest.Start(t, e, roomyLimits(), apptest.WithClock(clk))
			w := newWorld(t, s)
			client := w.as["client"]

			// A one-day token works for a day, then authenticates nobody.
			day := decode[tokenJSON](t, client.Do("POST", "/api/v1/auth/tokens", map[string]any{"name": "daily job", "expires_in_days": 1}))
			script := s.Client()
			script.Token = day.Token
			if me := decode[meJSON](t, script.Do("GET", "/api/v1/me", nil)); me.ID != w.client.ID {
				t.Fatalf("the new token signs in as %+v", me)
			}
			clk.Advance(24 * time.Hour)
			problemOf(t, script.Do("GET", "/api/v1/me", nil), http.StatusUnauthorized)

			// The dashboard lists working tokens without their secrets.
			kept := decode[tokenJSON](t, client.Do("POST", "/api/v1/auth/tokens", map[string]any{"name": "laptop <script>"}))
			page := client.Do("GET", "/dashboard", nil)
			body := string(page.Body)
			if page.Status != 200 || !strings.Contains(body, `id="api-tokens"`) || !strings.Contains(body, "laptop &lt;script&gt;") ||
				!strings.Contains(body, `data-token-id="`+kept.ID+`"`) || strings.Contains(body, "daily job") ||
				strings.Contains(body, account.APITokenPrefix) || !strings.Contains(body, kept.ExpiresAt.Format("2 Jan 2006")) {
				t.Fatalf("dashboard tokens section: %d\n%s", page.Status, body)
			}

			// Only the owner revokes it.
			revoke := "/dashboard/tokens/" + kept.ID + "/revoke"
			if res := w.as["reader"].Form(revoke, url.Values{}); res.Status != http.StatusNotFound {
				t.Fatalf("another user revoked the token: %d", res.Status)
			}
			script.Token = kept.Token
			if res := script.Do("GET", "/api/v1/me", nil); res.Status != 200 {
				t.Fatalf("the token stopped working after a refused revoke: %d", res.Status)
			}
			if res := client.Form(revoke, url.Values{}); res.Status != http.StatusSeeOther {
				t.Fatalf("revoke: %d %s", res.Status, res.Body)
			}
			problemOf(t, script.Do("GET", "/api/v1/me", nil), http.StatusUnauthorized)
			if body := string(client.Do("GET", "/dashboard", nil).Body); strings.Contains(body, kept.ID) {
				t.Fatal("a revoked token is still listed")
			}

			// A password reset ends the user's API tokens.
			if res := w.as["anon"].Do("POST", "/api/v1/auth/password/forgot", map[string]string{"email": "cleo@example.com"}); res.Status != http.StatusAccepted {
				t.Fatalf("forgot: %d", res.Status)
			}
			res := s.Client().Do("POST", "/api/v1/auth/password/reset", map[string]string{"token": latestResetToken(t, w, "cleo@example.com"), "password": "tea leaves at dawn"})
			if res.Status != 200 {
				t.Fatalf("reset: %d %s", res.Status, res.Body)
			}
			problemOf(t, client.Do("GET", "/api/v1/me", nil), http.StatusUnauthorized)
			if res := w.as["reader"].Do("GET", "/api/v1/me", nil); res.Status != 200 {
				t.Fatalf("another user's token was ended by the reset: %d", res.Status)
			}
		})
	}
}
