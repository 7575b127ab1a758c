// Package marketplace holds the browser stories of the marketplace: signing
// up, finding a reader, becoming one and the admin's part in it (see
// package e2e).
package marketplace

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/soulseer/soulseer/internal/account"
	"github.com/soulseer/soulseer/internal/browsertest"
	"github.com/soulseer/soulseer/internal/db"
	"github.com/soulseer/soulseer/internal/demo"
	"github.com/soulseer/soulseer/internal/e2e"
	"github.com/soulseer/soulseer/internal/reader"
)

// TestMarketplace follows the foundation's story through the browser on
// every engine: a visitor signs up, logs out and in, filters the directory
// and keeps a favourite; an admin promotes and verifies a new reader; the
// reader sets rates and goes online; the client then finds them.
func TestMarketplace(t *testing.T) {
	e2e.EachEngine(t, testMarketplace)
}

// story is one run of a story in this package: the shared run (app, data,
// browser) with this package's own steps as methods.
type story struct{ *e2e.Story }

func testMarketplace(t *testing.T, e db.Engine) {
	st := &story{e2e.Demo(t, e)}
	b := st.B

	client := b.NewTab("client")
	st.landing(client)
	st.clientSignsUpLogsOutAndIn(client)
	favourite := st.clientFiltersDirectory(client)
	st.clientKeepsFavourite(client, favourite)

	newReader := b.NewTab("new reader")
	nova := st.signUp(newReader, "Nova Ember", "nova@example.com", "starlit-path-77")
	admin := b.NewTab("admin")
	st.adminPromotes(admin, nova)
	st.readerLogsIn(newReader, nova)
	st.unverifiedReaderIsHidden(client, nova)
	st.readerSetsProfileAndGoesOnline(newReader, nova)
	st.adminVerifies(admin, nova)
	st.readerDashboard(newReader)
	st.clientSeesNewReader(client, nova)
}

// landing checks the landing page and the phone menu.
func (st *story) landing(client *browsertest.Tab) {
	client.Visit("/")
	client.WaitVisible(".hero h1")
	_, online, err := st.S.App.Readers.List(context.Background(), reader.Filter{OnlineOnly: true, Limit: 1, Sort: reader.SortRecommended})
	if err != nil {
		st.T.Fatal(err)
	}
	client.WaitText(".hero-note", fmt.Sprintf("%d readers are online now", online))
	if n := client.Count(".hero ~ .section .reader-card"); n == 0 {
		st.T.Error("the landing page shows no reader cards")
	}
	client.Screenshot("landing")
}

// clientSignsUpLogsOutAndIn: ACC-1 (sign up and log in with email and
// password) and ACC-4 (a client lands on /dashboard).
func (st *story) clientSignsUpLogsOutAndIn(client *browsertest.Tab) {
	client.Visit("/signup")
	client.Screenshot("signup")
	u := st.signUp(client, "Ava Moreno", "ava@example.com", "moonlit-tea-42")
	if u.Role != account.RoleClient {
		st.T.Fatalf("a new sign-up has role %s, want client", u.Role)
	}
	client.WaitText(".flash", "Welcome to SoulSeer, Ava Moreno!")

	st.logOut(client)
	client.WaitText(".flash", "You have been logged out")
	if n := client.Count(".who"); n != 0 {
		st.T.Fatal("still shown as signed in after logging out")
	}

	client.Visit("/login")
	client.Screenshot("login")
	// The login page leads to the password reset (ACC-1).
	client.ClickNav(`a[href="/password/forgot"]`)
	client.WaitVisible(`form[action="/password/forgot"] input[name="email"]`)
	st.LogIn(client, "ava@example.com", "moonlit-tea-42", "/dashboard")
	client.WaitText(".who", "Ava Moreno")

	// On a phone the header collapses behind a menu button (a CSS-only
	// checkbox toggle).
	client.Phone()
	client.WaitNotVisible(".nav")
	client.Click(".menu-button")
	client.WaitVisible(`.nav a[href="/readers"]`)
	menu := browsertest.Phone
	menu.MaxShot = menu.Height
	client.ScreenshotAt("menu", menu)
	client.ClickNav(`.nav a[href="/readers"]`)
	client.WaitNotVisible(".nav")
	client.Desktop()
	if p := client.Path(); p != "/readers" {
		st.T.Fatalf("the phone menu's directory link led to %s", p)
	}
}

