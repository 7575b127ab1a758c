package account_test

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/soulseer/soulseer/internal/account"
	"github.com/soulseer/soulseer/internal/apperr"
	"github.com/soulseer/soulseer/internal/db"
	"github.com/soulseer/soulseer/internal/db/dbtest"
)

func ptr[T any](v T) *T { return &v }

// ACC-9: a user changes their display name and time zone, each checked as
// at sign-up; a refused change keeps both.
func TestUpdateSettings_ACC9(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		s, _ := setup(t, d)
		u := create(t, s, "tess@example.com", account.RoleClient)
		if u.TimeZone != "" || u.Location() != time.UTC {
			t.Fatalf("a new account's zone is %q (%v), want none and UTC", u.TimeZone, u.Location())
		}
		got, err := s.UpdateSettings(ctx, u.ID, account.SettingsInput{DisplayName: ptr("  Tess   Moon "), TimeZone: ptr("Asia/Kolkata")})
		if err != nil {
			t.Fatal(err)
		}
		if got.DisplayName != "Tess Moon" || got.TimeZone != "Asia/Kolkata" || got.Location().String() != "Asia/Kolkata" {
			t.Fatalf("after the change: %+v", got)
		}
		// Only the fields given change.
		if got, err = s.UpdateSettings(ctx, u.ID, account.SettingsInput{TimeZone: ptr("America/Sao_Paulo")}); err != nil || got.DisplayName != "Tess Moon" {
			t.Fatalf("zone only: %+v %v", got, err)
		}
		_, err = s.UpdateSettings(ctx, u.ID, account.SettingsInput{DisplayName: ptr(" "), TimeZone: ptr("Mars/Olympus_Mons")})
		wantFields(t, err, "display_name", "time_zone")
		for _, bad := range []string{"Local", "", "../../etc/passwd", "/etc/localtime", strings.Repeat("A", 80)} {
			_, err = s.UpdateSettings(ctx, u.ID, account.SettingsInput{TimeZone: ptr(bad)})
			wantFields(t, err, "time_zone")
		}
		if stored, _ := s.Get(ctx, u.ID); stored.DisplayName != "Tess Moon" || stored.TimeZone != "America/Sao_Paulo" {
			t.Fatalf("refused changes changed the account: %+v", stored)
		}
		_, err = s.UpdateSettings(ctx, 999999, account.SettingsInput{TimeZone: ptr("UTC")})
		wantCode(t, err, apperr.NotFound)
	})
}

// ACC-9: every zone the settings offer is known to the embedded database,
// UTC among them, and a browser's older alias is accepted too.
func TestTimeZones_ACC9(t *testing.T) {
	t.Parallel()
	zones := account.TimeZones()
	if len(zones) < 300 || !slices.IsSorted(zones) || !slices.Contains(zones, "UTC") || !slices.Contains(zones, "Europe/Amsterdam") {
		t.Fatalf("%d zones, sorted %v: %v…", len(zones), slices.IsSorted(zones), zones[:5])
	}
	for _, z := range append(zones, "Asia/Calcutta", "Europe/Kiev") {
		if got, err := account.ParseTimeZone(" " + z + " "); err != nil || got != z {
			t.Errorf("ParseTimeZone(%q) = %q, %v", z, got, err)
		}
	}
}

// ACC-9: a sign-up keeps the browser's guess of the time zone when it names
// one and ignores it otherwise.
func TestSignUpTimeZoneGuess_ACC9(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		s, _ := setup(t, d)
		for email, tz := range map[string]string{"guess@example.com": "Europe/Lisbon", "junk@example.com": "Nowhere/Special"} {
			u, err := s.SignUp(ctx, account.SignUpInput{Email: email, Password: pw, DisplayName: "Guess", TimeZone: tz})
			if err != nil {
				t.Fatal(err)
			}
			if want := map[bool]string{true: tz, false: ""}[tz == "Europe/Lisbon"]; u.TimeZone != want {
				t.Fatalf("%s signed up with zone %q, want %q", email, u.TimeZone, want)
			}
		}
	})
}

