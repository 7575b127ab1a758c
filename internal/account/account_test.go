package account_test

import (
	"context"
	"io"
	"log/slog"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/soulseer/soulseer/internal/account"
	"github.com/soulseer/soulseer/internal/apperr"
	"github.com/soulseer/soulseer/internal/audit"
	"github.com/soulseer/soulseer/internal/clock"
	"github.com/soulseer/soulseer/internal/db"
	"github.com/soulseer/soulseer/internal/db/dbtest"
	"github.com/soulseer/soulseer/internal/mail"
)

var ctx = context.Background()

const pw = "correct-horse-battery"

// t0 is where every fake clock starts.
var t0 = time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)

// setup returns an account service on d with a fake clock and an outbox-only
// mailer.
func setup(t *testing.T, d *db.DB) (*account.Service, *clock.Fake) {
	t.Helper()
	clk := clock.NewFake(t0)
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	m := &mail.Mailer{DB: d, Clock: clk, Log: log}
	return &account.Service{DB: d, Clock: clk, Mail: m, Log: log, BaseURL: "https://soulseer.test", SessionTTL: 24 * time.Hour}, clk
}

func create(t *testing.T, s *account.Service, email string, role account.Role) account.User {
	t.Helper()
	u, err := s.Create(ctx, account.SignUpInput{Email: email, Password: pw, DisplayName: strings.Split(email, "@")[0]}, role)
	if err != nil {
		t.Fatalf("create %s: %v", email, err)
	}
	return u
}

// wantCode fails the test unless err carries code.
func wantCode(t *testing.T, err error, code apperr.Code) *apperr.Error {
	t.Helper()
	if got := apperr.CodeOf(err); got != code {
		t.Fatalf("error = %v (code %q), want code %q", err, got, code)
	}
	return apperr.As(err)
}

// wantFields fails the test unless err is a validation error naming exactly
// the fields.
func wantFields(t *testing.T, err error, fields ...string) {
	t.Helper()
	e := wantCode(t, err, apperr.Invalid)
	if len(e.Fields) != len(fields) {
		t.Fatalf("fields = %v, want %v", e.Fields, fields)
	}
	for _, f := range fields {
		if e.Fields[f] == "" {
			t.Fatalf("fields = %v, want a message for %q", e.Fields, f)
		}
	}
}

func count(t *testing.T, d *db.DB, query string, args ...any) int {
	t.Helper()
	var n int
	if err := d.Read().QueryRowContext(ctx, query, args...).Scan(&n); err != nil {
		t.Fatalf("%s: %v", query, err)
	}
	return n
}

// ACC-1: sign-up creates a client with a normalised email and an argon2id
// password; bad input names the fields.
func TestSignUp_ACC1(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		s, _ := setup(t, d)
		u, err := s.SignUp(ctx, account.SignUpInput{Email: "  Mira.Stone@Example.COM ", Password: pw, DisplayName: "  Mira   Stone "})
		if err != nil {
			t.Fatal(err)
		}
		if u.ID == 0 || u.Email != "mira.stone@example.com" || u.DisplayName != "Mira Stone" || u.Role != account.RoleClient || !u.HasPassword {
			t.Fatalf("user = %+v", u)
		}
		if !u.CreatedAt.Equal(t0) {
			t.Fatalf("created at %v, want %v", u.CreatedAt, t0)
		}
		var hash string
		if err := d.Read().QueryRowContext(ctx, `SELECT password_hash FROM users WHERE id = $1`, u.ID).Scan(&hash); err != nil {
			t.Fatal(err)
		}
		if !strings.HasPrefix(hash, "$argon2id$") || strings.Contains(hash, pw) {
			t.Fatalf("stored hash %q is not an argon2id hash", hash)
		}
		if n := count(t, d, `SELECT count(*) FROM reader_profiles WHERE user_id = $1`, u.ID); n != 0 {
			t.Fatalf("a client got a reader profile")
		}

		_, err = s.SignUp(ctx, account.SignUpInput{Email: "not-an-email", Password: "short", DisplayName: "   "})
		wantFields(t, err, "email", "password", "display_name")
		_, err = s.SignUp(ctx, account.SignUpInput{Email: "a@b", Password: strings.Repeat("x", account.MaxPasswordLen+1), DisplayName: strings.Repeat("n", account.MaxDisplayNameLen+1)})
		wantFields(t, err, "email", "password", "display_name")
		_, err = s.SignUp(ctx, account.SignUpInput{Email: "Name <name@example.com>", Password: pw, DisplayName: "Name"})
		wantFields(t, err, "email")
		if n := count(t, d, `SELECT count(*) FROM users`); n != 1 {
			t.Fatalf("%d users after refused sign-ups, want 1", n)
		}
	})
}

