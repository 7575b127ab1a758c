package account_test

import (
	"strings"
	"testing"
	"time"

	"github.com/soulseer/soulseer/internal/account"
	"github.com/soulseer/soulseer/internal/apperr"
	"github.com/soulseer/soulseer/internal/db"
	"github.com/soulseer/soulseer/internal/db/dbtest"
)

func days(n int) *int { return &n }

// ACC-10: an API token works for 90 days unless its owner chooses 1 to 365,
// and then authenticates nobody; the owner lists working tokens (never the
// secret) and revokes them, another user's token id is unknown to them,
// and the cleanup deletes expired tokens.
func TestAPITokenLifetime_ACC10(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		s, clk := setup(t, d)
		u := create(t, s, "owner@example.com", account.RoleClient)
		other := create(t, s, "other@example.com", account.RoleClient)

		long, err := s.CreateAPIToken(ctx, u.ID, account.TokenInput{Name: "backup script"})
		if err != nil {
			t.Fatal(err)
		}
		if !long.CreatedAt.Equal(t0) || !long.ExpiresAt.Equal(t0.AddDate(0, 0, account.DefaultTokenDays)) || long.ID == "" {
			t.Fatalf("default token = %+v, want created %v and expiring 90 days later", long.APIToken, t0)
		}
		clk.Advance(time.Minute)
		short, err := s.CreateAPIToken(ctx, u.ID, account.TokenInput{Name: "one-off", ExpiresInDays: days(1)})
		if err != nil || !short.ExpiresAt.Equal(t0.Add(time.Minute).AddDate(0, 0, 1)) {
			t.Fatalf("one-day token = %+v %v", short.APIToken, err)
		}
		for _, bad := range []int{0, -1, account.MaxTokenDays + 1} {
			_, err := s.CreateAPIToken(ctx, u.ID, account.TokenInput{Name: "x", ExpiresInDays: days(bad)})
			wantFields(t, err, "expires_in_days")
		}
		if _, err := s.CreateAPIToken(ctx, u.ID, account.TokenInput{Name: "year", ExpiresInDays: days(account.MaxTokenDays)}); err != nil {
			t.Fatalf("the longest lifetime is refused: %v", err)
		}
		theirs, err := s.CreateAPIToken(ctx, other.ID, account.TokenInput{Name: "theirs"})
		if err != nil {
			t.Fatal(err)
		}

		list, err := s.APITokens(ctx, u.ID)
		if err != nil || len(list) != 3 || list[1] != short.APIToken || list[2] != long.APIToken {
			t.Fatalf("list = %+v %v; want year, one-off, backup script", list, err)
		}
		if n := count(t, d, `SELECT count(*) FROM api_tokens WHERE token_hash = $1 OR public_id = $1`, long.Secret); n != 0 {
			t.Fatal("a token secret is stored or used as its id")
		}

		// Another user's token cannot be revoked by id, and keeps working.
		wantCode(t, s.RevokeAPIToken(ctx, u.ID, theirs.ID), apperr.NotFound)
		if got, err := s.UserByAPIToken(ctx, theirs.Secret); err != nil || got.ID != other.ID {
			t.Fatalf("another user's token after a refused revoke: %+v %v", got, err)
		}

		// Expiry: the one-day token works until its last millisecond.
		clk.Set(short.ExpiresAt.Add(-time.Millisecond))
		if got, err := s.UserByAPIToken(ctx, short.Secret); err != nil || got.ID != u.ID {
			t.Fatalf("one-day token before expiry: %+v %v", got, err)
		}
		clk.Set(short.ExpiresAt)
		_, err = s.UserByAPIToken(ctx, short.Secret)
		wantCode(t, err, apperr.Unauthorized)
		if list, _ := s.APITokens(ctx, u.ID); len(list) != 2 {
			t.Fatalf("an expired token is still listed: %+v", list)
		}

		// Revoking ends a token at once; a second revoke finds nothing.
		if err := s.RevokeAPIToken(ctx, u.ID, long.ID); err != nil {
			t.Fatal(err)
		}
		_, err = s.UserByAPIToken(ctx, long.Secret)
		wantCode(t, err, apperr.Unauthorized)
		wantCode(t, s.RevokeAPIToken(ctx, u.ID, long.ID), apperr.NotFound)

		// The default lifetime ends too, and the cleanup deletes what expired.
		clk.Set(theirs.ExpiresAt)
		_, err = s.UserByAPIToken(ctx, theirs.Secret)
		wantCode(t, err, apperr.Unauthorized)
		if _, err := s.PurgeExpired(ctx); err != nil {
			t.Fatal(err)
		}
		if n := count(t, d, `SELECT count(*) FROM api_tokens`); n != 1 {
			t.Fatalf("%d tokens after the cleanup, want only the one-year token", n)
		}
	})
}