// ACC-9: changing the password needs the current one and follows the
// password policy; the new one then works and the old one does not, every
// other session ends while the one that asked stays, unused reset links
// stop working, and API tokens keep working.
func TestChangePassword_ACC9(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		s, _ := setup(t, d)
		u := create(t, s, "paz@example.com", account.RoleClient)
		here, _ := s.NewSession(ctx, u.ID, "198.51.100.1", "Here")
		there, _ := s.NewSession(ctx, u.ID, "198.51.100.2", "There")
		other := create(t, s, "olga@example.com", account.RoleClient)
		otherSess, _ := s.NewSession(ctx, other.ID, "", "")
		tok, err := s.CreateAPIToken(ctx, u.ID, account.TokenInput{Name: "script"})
		if err != nil {
			t.Fatal(err)
		}
		if err := s.RequestPasswordReset(ctx, u.Email); err != nil {
			t.Fatal(err)
		}
		reset := resetToken(t, s, u.Email)

		err = s.ChangePassword(ctx, u.ID, account.PasswordChange{Current: "wrong-password", New: "a brand new phrase"}, here.Token)
		wantFields(t, err, "current_password")
		err = s.ChangePassword(ctx, u.ID, account.PasswordChange{Current: strings.Repeat("x", 10_000), New: "a brand new phrase"}, here.Token)
		wantFields(t, err, "current_password")
		err = s.ChangePassword(ctx, u.ID, account.PasswordChange{Current: pw, New: "password1"}, here.Token)
		wantFields(t, err, "new_password")
		err = s.ChangePassword(ctx, u.ID, account.PasswordChange{Current: pw, New: "paz@example.com"}, here.Token)
		wantFields(t, err, "new_password")
		if _, err := s.UserBySession(ctx, there.Token); err != nil {
			t.Fatalf("a refused change ended a session: %v", err)
		}

		if err := s.ChangePassword(ctx, u.ID, account.PasswordChange{Current: pw, New: "a brand new phrase"}, here.Token); err != nil {
			t.Fatal(err)
		}
		if _, err := s.Login(ctx, u.Email, pw); apperr.CodeOf(err) != apperr.Unauthorized {
			t.Fatalf("the old password still logs in: %v", err)
		}
		if _, err := s.Login(ctx, u.Email, "a brand new phrase"); err != nil {
			t.Fatalf("the new password does not log in: %v", err)
		}
		if _, err := s.UserBySession(ctx, here.Token); err != nil {
			t.Fatalf("the session that changed the password was ended: %v", err)
		}
		_, err = s.UserBySession(ctx, there.Token)
		wantCode(t, err, apperr.Unauthorized)
		if _, err := s.UserBySession(ctx, otherSess.Token); err != nil {
			t.Fatalf("another user's session was ended: %v", err)
		}
		if _, err := s.UserByAPIToken(ctx, tok.Secret); err != nil {
			t.Fatalf("the API token stopped working: %v", err)
		}
		_, err = s.ResetPassword(ctx, reset, "yet another phrase")
		wantCode(t, err, apperr.Invalid)

		// From an API token (no session), every session ends.
		if err := s.ChangePassword(ctx, u.ID, account.PasswordChange{Current: "a brand new phrase", New: "the third phrase"}, ""); err != nil {
			t.Fatal(err)
		}
		_, err = s.UserBySession(ctx, here.Token)
		wantCode(t, err, apperr.Unauthorized)
	})
}

// emailLink pulls the token out of the newest email-change link to addr.
func emailLink(t *testing.T, s *account.Service, addr string) string {
	t.Helper()
	return mailedToken(t, s, addr, "/account/email/confirm")
}