// ACC-1: a second account with the same email (in any case) is a Conflict
// naming the email field.
func TestSignUpDuplicateEmail_ACC1(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		s, _ := setup(t, d)
		create(t, s, "dup@example.com", account.RoleClient)
		_, err := s.SignUp(ctx, account.SignUpInput{Email: "DUP@example.com", Password: pw, DisplayName: "Other"})
		e := wantCode(t, err, apperr.Conflict)
		if e.Fields["email"] == "" {
			t.Fatalf("conflict has no email field error: %+v", e)
		}
		if n := count(t, d, `SELECT count(*) FROM users`); n != 1 {
			t.Fatalf("%d users, want 1", n)
		}
	})
}

// ACC-1: login accepts the right password only; an unknown email and a wrong
// password get the same answer.
func TestLogin_ACC1(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		s, clk := setup(t, d)
		want := create(t, s, "login@example.com", account.RoleClient)
		clk.Advance(time.Minute)
		u, err := s.Login(ctx, " LOGIN@example.com ", pw)
		if err != nil {
			t.Fatal(err)
		}
		if u.ID != want.ID || !u.LastLoginAt.Equal(t0.Add(time.Minute)) {
			t.Fatalf("login user = %+v", u)
		}
		_, errWrong := s.Login(ctx, "login@example.com", pw+"x")
		_, errUnknown := s.Login(ctx, "nobody@example.com", pw)
		_, errLong := s.Login(ctx, "login@example.com", strings.Repeat("p", account.MaxPasswordLen+1))
		for _, err := range []error{errWrong, errUnknown, errLong} {
			wantCode(t, err, apperr.Unauthorized)
			if err.Error() != errWrong.Error() {
				t.Fatalf("login errors differ: %q vs %q", err, errWrong)
			}
		}
		// An account made through OIDC has no password and cannot log in with one.
		_, err = s.LoginOIDC(ctx, account.Identity{Issuer: "https://idp.test/", Subject: "s1", Email: "oidc@example.com", EmailVerified: true})
		if err != nil {
			t.Fatal(err)
		}
		_, err = s.Login(ctx, "oidc@example.com", "")
		wantCode(t, err, apperr.Unauthorized)
	})
}

// ACC-1: a session works until its TTL has passed, and not after; logging
// out ends it at once.
func TestSessionsExpire_ACC1(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		s, clk := setup(t, d)
		u := create(t, s, "sess@example.com", account.RoleClient)
		sess, err := s.NewSession(ctx, u.ID, "203.0.113.9", strings.Repeat("agent", 100))
		if err != nil {
			t.Fatal(err)
		}
		if !sess.ExpiresAt.Equal(t0.Add(24 * time.Hour)) {
			t.Fatalf("expires %v", sess.ExpiresAt)
		}
		var stored string
		if err := d.Read().QueryRowContext(ctx, `SELECT token_hash FROM sessions`).Scan(&stored); err != nil {
			t.Fatal(err)
		}
		if stored == sess.Token || strings.Contains(stored, sess.Token) {
			t.Fatal("the session token is stored in the clear")
		}
		if got, err := s.UserBySession(ctx, sess.Token); err != nil || got.ID != u.ID {
			t.Fatalf("fresh session: %+v %v", got, err)
		}
		clk.Advance(24*time.Hour - time.Millisecond)
		if _, err := s.UserBySession(ctx, sess.Token); err != nil {
			t.Fatalf("session a millisecond before expiry: %v", err)
		}
		clk.Advance(time.Millisecond)
		_, err = s.UserBySession(ctx, sess.Token)
		wantCode(t, err, apperr.Unauthorized)

		_, err = s.UserBySession(ctx, "")
		wantCode(t, err, apperr.Unauthorized)
		_, err = s.UserBySession(ctx, "forged")
		wantCode(t, err, apperr.Unauthorized)

		other, err := s.NewSession(ctx, u.ID, "", "")
		if err != nil {
			t.Fatal(err)
		}
		if err := s.EndSession(ctx, other.Token); err != nil {
			t.Fatal(err)
		}
		_, err = s.UserBySession(ctx, other.Token)
		wantCode(t, err, apperr.Unauthorized)
	})
}

