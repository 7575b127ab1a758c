package marketplace

import (
	"context"
	"strconv"
	"strings"
	"testing"

	"github.com/soulseer/soulseer/internal/account"
	"github.com/soulseer/soulseer/internal/apptest"
	"github.com/soulseer/soulseer/internal/browsertest"
	"github.com/soulseer/soulseer/internal/config"
	"github.com/soulseer/soulseer/internal/db"
	"github.com/soulseer/soulseer/internal/e2e"
	"github.com/soulseer/soulseer/internal/reader"
)

// TestBecomeAReader follows a newcomer who reads: from the landing page
// they sign up and apply (ACC-8), the form refusing an application without
// consent to the identity check beside that box; an admin in another
// browser approves it from the verification queue; the new reader reaches
// the reader dashboard, with earnings in the header, then renames
// themselves on the account page, logs out a second browser and follows
// its links to blocked people and notification preferences (ACC-9).
func TestBecomeAReader(t *testing.T) {
	e2e.EachEngine(t, testBecomeAReader)
}

func testBecomeAReader(t *testing.T, e db.Engine) {
	ctx := context.Background()
	s := apptest.Start(t, e, apptest.WithConfig(func(c *config.Config) { c.AuthRateLimit = 1000 }))
	s.CreateUser("ada@example.com", account.RoleAdmin)
	b := browsertest.New(t, s.URL)
	b.Screenshots = b.Screenshots && e == db.SQLite
	st := &e2e.Story{T: t, S: s, B: b}

	iris := b.NewTab("applicant")
	iris.Visit("/")
	iris.ClickNav(`.join-readers a[href="/signup?next=%2Fbecome-a-reader"]`)
	iris.Fill(`input[name="display_name"]`, "Iris Dawn")
	iris.Fill(`input[name="email"]`, "iris@example.com")
	iris.Fill(`input[name="password"]`, "moon-over-water-9")
	iris.ClickNav(`form[action="/signup"] button[type="submit"]`)
	if p := iris.Path(); p != "/become-a-reader" {
		t.Fatalf("signing up to apply landed on %s", p)
	}
	iris.Screenshot("become-a-reader")
	iris.SetChecked(`input[name="specialties"][value="tarot"]`, true)
	iris.SetChecked(`input[name="specialties"][value="dreams"]`, true)
	iris.Fill(`input[name="years_experience"]`, "6")
	iris.Fill(`input[name="languages"]`, "English, French")
	iris.Fill(`textarea[name="bio"]`, "I have read tarot and dreams for six years, for people who want a clear, kind answer.")
	iris.Fill(`textarea[name="sample_reading"]`, strings.Repeat("The Moon card asks you to trust what you feel before you can see it. ", 4))
	iris.ClickNavStatus(`form[action="/become-a-reader"] button[type="submit"]`, 400)
	iris.WaitText(`.field-error`, "Agree to the identity check to apply.")
	if got := iris.Value(`textarea[name="bio"]`); !strings.HasPrefix(got, "I have read tarot") {
		t.Fatalf("the refused form lost the bio: %q", got)
	}
	iris.SetChecked(`input[name="kyc_consent"]`, true)
	iris.ClickNav(`form[action="/become-a-reader"] button[type="submit"]`)
	iris.WaitText(`[data-application="pending"]`, "Waiting for review")
	iris.ClickNav(`.nav a[href="/wallet"]`)
	if p := iris.Path(); p != "/wallet" {
		t.Fatalf("the Wallet entry led to %s", p)
	}

	admin := b.NewTab("admin")
	st.LogIn(admin, "ada@example.com", apptest.Password, "/admin")
	admin.ClickNav(`nav[aria-label="Admin"] a[href="/admin/applications"]`)
	admin.WaitText(".application h3", "Iris Dawn")
	admin.Screenshot("admin-applications")
	u, err := s.App.Accounts.GetByEmail(ctx, "iris@example.com")
	if err != nil {
		t.Fatal(err)
	}
	app, err := s.App.Readers.MyApplication(ctx, u.ID)
	if err != nil || app.Status != reader.ApplicationPending {
		t.Fatalf("the application: %+v %v", app, err)
	}
	admin.ClickNav(`[data-approve="` + strconv.FormatInt(app.ID, 10) + `"]`)
	admin.WaitText(".flash", "Iris Dawn is now a verified reader")

	iris.Visit("/reader/dashboard")
	iris.WaitVisible(`.nav a[href="/reader/dashboard"]`)
	iris.WaitText(`.nav [data-earnings-balance]`, "$0.00")
	if n := iris.Count(`[data-wallet-balance]`); n != 0 {
		t.Errorf("a reader with an empty wallet sees %d wallet balances in the header", n)
	}

	// The account page: a new name, and a second browser logged out.
	other := b.NewTab("applicant elsewhere")
	st.LogIn(other, "iris@example.com", "moon-over-water-9", "/reader/dashboard")
	iris.ClickNav(`.nav a[href="/account"]`)
	if n := iris.Count(`#sessions li[data-session]`); n != 2 {
		t.Fatalf("the account page lists %d sessions, want 2", n)
	}
	iris.Fill(`#settings input[name="display_name"]`, "Iris Dawnlight")
	iris.ClickNav(`#settings button[type="submit"]`)
	iris.WaitText(".flash", "Your settings are saved.")
	iris.WaitText(".who", "Iris Dawnlight")
	iris.Screenshot("account")
	iris.ClickNav(`[data-end-others]`)
	iris.WaitText(".flash", "You are logged out of 1 other session.")
	if n := iris.Count(`#sessions li[data-session]`); n != 1 {
		t.Fatalf("after logging out elsewhere the page lists %d sessions, want 1", n)
	}
	other.Visit("/account")
	if p := other.Path(); p != "/login" {
		t.Fatalf("the other browser reached %s after being logged out", p)
	}
	for _, link := range []string{"/account/blocked", "/notifications/preferences"} {
		iris.Visit("/account")
		iris.ClickNav(`#main a[href="` + link + `"]`)
		if p := iris.Path(); p != link {
			t.Errorf("the account page's link to %s led to %s", link, p)
		}
	}
}
