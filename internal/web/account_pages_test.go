package web_test

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/soulseer/soulseer/internal/account"
	"github.com/soulseer/soulseer/internal/apptest"
	"github.com/soulseer/soulseer/internal/ledger"
)

// ACC-9: the account page changes the name and time zone, asks for the
// email address through a link and the password with the current one, and
// logs out other sessions; a refused form shows its error beside the field
// and changes nothing.
func TestAccountPage_ACC9(t *testing.T) {
	eachApp(t, func(t *testing.T, s *apptest.Server) {
		w := newWorld(t, s)
		browser, _ := w.login(t, w.client.Email)
		other, _ := w.login(t, w.client.Email)
		page := browser.Do("GET", "/account", nil)
		for _, want := range []string{w.client.Email, `<option value="Europe/Lisbon"`, `href="/account/blocked"`, `href="/notifications/preferences"`, "This browser", "Log out everywhere else"} {
			if page.Status != http.StatusOK || !strings.Contains(string(page.Body), want) {
				t.Fatalf("the account page (%d) lacks %q", page.Status, want)
			}
		}
		s.CreateUser("taken@example.com", account.RoleClient)

		refused := []struct {
			path   string
			form   url.Values
			status int
			says   string
		}{
			{"/account", url.Values{"display_name": {"  "}, "time_zone": {"Europe/Lisbon"}}, 400, `name="display_name" value="  " required maxlength="60" autocomplete="nickname" aria-invalid="true"`},
			{"/account", url.Values{"display_name": {"Cleo"}, "time_zone": {"Mars/Olympus_Mons"}}, 400, "Choose a time zone from the list"},
			{"/account/email", url.Values{"email": {"cleo.new@example.com"}, "current_password": {"wrong guess"}}, 400, "This is not your current password."},
			{"/account/email", url.Values{"email": {"not an address"}, "current_password": {apptest.Password}}, 400, `value="not an address"`},
			{"/account/email", url.Values{"email": {"taken@example.com"}, "current_password": {apptest.Password}}, 409, "Another account uses this email address."},
			{"/account/password", url.Values{"current_password": {"wrong guess"}, "new_password": {"a new moon rises"}}, 400, "This is not your current password."},
			{"/account/password", url.Values{"current_password": {apptest.Password}, "new_password": {"short"}}, 400, `class="field-error"`},
		}
		for _, f := range refused {
			before := fingerprint(t, s)
			res := browser.Form(f.path, f.form)
			if res.Status != f.status || !strings.Contains(string(res.Body), f.says) || !strings.Contains(string(res.Body), `class="field-error"`) {
				t.Errorf("%s %v: %d, want %d with a field error saying %q: %.400s", f.path, f.form, res.Status, f.status, f.says, res.Body)
			}
			if fingerprint(t, s) != before {
				t.Errorf("%s %v changed the database", f.path, f.form)
			}
		}

		if res := browser.Form("/account", url.Values{"display_name": {"Cleo Star"}, "time_zone": {""}}); res.Status != http.StatusSeeOther {
			t.Fatalf("save a name with no time zone chosen: %d %s", res.Status, res.Body)
		}
		if u, _ := s.App.Accounts.Get(ctx, w.client.ID); u.DisplayName != "Cleo Star" || u.TimeZone != w.client.TimeZone {
			t.Fatalf("after saving without a zone: %+v", u)
		}
		if res := browser.Form("/account", url.Values{"display_name": {"Cleo Moon"}, "time_zone": {"Europe/Lisbon"}}); res.Status != http.StatusSeeOther {
			t.Fatalf("save settings: %d %s", res.Status, res.Body)
		}
		if u, _ := s.App.Accounts.Get(ctx, w.client.ID); u.DisplayName != "Cleo Moon" || u.TimeZone != "Europe/Lisbon" {
			t.Fatalf("after saving: %+v", u)
		}
		if page := browser.Do("GET", "/account", nil); !strings.Contains(string(page.Body), `<option value="Europe/Lisbon" selected>`) {
			t.Fatal("the account page does not show the chosen time zone")
		}

		// Email: a link to the new address; the page opened by it confirms
		// with a button, once.
		if res := browser.Form("/account/email", url.Values{"email": {"cleo.moon@example.com"}, "current_password": {apptest.Password}}); res.Status != http.StatusSeeOther {
			t.Fatalf("ask for an email change: %d %s", res.Status, res.Body)
		}
		token := emailLinkToken(t, w, "cleo.moon@example.com")
		if res := s.Client().Do("GET", "/account/email/confirm?token="+url.QueryEscape(token), nil); res.Status != http.StatusOK || !strings.Contains(string(res.Body), token) {
			t.Fatalf("the link's page: %d", res.Status)
		}
		if u, _ := s.App.Accounts.Get(ctx, w.client.ID); u.Email != w.client.Email {
			t.Fatal("opening the link changed the address before its button was pressed")
		}
		if res := browser.Form("/account/email/confirm", url.Values{"token": {token}}); res.Status != http.StatusSeeOther || res.Header.Get("Location") != "/account" {
			t.Fatalf("confirm: %d %s", res.Status, res.Header.Get("Location"))
		}
		if u, _ := s.App.Accounts.Get(ctx, w.client.ID); u.Email != "cleo.moon@example.com" {
			t.Fatalf("after the link the address is %s", u.Email)
		}
		before := fingerprint(t, s)
		if res := browser.Form("/account/email/confirm", url.Values{"token": {token}}); res.Status != http.StatusBadRequest || !strings.Contains(string(res.Body), "invalid, used or expired") {
			t.Fatalf("a used link: %d", res.Status)
		}
		if fingerprint(t, s) != before {
			t.Fatal("a used link changed the database")
		}

		// Sessions: another browser is logged out, this one stays.
		if n := len(mustSessions(t, s, w.client.ID)); n < 2 {
			t.Fatalf("%d sessions, want at least 2", n)
		}
		if res := browser.Form("/account/sessions/end-others", nil); res.Status != http.StatusSeeOther {
			t.Fatalf("log out everywhere else: %d", res.Status)
		}
		if res := other.Do("GET", "/api/v1/me", nil); res.Status != http.StatusUnauthorized {
			t.Fatalf("the other browser still works: %d", res.Status)
		}
		if res := browser.Do("GET", "/api/v1/me", nil); res.Status != http.StatusOK {
			t.Fatalf("this browser was logged out too: %d", res.Status)
		}
		if n := len(mustSessions(t, s, w.client.ID)); n != 1 {
			t.Fatalf("%d sessions left, want 1", n)
		}
	})
}