// ACC-1: API tokens carry the ssk_ prefix, are stored hashed, name their
// owner, and need a name.
func TestAPITokens_ACC1(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		s, _ := setup(t, d)
		u := create(t, s, "tok@example.com", account.RoleReader)
		created, err := s.CreateAPIToken(ctx, u.ID, account.TokenInput{Name: "  my script "})
		if err != nil {
			t.Fatal(err)
		}
		tok := created.Secret
		if !strings.HasPrefix(tok, account.APITokenPrefix) || len(tok) < 40 {
			t.Fatalf("token %q", tok)
		}
		var name, hash string
		if err := d.Read().QueryRowContext(ctx, `SELECT name, token_hash FROM api_tokens WHERE user_id = $1`, u.ID).Scan(&name, &hash); err != nil {
			t.Fatal(err)
		}
		if name != "my script" || strings.Contains(hash, tok) {
			t.Fatalf("stored name %q hash %q", name, hash)
		}
		got, err := s.UserByAPIToken(ctx, tok)
		if err != nil || got.ID != u.ID || got.Role != account.RoleReader {
			t.Fatalf("owner = %+v %v", got, err)
		}
		for _, bad := range []string{"", "ssk_nope", strings.TrimPrefix(tok, account.APITokenPrefix), tok + "x"} {
			_, err := s.UserByAPIToken(ctx, bad)
			wantCode(t, err, apperr.Unauthorized)
		}
		for _, bad := range []string{"", "   ", strings.Repeat("n", account.MaxTokenNameLen+1)} {
			_, err := s.CreateAPIToken(ctx, u.ID, account.TokenInput{Name: bad})
			wantFields(t, err, "name")
		}
		if n := count(t, d, `SELECT count(*) FROM api_tokens`); n != 1 {
			t.Fatalf("%d tokens, want 1", n)
		}
	})
}

// resetToken pulls the token out of the newest reset email to addr.
func resetToken(t *testing.T, s *account.Service, addr string) string {
	t.Helper()
	return mailedToken(t, s, addr, "/password/reset")
}

// mailedToken pulls the token out of the link to path in the newest email
// to addr.
func mailedToken(t *testing.T, s *account.Service, addr, path string) string {
	t.Helper()
	mails, err := s.Mail.Recent(ctx, addr, 1)
	if err != nil || len(mails) == 0 {
		t.Fatalf("no email to %s: %v", addr, err)
	}
	i := strings.Index(mails[0].Body, "https://soulseer.test"+path+"?token=")
	if i < 0 {
		t.Fatalf("no link to %s in %q", path, mails[0].Body)
	}
	link := strings.Fields(mails[0].Body[i:])[0]
	u, err := url.Parse(link)
	if err != nil {
		t.Fatal(err)
	}
	return u.Query().Get("token")
}

// ACC-1: a password reset link works once, within an hour; using it sets the
// new password and ends every session.
func TestPasswordReset_ACC1(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		s, clk := setup(t, d)
		u := create(t, s, "reset@example.com", account.RoleClient)
		sess, err := s.NewSession(ctx, u.ID, "", "")
		if err != nil {
			t.Fatal(err)
		}

		// Unknown addresses get the same (nil) answer and no email.
		if err := s.RequestPasswordReset(ctx, "ghost@example.com"); err != nil {
			t.Fatal(err)
		}
		wantFields(t, s.RequestPasswordReset(ctx, "not an email"), "email")
		if n := count(t, d, `SELECT count(*) FROM outbox`); n != 0 {
			t.Fatalf("%d emails for unknown or bad addresses", n)
		}

		if err := s.RequestPasswordReset(ctx, "Reset@Example.com"); err != nil {
			t.Fatal(err)
		}
		token := resetToken(t, s, "reset@example.com")
		if count(t, d, `SELECT count(*) FROM password_resets WHERE token_hash = $1`, token) != 0 {
			t.Fatal("the reset token is stored in the clear")
		}

		// A new password that breaks the policy does not use the token up.
		_, err = s.ResetPassword(ctx, token, "short")
		wantFields(t, err, "password")

		got, err := s.ResetPassword(ctx, token, "a-brand-new-secret")
		if err != nil || got.ID != u.ID {
			t.Fatalf("reset: %+v %v", got, err)
		}
		if _, err := s.Login(ctx, "reset@example.com", "a-brand-new-secret"); err != nil {
			t.Fatalf("login with the new password: %v", err)
		}
		_, err = s.Login(ctx, "reset@example.com", pw)
		wantCode(t, err, apperr.Unauthorized)
		_, err = s.UserBySession(ctx, sess.Token)
		wantCode(t, err, apperr.Unauthorized)

		// Single use.
		_, err = s.ResetPassword(ctx, token, "yet-another-secret")
		wantFields(t, err, "token")

		// Expiry: the link works until ResetTTL has passed.
		if err := s.RequestPasswordReset(ctx, "reset@example.com"); err != nil {
			t.Fatal(err)
		}
		late := resetToken(t, s, "reset@example.com")
		clk.Advance(account.ResetTTL)
		_, err = s.ResetPassword(ctx, late, "yet-another-secret")
		wantFields(t, err, "token")
		_, err = s.ResetPassword(ctx, "", "yet-another-secret")
		wantFields(t, err, "token")
		if _, err := s.Login(ctx, "reset@example.com", "a-brand-new-secret"); err != nil {
			t.Fatalf("a refused reset changed the password: %v", err)
		}
	})
}

