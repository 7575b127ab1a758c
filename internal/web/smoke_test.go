package web_test

import (
	"net/http"
	"testing"

	"github.com/soulseer/soulseer/internal/account"
	"github.com/soulseer/soulseer/internal/apptest"
	"github.com/soulseer/soulseer/internal/db"
	"github.com/soulseer/soulseer/internal/db/dbtest"
)

// eachEngine runs f against a fresh app on every engine.
func eachEngine(t *testing.T, f func(t *testing.T, s *apptest.Server), opts ...apptest.Option) {
	t.Helper()
	for _, e := range dbtest.Engines() {
		t.Run(string(e), func(t *testing.T) {
			t.Parallel()
			f(t, apptest.Start(t, e, opts...))
		})
	}
}

var _ = db.SQLite

// ACC-1 ACC-4: sign up, then /me; each role's login names its dashboard.
func TestSignupLoginMe(t *testing.T) {
	eachEngine(t, func(t *testing.T, s *apptest.Server) {
		c := s.Client()
		res := c.Do("POST", "/api/v1/auth/signup", map[string]string{"email": "new@example.com", "password": "long-enough-pw", "display_name": "New Person"})
		if res.Status != http.StatusCreated {
			t.Fatalf("signup: %d %s", res.Status, res.Body)
		}
		var me struct {
			ID        int64  `json:"id"`
			Role      string `json:"role"`
			Dashboard string `json:"dashboard"`
		}
		res = c.Do("GET", "/api/v1/me", nil)
		res.JSON(t, &me)
		if res.Status != 200 || me.Role != "client" || me.Dashboard != "/dashboard" {
			t.Fatalf("me: %d %+v", res.Status, me)
		}
		for role, dash := range map[account.Role]string{account.RoleReader: "/reader/dashboard", account.RoleAdmin: "/admin"} {
			_, u := s.LoginAs(string(role)+"@example.com", role)
			if u.Dashboard() != dash {
				t.Fatalf("%s dashboard = %s", role, u.Dashboard())
			}
		}
	})
}