// signUp fills in the sign-up form and returns the new account (ACC-1).
func (st *story) signUp(tab *browsertest.Tab, name, email, password string) account.User {
	st.T.Helper()
	tab.Visit("/signup")
	tab.Fill(`input[name="display_name"]`, name)
	tab.Fill(`input[name="email"]`, email)
	tab.Fill(`input[name="password"]`, password)
	tab.ClickNav(`form[action="/signup"] button[type="submit"]`)
	if p := tab.Path(); p != "/dashboard" {
		st.T.Fatalf("after sign-up %s landed on %s, want /dashboard", email, p)
	}
	u, err := st.S.App.Accounts.GetByEmail(context.Background(), email)
	if err != nil {
		st.T.Fatalf("the sign-up of %s made no account: %v", email, err)
	}
	return u
}

func (st *story) logOut(tab *browsertest.Tab) {
	st.T.Helper()
	tab.ClickNav(`form[action="/logout"] button`)
	if p := tab.Path(); p != "/" {
		st.T.Fatalf("logging out led to %s, want /", p)
	}
}

// filterStep is one change a visitor makes to the directory filters.
type filterStep struct {
	what  string
	act   func(*browsertest.Tab)
	param string // appears in the pushed URL afterwards
	apply func(*reader.Filter)
}

// clientFiltersDirectory: RDR-4. Each filter change updates the results in
// place (htmx, no page load) and the address bar, and the readers shown are
// the ones the directory query returns, in its order. It returns the id of
// the first reader left.
func (st *story) clientFiltersDirectory(client *browsertest.Tab) int64 {
	client.Visit("/readers")
	f := reader.Filter{Sort: reader.SortRecommended}
	st.checkResults(client, f)
	if n := client.Count("#results .reader-card"); n != 14 {
		st.T.Errorf("the directory shows %d demo readers, want 14", n)
	}
	browsertest.Eval[bool](client, `(window.e2ePageMark = "directory") !== ""`)

	selectStep := func(name, value string) func(*browsertest.Tab) {
		return func(tab *browsertest.Tab) { tab.Select(`select[name="`+name+`"]`, value) }
	}
	steps := []filterStep{
		{"specialty tarot", selectStep("specialty", "tarot"), "specialty=tarot", func(f *reader.Filter) { f.Specialty = "tarot" }},
		{"video readings", selectStep("modality", "video"), "modality=video", func(f *reader.Filter) { f.Modality = reader.Video }},
		{"online now", func(tab *browsertest.Tab) { tab.Click(".filters .switch") }, "online=true", func(f *reader.Filter) { f.OnlineOnly = true }},
		{"over $7/min", selectStep("price", "701-0"), "price=701-0", func(f *reader.Filter) { f.MinCents, f.MaxCents = 701, 0 }},
		{"cheapest first", selectStep("sort", "price_low"), "sort=price_low", func(f *reader.Filter) { f.Sort = reader.SortPriceLow }},
	}
	for _, step := range steps {
		// Mark the current results; an htmx swap replaces them.
		browsertest.Eval[bool](client, `(function () { var r = document.querySelector("#results > *"); r.setAttribute("data-stale", "1"); return true; })()`)
		step.act(client)
		client.WaitHTMX("results for "+step.what, fmt.Sprintf(
			`!document.querySelector("#results > [data-stale]") && location.search.indexOf(%q) >= 0`, step.param))
		step.apply(&f)
		st.checkResults(client, f)
		if mark := browsertest.Eval[string](client, `window.e2ePageMark || ""`); mark != "directory" {
			st.T.Fatalf("filtering by %s loaded a new page instead of updating the results in place", step.what)
		}
	}
	client.Screenshot("directory")

	// The pushed address is a bookmark: opening it shows the same filters
	// and readers.
	client.Visit(client.URL().RequestURI())
	for sel, want := range map[string]string{
		`select[name="specialty"]`: "tarot", `select[name="modality"]`: "video",
		`select[name="price"]`: "701-0", `select[name="sort"]`: "price_low",
	} {
		if got := client.Value(sel); got != want {
			st.T.Errorf("after reload %s = %q, want %q", sel, got, want)
		}
	}
	if !client.Checked(`input[name="online"]`) {
		st.T.Error("after reload the online switch is off")
	}
	ids := st.checkResults(client, f)
	if len(ids) == 0 {
		st.T.Fatal("the filtered directory is empty; the demo data should match")
	}
	return ids[0]
}