// ACC-3 ACC-5: only admins change roles; promoting to reader creates an
// unverified reader profile; every change is audited.
func TestSetRole_ACC3_ACC5(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		s, clk := setup(t, d)
		admin := create(t, s, "admin@example.com", account.RoleAdmin)
		client := create(t, s, "client@example.com", account.RoleClient)
		reader := create(t, s, "reader@example.com", account.RoleReader)

		for _, actor := range []account.User{client, reader} {
			_, err := s.SetRole(ctx, actor, client.ID, account.RoleAdmin)
			wantCode(t, err, apperr.Forbidden)
		}
		_, err := s.SetRole(ctx, admin, admin.ID, account.RoleClient)
		wantCode(t, err, apperr.Conflict)
		_, err = s.SetRole(ctx, admin, 999999, account.RoleReader)
		wantCode(t, err, apperr.NotFound)
		if n := count(t, d, `SELECT count(*) FROM audit_log`); n != 0 {
			t.Fatalf("%d audit records for refused changes", n)
		}
		if got, _ := s.Get(ctx, client.ID); got.Role != account.RoleClient {
			t.Fatalf("a refused change altered the role: %s", got.Role)
		}

		clk.Advance(time.Minute)
		u, err := s.SetRole(ctx, admin, client.ID, account.RoleReader)
		if err != nil || u.Role != account.RoleReader {
			t.Fatalf("promote: %+v %v", u, err)
		}
		var verified bool
		var kyc, status string
		if err := d.Read().QueryRowContext(ctx, `SELECT is_verified, kyc_status, status FROM reader_profiles WHERE user_id = $1`, client.ID).
			Scan(&verified, &kyc, &status); err != nil {
			t.Fatalf("no reader profile after promotion: %v", err)
		}
		if verified || kyc != "not_started" || status != "offline" {
			t.Fatalf("new reader profile verified=%v kyc=%s status=%s", verified, kyc, status)
		}
		// A demoted and re-promoted reader keeps their profile.
		if _, err := d.Writer.ExecContext(ctx, `UPDATE reader_profiles SET tagline = 'kept' WHERE user_id = $1`, client.ID); err != nil {
			t.Fatal(err)
		}
		if _, err := s.SetRole(ctx, admin, client.ID, account.RoleClient); err != nil {
			t.Fatal(err)
		}
		if _, err := s.SetRole(ctx, admin, client.ID, account.RoleReader); err != nil {
			t.Fatal(err)
		}
		if n := count(t, d, `SELECT count(*) FROM reader_profiles WHERE user_id = $1 AND tagline = 'kept'`, client.ID); n != 1 {
			t.Fatal("re-promotion replaced the reader profile")
		}

		entries, err := audit.List(ctx, d.Read(), audit.Filter{Action: "user.set_role"})
		if err != nil {
			t.Fatal(err)
		}
		if len(entries) != 3 {
			t.Fatalf("%d user.set_role records, want 3: %+v", len(entries), entries)
		}
		first := entries[2]
		if first.ActorID != admin.ID || first.ActorName != "admin" || first.Model != "user" || first.ObjectID != strconv.FormatInt(client.ID, 10) ||
			first.Details["from"] != "client" || first.Details["to"] != "reader" || !first.At.Equal(t0.Add(time.Minute)) {
			t.Fatalf("audit record = %+v", first)
		}
	})
}

