package accounts

import (
	"context"
	"strings"
	"testing"

	"github.com/soulseer/soulseer/internal/browsertest"
	"github.com/soulseer/soulseer/internal/db"
	"github.com/soulseer/soulseer/internal/demo"
	"github.com/soulseer/soulseer/internal/e2e"
)

// TestDeleteAccount follows the demo client deleting their account
// (SEC-2): from the account page to Delete your account, which says what
// happens to their bookings, wallet and data; a wrong password is shown at
// its field and sends nothing; the right one sends a link, which the page
// and the API then know of. The link opens a page that asks once more;
// Delete my account signs them out onto the home page saying so, their
// old password no longer logs in, and their address signs up afresh.
func TestDeleteAccount(t *testing.T) {
	e2e.EachEngine(t, testDeleteAccount)
}

// deletionAPI is what GET /api/v1/me/deletion answered the browser.
type deletionAPI struct {
	Bookings      []any   `json:"bookings"`
	LinkExpiresAt *string `json:"link_expires_at"`
}

// fetchDeletion asks the API what deleting the signed-in account would do.
const fetchDeletion = `fetch("/api/v1/me/deletion").then(function (r) { return r.json(); })`

// deletionLinkPrefix is where the emailed link starts, after the site's
// address.
const deletionLinkPrefix = "/accounts/delete-account/confirm?token="

func testDeleteAccount(t *testing.T, e db.Engine) {
	st := e2e.Demo(t, e)
	tab := st.B.NewTab("client")
	st.LogIn(tab, demo.ClientEmail, demo.Password, "/dashboard")
	tab.Visit("/account")
	tab.ClickNav(`[data-delete-account-link]`)
	if p := tab.Path(); p != "/accounts/delete-account/" {
		t.Fatalf("the account page's delete link led to %s", p)
	}
	tab.WaitVisible(`[data-deletion-fate]`)
	bookings := tab.Count(`[data-deletion-fate] [data-fate-booking]`)
	if bookings == 0 {
		t.Error("the page does not say what happens to the demo client's upcoming bookings")
	}
	tab.WaitText(`[data-deletion-fate]`, "Your email address can be used to sign up again.")
	if n := tab.Count(`[data-deletion-pending]`); n != 0 {
		t.Error("the page says a link is waiting before one was asked for")
	}
	tab.Screenshot("delete-account")

	tab.Fill(`#delete-account input[name="current_password"]`, "not my password")
	tab.ClickNavStatus(`[data-deletion-request]`, 400)
	tab.WaitText(`#delete-account .field-error`, "This is not your current password.")
	if links := deletionLinks(st); len(links) != 0 {
		t.Fatalf("a wrong password sent %d deletion links", len(links))
	}

	tab.Fill(`#delete-account input[name="current_password"]`, demo.Password)
	tab.ClickNav(`[data-deletion-request]`)
	tab.WaitText(".flash", "We sent a link to "+demo.ClientEmail)
	tab.WaitText(`[data-deletion-pending]`, "A link to delete your account was sent")
	api := browsertest.Eval[deletionAPI](tab, fetchDeletion)
	if api.LinkExpiresAt == nil || len(api.Bookings) != bookings {
		t.Errorf("the API says the link expires at %v and %d bookings are affected; the page listed %d", api.LinkExpiresAt, len(api.Bookings), bookings)
	}
	links := deletionLinks(st)
	if len(links) != 1 {
		t.Fatalf("%d deletion links were sent, want 1", len(links))
	}

	tab.Visit(links[0])
	tab.WaitText("h1", "Delete your account")
	tab.WaitText(".auth-card", "This deletes the SoulSeer account of "+demo.ClientEmail)
	tab.WaitVisible(`.auth-card [data-deletion-fate]`)
	tab.ClickNav(`[data-deletion-confirm]`)
	if p := tab.Path(); p != "/" {
		t.Fatalf("deleting the account landed on %s, want /", p)
	}
	tab.WaitText(".flash", "Your account has been deleted")

	tab.Visit("/login")
	tab.Fill(`input[name="email"]`, demo.ClientEmail)
	tab.Fill(`input[name="password"]`, demo.Password)
	tab.ClickNavStatus(`form[action="/login"] button[type="submit"]`, 401)
	tab.WaitText(".alert", "Email or password is incorrect.")

	tab.Visit("/signup")
	tab.Fill(`input[name="display_name"]`, "Alex Anew")
	tab.Fill(`input[name="email"]`, demo.ClientEmail)
	tab.Fill(`input[name="password"]`, "a fresh start 42")
	tab.ClickNav(`form[action="/signup"] button[type="submit"]`)
	if p := tab.Path(); p != "/dashboard" {
		t.Fatalf("signing up again with the deleted account's address landed on %s", p)
	}
	if u := st.User(demo.ClientEmail); u.DisplayName != "Alex Anew" {
		t.Errorf("the address belongs to %q, want the new account", u.DisplayName)
	}
}

// deletionLinks are the paths of the deletion links emailed to the demo
// client, newest first.
func deletionLinks(st *e2e.Story) []string {
	st.T.Helper()
	mails, err := st.S.App.Mail.Recent(context.Background(), demo.ClientEmail, 100)
	if err != nil {
		st.T.Fatal(err)
	}
	var links []string
	for _, m := range mails {
		if i := strings.Index(m.Body, deletionLinkPrefix); i >= 0 {
			links = append(links, strings.Fields(m.Body[i:])[0])
		}
	}
	return links
}