// checkResults compares the reader cards on the page with the directory
// query for f, order included, and the count shown with its total, and
// returns the readers' ids.
func (st *story) checkResults(tab *browsertest.Tab, f reader.Filter) []int64 {
	st.T.Helper()
	f.Limit = 24
	want, total, err := st.S.App.Readers.List(context.Background(), f)
	if err != nil {
		st.T.Fatal(err)
	}
	count := fmt.Sprintf("%d readers match", total)
	if total == 1 {
		count = "1 reader matches"
	}
	tab.WaitText("#results .results-count", count)
	var wantIDs []string
	for _, p := range want {
		wantIDs = append(wantIDs, strconv.FormatInt(p.UserID, 10))
	}
	got := tab.Attrs("#results .reader-card", "data-reader-id")
	if !slices.Equal(got, wantIDs) {
		st.T.Fatalf("directory for %+v shows readers %v, want %v", f, got, wantIDs)
	}
	ids := make([]int64, len(want))
	for i, p := range want {
		ids[i] = p.UserID
	}
	return ids
}

// clientKeepsFavourite: RDR-1 (the profile page) and RDR-6 (favourites; the
// htmx button toggles in place).
func (st *story) clientKeepsFavourite(client *browsertest.Tab, id int64) {
	ctx := context.Background()
	client.ClickNav(fmt.Sprintf(`#results .reader-card[data-reader-id="%d"] .reader-card-link`, id))
	if p, want := client.Path(), fmt.Sprintf("/readers/%d", id); p != want {
		st.T.Fatalf("the reader card led to %s, want %s", p, want)
	}
	p, err := st.S.App.Readers.Get(ctx, account.User{}, id)
	if err != nil {
		st.T.Fatal(err)
	}
	client.WaitText(".profile-head h1", p.DisplayName)
	st.checkRates(client, p.Rates)

	isFavourite := func() bool {
		ids, err := st.S.App.Readers.FavoriteIDs(ctx, st.UserID("ava@example.com"))
		if err != nil {
			st.T.Fatal(err)
		}
		return slices.Contains(ids, id)
	}
	browsertest.Eval[bool](client, `(window.e2ePageMark = "profile") !== ""`)
	for _, on := range []bool{true, false, true} {
		client.Click(".fav-form button")
		client.WaitHTMX(fmt.Sprintf("favourite button pressed=%v", on),
			fmt.Sprintf(`document.querySelector(".fav-form button").getAttribute("aria-pressed") === "%v"`, on))
		if isFavourite() != on {
			st.T.Fatalf("after the favourite button showed %v, the favourite is stored as %v", on, !on)
		}
	}
	client.WaitText(".fav-form button", "Favourite")
	// The button swapped itself, nothing else: the profile is all there.
	client.WaitText(".profile-head h1", p.DisplayName)
	if n := client.Count(".profile-head .fav-form"); n != 1 {
		st.T.Fatalf("after toggling, the profile header holds %d favourite buttons, want 1", n)
	}
	st.checkRates(client, p.Rates)
	if mark := browsertest.Eval[string](client, `window.e2ePageMark || ""`); mark != "profile" {
		st.T.Fatal("the favourite button loaded a new page instead of toggling in place")
	}
	client.Screenshot("reader-profile")

	client.Visit("/dashboard")
	client.WaitVisible(fmt.Sprintf(`.dash-main .reader-card[data-reader-id="%d"]`, id))
	client.Screenshot("client-dashboard")
}