// ACC-2: LoginOIDC links an identity once; a verified email joins the
// existing account; an unverified one may not; a new identity becomes a client.
func TestLoginOIDC_ACC2(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		s, _ := setup(t, d)
		const iss = "https://tenant.auth0.test/"

		// A new identity becomes a client named after the provider's name,
		// or the email's local part.
		u, err := s.LoginOIDC(ctx, account.Identity{Issuer: iss, Subject: "auth0|1", Email: "New.Person@Example.com", EmailVerified: true, Name: "New Person"})
		if err != nil {
			t.Fatal(err)
		}
		if u.Role != account.RoleClient || u.Email != "new.person@example.com" || u.DisplayName != "New Person" || u.HasPassword || u.LastLoginAt.IsZero() {
			t.Fatalf("new OIDC user = %+v", u)
		}
		nameless, err := s.LoginOIDC(ctx, account.Identity{Issuer: iss, Subject: "auth0|2", Email: "quiet.one@example.com", EmailVerified: true})
		if err != nil || nameless.DisplayName != "quiet.one" {
			t.Fatalf("nameless OIDC user = %+v %v", nameless, err)
		}

		// The same identity signs into the same account, even if its email changed.
		again, err := s.LoginOIDC(ctx, account.Identity{Issuer: iss, Subject: "auth0|1", Email: "changed@example.com"})
		if err != nil || again.ID != u.ID {
			t.Fatalf("second login = %+v %v, want user %d", again, err, u.ID)
		}
		// The same subject at another issuer is another identity.
		otherIss, err := s.LoginOIDC(ctx, account.Identity{Issuer: "https://other.test/", Subject: "auth0|1", Email: "someone.else@example.com", EmailVerified: true})
		if err != nil || otherIss.ID == u.ID {
			t.Fatalf("other issuer = %+v %v", otherIss, err)
		}

		// A verified email joins the password account with that email and
		// links the identity.
		pwUser := create(t, s, "has.password@example.com", account.RoleReader)
		linked, err := s.LoginOIDC(ctx, account.Identity{Issuer: iss, Subject: "auth0|3", Email: "HAS.password@example.com", EmailVerified: true})
		if err != nil || linked.ID != pwUser.ID || linked.Role != account.RoleReader {
			t.Fatalf("verified email link = %+v %v", linked, err)
		}
		if n := count(t, d, `SELECT count(*) FROM oidc_identities WHERE user_id = $1`, pwUser.ID); n != 1 {
			t.Fatalf("%d identities linked", n)
		}

		// An unverified email that matches an account is refused and links nothing.
		victim := create(t, s, "victim@example.com", account.RoleClient)
		_, err = s.LoginOIDC(ctx, account.Identity{Issuer: iss, Subject: "auth0|evil", Email: "victim@example.com", EmailVerified: false})
		wantCode(t, err, apperr.Conflict)
		if n := count(t, d, `SELECT count(*) FROM oidc_identities WHERE user_id = $1 OR subject = 'auth0|evil'`, victim.ID); n != 0 {
			t.Fatalf("an unverified email was linked")
		}

		// A new identity with an unverified email creates nothing: the
		// address could be someone else's.
		_, err = s.LoginOIDC(ctx, account.Identity{Issuer: iss, Subject: "auth0|5", Email: "unclaimed@example.com"})
		wantCode(t, err, apperr.Conflict)
		if n := count(t, d, `SELECT count(*) FROM users WHERE email = 'unclaimed@example.com'`); n != 0 {
			t.Fatalf("an account was created for an unverified email")
		}

		// Without a usable email there is nothing to create.
		_, err = s.LoginOIDC(ctx, account.Identity{Issuer: iss, Subject: "auth0|4"})
		wantCode(t, err, apperr.Invalid)
		_, err = s.LoginOIDC(ctx, account.Identity{Issuer: "", Subject: "x", Email: "x@example.com"})
		if err == nil {
			t.Fatal("an identity without issuer was accepted")
		}
		_, err = s.LoginOIDC(ctx, account.Identity{Issuer: iss, Subject: "", Email: "x@example.com"})
		if err == nil {
			t.Fatal("an identity without subject was accepted")
		}
		if n := count(t, d, `SELECT count(*) FROM users`); n != 5 {
			t.Fatalf("%d users, want 5", n)
		}
	})
}