// ACC-9: a change of email address needs the current password and an
// address no other account uses; a link goes to the new address and the
// old one is told; the address changes only when the link is used, once,
// within 24 hours, and not if another account took the address meanwhile.
func TestEmailChange_ACC9(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		s, clk := setup(t, d)
		u := create(t, s, "old@example.com", account.RoleClient)
		create(t, s, "taken@example.com", account.RoleClient)

		_, err := s.RequestEmailChange(ctx, u.ID, "new@example.com", "wrong-password")
		wantFields(t, err, "current_password")
		_, err = s.RequestEmailChange(ctx, u.ID, "not an address", pw)
		wantFields(t, err, "email")
		_, err = s.RequestEmailChange(ctx, u.ID, " OLD@example.com", pw)
		wantFields(t, err, "email")
		e := wantCode(t, func() error { _, err := s.RequestEmailChange(ctx, u.ID, "Taken@example.com", pw); return err }(), apperr.Conflict)
		if e.Fields["email"] == "" {
			t.Fatalf("conflict without an email field: %+v", e)
		}
		if n := count(t, d, `SELECT count(*) FROM outbox`); n != 0 {
			t.Fatalf("refused requests sent %d emails", n)
		}

		ch, err := s.RequestEmailChange(ctx, u.ID, "New@Example.com", pw)
		if err != nil {
			t.Fatal(err)
		}
		if ch.NewEmail != "new@example.com" || !ch.ExpiresAt.Equal(t0.Add(24*time.Hour)) {
			t.Fatalf("change %+v", ch)
		}
		if pending, ok, err := s.PendingEmailChange(ctx, u.ID); err != nil || !ok || pending != ch {
			t.Fatalf("pending = %+v %v %v, want %+v", pending, ok, err, ch)
		}
		token := emailLink(t, s, "new@example.com")
		told, _ := s.Mail.Recent(ctx, "old@example.com", 1)
		if len(told) != 1 || !strings.Contains(told[0].Body, "new@example.com") || strings.Contains(told[0].Body, token) {
			t.Fatalf("the old address was told %+v", told)
		}
		if got, _ := s.Get(ctx, u.ID); got.Email != "old@example.com" {
			t.Fatalf("the address changed before the link was used: %s", got.Email)
		}
		if stored := count(t, d, `SELECT count(*) FROM email_changes WHERE token_hash = $1`, token); stored != 0 {
			t.Fatal("the link's token is stored in the clear")
		}

		// Asking again replaces the earlier link.
		if _, err := s.RequestEmailChange(ctx, u.ID, "newer@example.com", pw); err != nil {
			t.Fatal(err)
		}
		_, err = s.ConfirmEmailChange(ctx, token)
		wantFields(t, err, "token")
		token = emailLink(t, s, "newer@example.com")

		clk.Advance(24*time.Hour - time.Millisecond)
		got, err := s.ConfirmEmailChange(ctx, token)
		if err != nil || got.Email != "newer@example.com" || got.ID != u.ID {
			t.Fatalf("confirm = %+v %v", got, err)
		}
		if _, err := s.Login(ctx, "newer@example.com", pw); err != nil {
			t.Fatalf("the new address does not log in: %v", err)
		}
		if _, err := s.Login(ctx, "old@example.com", pw); apperr.CodeOf(err) != apperr.Unauthorized {
			t.Fatalf("the old address still logs in: %v", err)
		}
		_, err = s.ConfirmEmailChange(ctx, token)
		wantFields(t, err, "token")
		if _, ok, _ := s.PendingEmailChange(ctx, u.ID); ok {
			t.Fatal("a used change is still pending")
		}

		// A link used after 24 hours does nothing.
		if _, err := s.RequestEmailChange(ctx, u.ID, "late@example.com", pw); err != nil {
			t.Fatal(err)
		}
		late := emailLink(t, s, "late@example.com")
		clk.Advance(24 * time.Hour)
		_, err = s.ConfirmEmailChange(ctx, late)
		wantFields(t, err, "token")

		// An address another account took meanwhile is refused at the link.
		if _, err := s.RequestEmailChange(ctx, u.ID, "race@example.com", pw); err != nil {
			t.Fatal(err)
		}
		raced := emailLink(t, s, "race@example.com")
		create(t, s, "race@example.com", account.RoleClient)
		_, err = s.ConfirmEmailChange(ctx, raced)
		wantCode(t, err, apperr.Conflict)
		if got, _ := s.Get(ctx, u.ID); got.Email != "newer@example.com" {
			t.Fatalf("the refused link changed the address to %s", got.Email)
		}
	})
}