// checkRates compares the rates on a reader's profile page with r (RDR-2):
// each offered modality shows its price per minute, switched-off ones
// are absent.
func (st *story) checkRates(tab *browsertest.Tab, r reader.Rates) {
	st.T.Helper()
	for m, cents := range map[string]int64{"text": r.Text, "voice": r.Voice, "video": r.Video} {
		sel := fmt.Sprintf(`.offer [data-rate="%s"]`, m)
		if cents == 0 {
			if n := tab.Count(sel); n != 0 {
				st.T.Errorf("the profile offers %s, which the reader switched off", m)
			}
			continue
		}
		tab.WaitText(sel, e2e.Money(cents)+"/min")
	}
}

// adminPromotes: ACC-3 and ACC-4. The admin lands on /admin and promotes the
// new user to reader on /admin/users.
func (st *story) adminPromotes(admin *browsertest.Tab, u account.User) {
	st.LogIn(admin, demo.AdminEmail, demo.Password, "/admin")
	admin.WaitVisible(".stat-cards")
	admin.Screenshot("admin-overview")

	admin.Visit("/admin/users")
	row := fmt.Sprintf(`tr[data-user-id="%d"]`, u.ID)
	admin.WaitText(row, u.Email)
	admin.Screenshot("admin-users")
	admin.Select(row+` select[name="role"]`, "reader")
	admin.ClickNav(row + ` .role-form button[type="submit"]`)
	admin.WaitText(".flash", u.DisplayName+" is now reader.")
	admin.WaitText(row+" .badge", "Reader")
	got, err := st.S.App.Accounts.Get(context.Background(), u.ID)
	if err != nil || got.Role != account.RoleReader {
		st.T.Fatalf("after promotion the user has role %s (%v), want reader", got.Role, err)
	}
}

// readerLogsIn: ACC-4 and ACC-5. After logging in again the new reader lands
// on the reader dashboard, which says the profile awaits verification.
func (st *story) readerLogsIn(tab *browsertest.Tab, u account.User) {
	st.logOut(tab)
	st.LogIn(tab, u.Email, "starlit-path-77", "/reader/dashboard")
	tab.WaitText(".notice-card", "waiting for verification")
}

// unverifiedReaderIsHidden: ACC-5. Clients cannot find or open the profile
// of an unverified reader.
func (st *story) unverifiedReaderIsHidden(client *browsertest.Tab, u account.User) {
	client.Visit("/readers?q=" + strings.Fields(u.DisplayName)[0])
	client.WaitVisible("#results .empty")
	client.VisitStatus(fmt.Sprintf("/readers/%d", u.ID), 404)
}

// readerSetsProfileAndGoesOnline: RDR-1 and RDR-2. The reader writes a bio,
// picks specialties and sets per-modality rates (video switched off), then
// goes online.
func (st *story) readerSetsProfileAndGoesOnline(tab *browsertest.Tab, u account.User) {
	tab.Visit("/reader/profile")
	tab.Fill(`input[name="tagline"]`, "Tarot and moon rituals for new beginnings")
	tab.Fill(`textarea[name="bio"]`, "I have read tarot for nine years, at kitchen tables and under full moons.\n\nI read gently and plainly: what the cards show, and what you can do with it.")
	tab.SetChecked(`input[name="specialties"][value="tarot"]`, true)
	tab.SetChecked(`input[name="specialties"][value="love"]`, true)
	tab.Fill(`input[name="years_experience"]`, "9")
	tab.Fill(`input[name="languages"]`, "English, Portuguese")
	tab.SetChecked(`input[name="offer_text"]`, true)
	tab.Fill(`input[name="rate_text"]`, "2.49")
	tab.SetChecked(`input[name="offer_voice"]`, true)
	tab.Fill(`input[name="rate_voice"]`, "3.99")
	tab.SetChecked(`input[name="offer_video"]`, false)
	tab.ClickNav(`form[action="/reader/profile"] button[type="submit"]`)
	if p := tab.Path(); p != "/reader/profile" {
		st.T.Fatalf("saving the profile led to %s", p)
	}
	tab.WaitText(".flash", "Your profile is saved.")
	if got := tab.Value(`input[name="rate_text"]`); got != "2.49" {
		st.T.Errorf("the saved chat rate reads %q, want 2.49", got)
	}
	tab.Screenshot("reader-profile-editor")

	p, err := st.S.App.Readers.Get(context.Background(), u, u.ID)
	if err != nil {
		st.T.Fatal(err)
	}
	if p.Rates != (reader.Rates{Text: 249, Voice: 399}) {
		st.T.Errorf("stored rates %+v, want chat 249, voice 399, video off", p.Rates)
	}
	if !slices.Equal(p.Specialties, []string{"tarot", "love"}) && !slices.Equal(p.Specialties, []string{"love", "tarot"}) {
		st.T.Errorf("stored specialties %v, want tarot and love", p.Specialties)
	}
	if p.YearsExperience != 9 || !strings.HasPrefix(p.Bio, "I have read tarot") {
		st.T.Errorf("stored profile %+v lacks the years or bio typed", p)
	}

	tab.Visit("/reader/dashboard")
	tab.ClickNav(`.presence-card button[type="submit"]`)
	tab.WaitText(".flash", "You are online.")
	tab.WaitText(".big-status", "Online")
}