// ACC-1: PurgeExpired removes expired sessions and reset tokens and keeps
// live ones.
func TestPurgeExpired_ACC1(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		s, clk := setup(t, d)
		u := create(t, s, "purge@example.com", account.RoleClient)
		old, err := s.NewSession(ctx, u.ID, "", "")
		if err != nil {
			t.Fatal(err)
		}
		if err := s.RequestPasswordReset(ctx, u.Email); err != nil {
			t.Fatal(err)
		}
		clk.Advance(12 * time.Hour)
		live, err := s.NewSession(ctx, u.ID, "", "")
		if err != nil {
			t.Fatal(err)
		}
		if err := s.RequestPasswordReset(ctx, u.Email); err != nil {
			t.Fatal(err)
		}
		n, err := s.PurgeExpired(ctx)
		if err != nil || n != 0 {
			t.Fatalf("purge before expiry removed %d sessions (%v)", n, err)
		}
		if c := count(t, d, `SELECT count(*) FROM password_resets`); c != 1 {
			t.Fatalf("%d reset tokens left, want only the live one", c)
		}
		clk.Advance(12 * time.Hour)
		n, err = s.PurgeExpired(ctx)
		if err != nil || n != 1 {
			t.Fatalf("purge removed %d sessions (%v), want 1", n, err)
		}
		if c := count(t, d, `SELECT count(*) FROM sessions`); c != 1 {
			t.Fatalf("%d sessions left, want 1", c)
		}
		if c := count(t, d, `SELECT count(*) FROM password_resets`); c != 0 {
			t.Fatalf("%d expired reset tokens survived", c)
		}
		if _, err := s.UserBySession(ctx, live.Token); err != nil {
			t.Fatalf("live session purged: %v", err)
		}
		_, err = s.UserBySession(ctx, old.Token)
		wantCode(t, err, apperr.Unauthorized)
	})
}

// ACC-3: the admin user list filters by text and role and pages.
func TestList_ACC3(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		s, _ := setup(t, d)
		create(t, s, "alba@example.com", account.RoleClient)
		create(t, s, "bruno@example.com", account.RoleReader)
		create(t, s, "carla@example.com", account.RoleReader)
		all, total, err := s.List(ctx, account.ListFilter{})
		if err != nil || total != 3 || len(all) != 3 || all[0].Email != "carla@example.com" {
			t.Fatalf("list = %v %d %v", all, total, err)
		}
		readers, total, err := s.List(ctx, account.ListFilter{Role: account.RoleReader, Limit: 1, Offset: 1})
		if err != nil || total != 2 || len(readers) != 1 || readers[0].Email != "bruno@example.com" {
			t.Fatalf("readers page 2 = %v %d %v", readers, total, err)
		}
		found, total, err := s.List(ctx, account.ListFilter{Query: "ALB"})
		if err != nil || total != 1 || found[0].Email != "alba@example.com" {
			t.Fatalf("query = %v %d %v", found, total, err)
		}
		none, total, err := s.List(ctx, account.ListFilter{Query: "%"})
		if err != nil || total != 3 || len(none) != 3 {
			t.Fatalf("a %% query should match like an empty one: %v %d %v", none, total, err)
		}
	})
}

// ACC-1: hashes are argon2id in PHC format, salted, and checked in constant
// time against the parameters they carry.
func TestPasswordHash_ACC1(t *testing.T) {
	t.Parallel()
	h1, err := account.HashPassword(pw)
	if err != nil {
		t.Fatal(err)
	}
	h2, _ := account.HashPassword(pw)
	if h1 == h2 {
		t.Fatal("two hashes of one password are equal: no salt")
	}
	if ok, err := account.CheckPassword(h1, pw); !ok || err != nil {
		t.Fatalf("check right password: %v %v", ok, err)
	}
	if ok, err := account.CheckPassword(h1, pw+"!"); ok || err != nil {
		t.Fatalf("check wrong password: %v %v", ok, err)
	}
	for _, bad := range []string{"", "$2a$10$abc", "$argon2id$v=18$m=1,t=1,p=1$c2FsdA$aGFzaA", "$argon2id$v=19$m=x$c2FsdA$aGFzaA", "$argon2id$v=19$m=1,t=1,p=1$!!$aGFzaA"} {
		if ok, err := account.CheckPassword(bad, pw); ok || err == nil {
			t.Fatalf("CheckPassword(%q) = %v, %v; want an error", bad, ok, err)
		}
	}
}