// ACC-10: using one password-reset link uses up every other link of the
// user and ends all their sessions and API tokens; another user's
// credentials are untouched.
func TestPasswordResetEndsEveryCredential_ACC10(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		s, _ := setup(t, d)
		u := create(t, s, "forgetful@example.com", account.RoleClient)
		bystander := create(t, s, "bystander@example.com", account.RoleClient)
		var links []string
		for range 3 {
			if err := s.RequestPasswordReset(ctx, u.Email); err != nil {
				t.Fatal(err)
			}
			links = append(links, resetToken(t, s, u.Email))
		}
		if err := s.RequestPasswordReset(ctx, bystander.Email); err != nil {
			t.Fatal(err)
		}
		sess, err := s.NewSession(ctx, u.ID, "", "")
		if err != nil {
			t.Fatal(err)
		}
		tok, err := s.CreateAPIToken(ctx, u.ID, account.TokenInput{Name: "phone"})
		if err != nil {
			t.Fatal(err)
		}
		theirs, err := s.CreateAPIToken(ctx, bystander.ID, account.TokenInput{Name: "theirs"})
		if err != nil {
			t.Fatal(err)
		}

		if _, err := s.ResetPassword(ctx, links[1], "a-brand-new-secret"); err != nil {
			t.Fatal(err)
		}
		for i, link := range []string{links[0], links[2], links[1]} {
			_, err := s.ResetPassword(ctx, link, "an-attackers-choice")
			wantFields(t, err, "token")
			if i == 0 {
				if _, err := s.Login(ctx, u.Email, "a-brand-new-secret"); err != nil {
					t.Fatalf("an older link changed the password: %v", err)
				}
			}
		}
		_, err = s.UserBySession(ctx, sess.Token)
		wantCode(t, err, apperr.Unauthorized)
		_, err = s.UserByAPIToken(ctx, tok.Secret)
		wantCode(t, err, apperr.Unauthorized)
		if list, err := s.APITokens(ctx, u.ID); err != nil || len(list) != 0 {
			t.Fatalf("tokens after the reset: %+v %v", list, err)
		}
		if got, err := s.UserByAPIToken(ctx, theirs.Secret); err != nil || got.ID != bystander.ID {
			t.Fatalf("another user's token was ended: %v", err)
		}
		if _, err := s.ResetPassword(ctx, resetToken(t, s, bystander.Email), "bystanders-own-pick"); err != nil {
			t.Fatalf("another user's reset link was used up: %v", err)
		}
	})
}

// ACC-1: sign-up and password resets refuse common and trivial passwords
// with a message on the password field, and accept ordinary ones.
func TestPasswordPolicy_ACC1(t *testing.T) {
	t.Parallel()
	refused := map[string]string{
		"12345678":                 "sequence",
		"        ":                 "spaces",
		"\t \t \t \t ":             "spaces",
		"aaaaaaaaaaaa":             "over and over",
		"abababab":                 "over and over",
		"xyzxyzxyz":                "over and over",
		"abcdefghij":               "sequence",
		"98765432":                 "sequence",
		"PassWord1":                "common",
		"iloveyou":                 "common",
		"12345679":                 "common",
		"qwertyuiop":               "common",
		" sunshine ":               "common",
		"short":                    "at least 8",
		strings.Repeat("pq7", 100): "at most 256",
		"Mira.Lune@example.com":    "email address or name",
		"mira.lune":                "email address or name",
		"Mira Lune":                "email address or name",
		"miralune":                 "email address or name",
	}
	for pw, why := range refused {
		err := account.CheckPasswordPolicy(pw, "mira.lune@example.com", "Mira Lune")
		if err == nil || !strings.Contains(err.Error(), why) {
			t.Errorf("CheckPasswordPolicy(%q) = %v, want a refusal saying %q", pw, err, why)
		}
	}
	for _, pw := range []string{pw, "long-enough-pw", "a-brand-new-secret", "aaaaaaab", "tarot by moonlight", "miralune-tarot"} {
		if err := account.CheckPasswordPolicy(pw, "mira.lune@example.com", "Mira Lune"); err != nil {
			t.Errorf("CheckPasswordPolicy(%q) = %v, want nil", pw, err)
		}
	}

	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		s, _ := setup(t, d)
		for _, weak := range []string{"12345678", "        ", "mira.lune@example.com"} {
			_, err := s.SignUp(ctx, account.SignUpInput{Email: "Mira.Lune@example.com", Password: weak, DisplayName: "Mira Lune"})
			wantFields(t, err, "password")
		}
		if n := count(t, d, `SELECT count(*) FROM users`); n != 0 {
			t.Fatalf("%d accounts made with weak passwords", n)
		}
		u, err := s.SignUp(ctx, account.SignUpInput{Email: "mira.lune@example.com", Password: "tarot by moonlight", DisplayName: "Mira Lune"})
		if err != nil {
			t.Fatal(err)
		}
		if err := s.RequestPasswordReset(ctx, u.Email); err != nil {
			t.Fatal(err)
		}
		link := resetToken(t, s, u.Email)
		for _, weak := range []string{"password", "12345678", "        ", "Mira Lune"} {
			_, err := s.ResetPassword(ctx, link, weak)
			wantFields(t, err, "password")
		}
		if _, err := s.Login(ctx, u.Email, "tarot by moonlight"); err != nil {
			t.Fatalf("a refused reset changed the password: %v", err)
		}
		if _, err := s.ResetPassword(ctx, link, "moonlight and tarot"); err != nil {
			t.Fatalf("a refused new password used the link up: %v", err)
		}
	})
}