// adminVerifies: ACC-5. The admin verifies the reader on /admin/readers.
func (st *story) adminVerifies(admin *browsertest.Tab, u account.User) {
	admin.Visit("/admin/readers")
	button := fmt.Sprintf(`button[data-verify="%d"]`, u.ID)
	admin.WaitVisible(button)
	admin.Screenshot("admin-readers")
	admin.ClickNav(button)
	admin.WaitText(".flash", u.DisplayName+" is verified")
	admin.WaitText(fmt.Sprintf(`tr[data-reader-id="%d"]`, u.ID), "Verified")
	p, err := st.S.App.Readers.Get(context.Background(), account.User{}, u.ID)
	if err != nil || !p.IsVerified {
		st.T.Fatalf("after verification the reader is not visible to clients: %v", err)
	}
}

// readerDashboard photographs the verified, online reader's dashboard.
func (st *story) readerDashboard(tab *browsertest.Tab) {
	tab.Visit("/reader/dashboard")
	tab.WaitText(".big-status", "Online")
	if n := tab.Count(".notice-card"); n != 0 {
		st.T.Error("the verified reader's dashboard still says it awaits verification")
	}
	tab.WaitText(".dash-main", "$2.49")
	tab.Screenshot("reader-dashboard")
}

// clientSeesNewReader: RDR-2 and RDR-4. The client finds the new reader by
// name in the directory (htmx search as they type), with their rates, and
// sees the same rates on the profile page.
func (st *story) clientSeesNewReader(client *browsertest.Tab, u account.User) {
	client.Visit("/readers")
	client.Fill("#q", "Nova")
	card := fmt.Sprintf(`#results .reader-card[data-reader-id="%d"]`, u.ID)
	client.WaitHTMX("the search to find "+u.DisplayName, fmt.Sprintf(
		`document.querySelectorAll("#results .reader-card").length === 1 && !!document.querySelector(%q)`, card))
	client.WaitText(card+" .rates", "$2.49")
	client.WaitText(card+" .rates", "$3.99")
	client.WaitVisible(card + " .avatar.status-online")

	client.Visit("/readers?modality=voice&online=true&sort=price_low")
	ids := st.checkResults(client, reader.Filter{Modality: reader.Voice, OnlineOnly: true, Sort: reader.SortPriceLow})
	if !slices.Contains(ids, u.ID) {
		st.T.Errorf("the new reader is missing from online voice readers %v", ids)
	}

	client.ClickNav(card + " .reader-card-link")
	client.WaitText(".profile-head h1", u.DisplayName)
	st.checkRates(client, reader.Rates{Text: 249, Voice: 399})
	client.WaitText(".ok-note", "Available now")
	client.WaitText(".bio", "I read gently and plainly")
}