func mustSessions(t *testing.T, s *apptest.Server, userID int64) []account.SessionInfo {
	t.Helper()
	list, err := s.App.Accounts.Sessions(ctx, userID, "")
	if err != nil {
		t.Fatal(err)
	}
	return list
}

// DASH-C: every signed-in user has Wallet and Account in the navigation; a
// reader's header shows their earnings, and their wallet only when it is
// not empty, never a $0.00 balance beside what they earned; their open
// pages hear of new earnings live.
func TestHeaderMoney_DASHC(t *testing.T) {
	eachApp(t, func(t *testing.T, s *apptest.Server) {
		w := newWorld(t, s)
		page := w.as["client"].Do("GET", "/readers", nil)
		for _, want := range []string{`<a href="/wallet">Wallet</a>`, `<a href="/account">Account</a>`, "data-wallet-balance"} {
			if !strings.Contains(string(page.Body), want) {
				t.Errorf("a client's header lacks %q", want)
			}
		}
		live := wsDial(t, s, http.Header{"Authorization": {"Bearer " + w.as["reader"].Token}})
		if _, err := s.App.Ledger.Transfer(ctx, ledger.Transfer{Key: "header-earnings", Type: ledger.TypeAdjustment, CauseType: "test", CauseID: "1",
			Postings: []ledger.Posting{{Account: ledger.Adjustments(), Amount: -1953}, {Account: ledger.Earnings(w.reader.ID), Amount: 1953}}}); err != nil {
			t.Fatal(err)
		}
		// The reader's open pages hear of the new earnings (the header keeps them live).
		var b wsBalance
		if m := wsNext(t, live); m.Type != "earnings.balance" || json.Unmarshal(m.Data, &b) != nil || b.BalanceCents != 1953 {
			t.Fatalf("the reader's live connection got %s %s", m.Type, m.Data)
		}
		body := string(w.as["reader"].Do("GET", "/readers", nil).Body)
		if got := strings.Count(body, "<span data-earnings-balance>$19.53</span>"); got != 2 || strings.Contains(body, "data-wallet-balance") {
			t.Fatalf("a reader with an empty wallet: %d earnings chips, wallet chip shown %v", got, strings.Contains(body, "data-wallet-balance"))
		}
		if _, err := s.App.Ledger.Transfer(ctx, ledger.Transfer{Key: "header-wallet", Type: ledger.TypeAdjustment, CauseType: "test", CauseID: "2",
			Postings: []ledger.Posting{{Account: ledger.Adjustments(), Amount: -500}, {Account: ledger.Wallet(w.reader.ID), Amount: 500}}}); err != nil {
			t.Fatal(err)
		}
		body = string(w.as["reader"].Do("GET", "/readers", nil).Body)
		if got := strings.Count(body, "<span data-wallet-balance>$5.00</span>"); got != 2 || !strings.Contains(body, "$19.53") {
			t.Fatalf("a reader with money in the wallet: %d wallet chips", got)
		}
	})
}
