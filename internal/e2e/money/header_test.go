package money

import (
	"fmt"
	"testing"

	"github.com/soulseer/soulseer/internal/account"
	"github.com/soulseer/soulseer/internal/apptest"
	"github.com/soulseer/soulseer/internal/browsertest"
	"github.com/soulseer/soulseer/internal/config"
	"github.com/soulseer/soulseer/internal/db"
	"github.com/soulseer/soulseer/internal/e2e"
)

// TestHeaderFitsEveryWidth: for a visitor, a client, a reader and an
// admin, the header's links fit inside the page at every width from the
// phone's to a wide desktop's — nothing is cut off or pushes the page
// sideways — and the menu button takes over where they would not.
func TestHeaderFitsEveryWidth(t *testing.T) {
	browsertest.FindChromium(t)
	s := apptest.Start(t, db.SQLite, apptest.WithConfig(func(c *config.Config) { c.AuthRateLimit = 1000 }))
	st := &e2e.Story{T: t, S: s, B: browsertest.New(t, s.URL)}
	people := []struct {
		email, dashboard string
		role             account.Role
	}{{"", "", ""}, {"cleo@example.com", "/dashboard", account.RoleClient}, {"luna@example.com", "/reader/dashboard", account.RoleReader},
		{"ada@example.com", "/admin", account.RoleAdmin}}
	for _, p := range people {
		tab := st.B.NewTab("header " + string(p.role))
		if p.email != "" {
			e2e.CreateUser(t, s, "Someone With A Long Name", p.email, p.role)
			st.LogIn(tab, p.email, apptest.Password, p.dashboard)
		} else {
			tab.Visit("/")
		}
		for _, w := range []int64{390, 700, 899, 900, 1000, 1100, 1199, 1200, 1280, 1440} {
			v := browsertest.Desktop
			if w < 700 {
				v = browsertest.Phone
			}
			v.Width = w
			tab.SetViewport(v)
			tab.WaitJS(fmt.Sprintf("the header of %s to fit %d pixels", p.email, w), `(() => {
				const bar = document.querySelector(".topbar-inner"), nav = document.querySelector(".nav");
				const fits = el => el.getBoundingClientRect().right <= document.documentElement.clientWidth + 0.5;
				const visible = [...nav.children].filter(el => el.getBoundingClientRect().width > 0);
				return bar.scrollWidth <= bar.clientWidth && document.documentElement.scrollWidth <= document.documentElement.clientWidth &&
					(getComputedStyle(nav).display === "none" || visible.every(fits));
			})()`)
		}
	}
}