// ACC-9: a user sees their live sessions with device, address and when
// each was last used (recorded at most a minute out of date), the one they
// ask from marked; they end one by its id — another user's id is unknown
// to them — or every one but the current.
func TestSessionList_ACC9(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		s, clk := setup(t, d)
		u := create(t, s, "sid@example.com", account.RoleClient)
		laptop, _ := s.NewSession(ctx, u.ID, "203.0.113.1", "Laptop browser")
		clk.Advance(30 * time.Second)
		if _, err := s.UserBySession(ctx, laptop.Token); err != nil {
			t.Fatal(err)
		}
		phone, _ := s.NewSession(ctx, u.ID, "203.0.113.2", "Phone browser")
		tablet, _ := s.NewSession(ctx, u.ID, "203.0.113.3", "Tablet browser")
		other := create(t, s, "oz@example.com", account.RoleClient)
		otherSess, _ := s.NewSession(ctx, other.ID, "", "Other")
		list, err := s.Sessions(ctx, u.ID, laptop.Token)
		if err != nil {
			t.Fatal(err)
		}
		if len(list) != 3 || list[2].UserAgent != "Laptop browser" || !list[2].Current || list[0].Current || list[1].Current ||
			!list[2].LastSeenAt.Equal(t0) || list[2].IP != "203.0.113.1" || list[2].ID == "" {
			t.Fatalf("sessions half a minute on = %+v; want the laptop last, current, seen at its start", list)
		}
		clk.Advance(30 * time.Second)
		if _, err := s.UserBySession(ctx, laptop.Token); err != nil {
			t.Fatal(err)
		}
		list, _ = s.Sessions(ctx, u.ID, laptop.Token)
		if list[0].UserAgent != "Laptop browser" || !list[0].LastSeenAt.Equal(t0.Add(time.Minute)) {
			t.Fatalf("sessions a minute on = %+v; want the laptop first, seen now", list)
		}
		if list, _ := s.Sessions(ctx, u.ID, ""); slices.ContainsFunc(list, func(si account.SessionInfo) bool { return si.Current }) {
			t.Fatal("a session is current for a caller without one")
		}

		otherID := func() string { l, _ := s.Sessions(ctx, other.ID, ""); return l[0].ID }()
		wantCode(t, s.EndSessionByID(ctx, u.ID, otherID), apperr.NotFound)
		if _, err := s.UserBySession(ctx, otherSess.Token); err != nil {
			t.Fatalf("another user's session was ended: %v", err)
		}
		tabletID := list[slices.IndexFunc(list, func(si account.SessionInfo) bool { return si.UserAgent == "Tablet browser" })].ID
		if err := s.EndSessionByID(ctx, u.ID, tabletID); err != nil {
			t.Fatal(err)
		}
		_, err = s.UserBySession(ctx, tablet.Token)
		wantCode(t, err, apperr.Unauthorized)
		wantCode(t, s.EndSessionByID(ctx, u.ID, tabletID), apperr.NotFound)

		n, err := s.EndOtherSessions(ctx, u.ID, laptop.Token)
		if err != nil || n != 1 {
			t.Fatalf("ended %d sessions (%v), want the phone's", n, err)
		}
		_, err = s.UserBySession(ctx, phone.Token)
		wantCode(t, err, apperr.Unauthorized)
		if _, err := s.UserBySession(ctx, laptop.Token); err != nil {
			t.Fatalf("the current session was ended: %v", err)
		}
		if _, err := s.UserBySession(ctx, otherSess.Token); err != nil {
			t.Fatalf("another user's session was ended: %v", err)
		}
	})
}
