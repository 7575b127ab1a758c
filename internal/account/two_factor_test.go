package account_test

import (
	"encoding/base32"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/soulseer/soulseer/internal/account"
	"github.com/soulseer/soulseer/internal/apperr"
	"github.com/soulseer/soulseer/internal/audit"
	"github.com/soulseer/soulseer/internal/db"
	"github.com/soulseer/soulseer/internal/db/dbtest"
)

// TestTOTPVectors_ACC7 checks codes against RFC 6238's SHA-1 vectors: the
// secret "12345678901234567890" at each time gives the eight-digit value,
// of which a six-digit code is the last six digits.
func TestTOTPVectors_ACC7(t *testing.T) {
	secret := base32.StdEncoding.EncodeToString([]byte("12345678901234567890"))
	for _, v := range []struct {
		unix int64
		want string
	}{
		{59, "94287082"}, {1111111109, "07081804"}, {1111111111, "14050471"},
		{1234567890, "89005924"}, {2000000000, "69279037"}, {20000000000, "65353130"},
	} {
		got, err := account.TOTPCode(secret, time.Unix(v.unix, 0))
		if err != nil {
			t.Fatal(err)
		}
		if got != v.want[2:] {
			t.Errorf("code at %d = %s, want %s", v.unix, got, v.want[2:])
		}
	}
}

// enrol turns two-factor sign-in on for u and returns the secret and the
// recovery codes; the confirming code is the previous step's, so the
// current step's code is still unused.
func enrol(t *testing.T, s *account.Service, u account.User, now time.Time) (string, []string) {
	t.Helper()
	e, err := s.BeginTwoFactor(ctx, u)
	if err != nil {
		t.Fatal(err)
	}
	code, _ := account.TOTPCode(e.Secret, now.Add(-30*time.Second))
	codes, err := s.ConfirmTwoFactor(ctx, u, code)
	if err != nil {
		t.Fatal(err)
	}
	return e.Secret, codes
}

// TestTwoFactor_ACC7 enrols a user and checks what a code may do: a wrong
// code, a replayed code, a code from before the last one used and a spent
// recovery code are refused; a fresh code and an unused recovery code
// pass; disabling needs a code and removes everything.
func TestTwoFactor_ACC7(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		s, clk := setup(t, d)
		u := create(t, s, "ada@example.com", account.RoleAdmin)

		e, err := s.BeginTwoFactor(ctx, u)
		if err != nil {
			t.Fatal(err)
		}
		link, err := url.Parse(e.URL)
		if err != nil || link.Scheme != "otpauth" || link.Query().Get("secret") != e.Secret || link.Query().Get("issuer") != account.TwoFactorIssuer ||
			!strings.HasSuffix(link.Path, ":ada@example.com") {
			t.Fatalf("enrolment URL %q", e.URL)
		}
		if p, ok, err := s.PendingTwoFactor(ctx, u); err != nil || !ok || p.Secret != e.Secret {
			t.Fatalf("pending = %+v %v %v", p, ok, err)
		}
		if _, err := s.ConfirmTwoFactor(ctx, u, "000000"); apperr.CodeOf(err) != apperr.Unauthorized {
			t.Fatalf("confirm with a wrong code: %v", err)
		}
		if got, _ := s.Get(ctx, u.ID); got.TwoFactor {
			t.Fatal("two-factor on before a right code")
		}
		secret, codes := enrol(t, s, u, clk.Now())
		if _, ok, err := s.PendingTwoFactor(ctx, u); err != nil || ok {
			t.Fatalf("pending after confirming: %v %v", ok, err)
		}
		if len(codes) != account.RecoveryCodeCount {
			t.Fatalf("%d recovery codes", len(codes))
		}
		if _, err := s.BeginTwoFactor(ctx, u); apperr.CodeOf(err) != apperr.Conflict {
			t.Fatalf("begin while on: %v", err)
		}
		if got, _ := s.Get(ctx, u.ID); !got.TwoFactor {
			t.Fatal("two-factor off after confirming")
		}

		// The confirming code (previous step) is spent; so is any earlier one.
		prev, _ := account.TOTPCode(secret, clk.Now().Add(-30*time.Second))
		if err := s.VerifyTwoFactor(ctx, u.ID, prev); apperr.CodeOf(err) != apperr.Unauthorized {
			t.Fatalf("replayed confirming code: %v", err)
		}
		if err := s.VerifyTwoFactor(ctx, u.ID, "12345"); apperr.CodeOf(err) != apperr.Unauthorized {
			t.Fatalf("a five-digit code: %v", err)
		}
		now, _ := account.TOTPCode(secret, clk.Now())
		wrong := "000000"
		if wrong == now {
			wrong = "111111"
		}
		if err := s.VerifyTwoFactor(ctx, u.ID, wrong); apperr.CodeOf(err) != apperr.Unauthorized || apperr.As(err).Fields["code"] == "" {
			t.Fatalf("wrong code: %v", err)
		}
		if err := s.VerifyTwoFactor(ctx, u.ID, now[:3]+" "+now[3:]); err != nil {
			t.Fatalf("current code with a space: %v", err)
		}
		if err := s.VerifyTwoFactor(ctx, u.ID, now); apperr.CodeOf(err) != apperr.Unauthorized {
			t.Fatalf("replayed current code: %v", err)
		}
		// Thirty seconds on, the next code works once.
		clk.Advance(30 * time.Second)
		next, _ := account.TOTPCode(secret, clk.Now())
		if err := s.VerifyTwoFactor(ctx, u.ID, next); err != nil {
			t.Fatalf("next code: %v", err)
		}

		// Recovery codes: each works once, typed in either case.
		if err := s.VerifyTwoFactor(ctx, u.ID, strings.ToUpper(codes[0])); err != nil {
			t.Fatalf("recovery code: %v", err)
		}
		if err := s.VerifyTwoFactor(ctx, u.ID, codes[0]); apperr.CodeOf(err) != apperr.Unauthorized {
			t.Fatalf("reused recovery code: %v", err)
		}
		if n, err := s.RecoveryCodesLeft(ctx, u.ID); err != nil || n != account.RecoveryCodeCount-1 {
			t.Fatalf("recovery codes left = %d %v", n, err)
		}
		fresh, err := s.RegenerateRecoveryCodes(ctx, u, codes[1])
		if err != nil || len(fresh) != account.RecoveryCodeCount {
			t.Fatalf("regenerate: %d %v", len(fresh), err)
		}
		if err := s.VerifyTwoFactor(ctx, u.ID, codes[2]); apperr.CodeOf(err) != apperr.Unauthorized {
			t.Fatalf("an old recovery code after regenerating: %v", err)
		}

		// Turning it off needs a code.
		if err := s.DisableTwoFactor(ctx, u, ""); apperr.CodeOf(err) != apperr.Unauthorized {
			t.Fatalf("disable without a code: %v", err)
		}
		if err := s.DisableTwoFactor(ctx, u, fresh[0]); err != nil {
			t.Fatal(err)
		}
		if got, _ := s.Get(ctx, u.ID); got.TwoFactor {
			t.Fatal("two-factor still on")
		}
		if n := count(t, d, `SELECT COUNT(*) FROM two_factor_recovery_codes WHERE user_id = $1`, u.ID); n != 0 {
			t.Fatalf("%d recovery codes kept", n)
		}
		entries, err := audit.List(ctx, d.Read(), audit.Filter{})
		if err != nil {
			t.Fatal(err)
		}
		actions := map[string]int{}
		for _, e := range entries {
			actions[e.Action]++
		}
		for _, a := range []string{"user.two_factor_on", "user.two_factor_recovery_codes", "user.two_factor_off"} {
			if actions[a] != 1 {
				t.Errorf("audit %s: %d entries, want 1 (%v)", a, actions[a], actions)
			}
		}
	})
}

// TestTwoFactorCodeOnce_ACC7 sends the same fresh code from 10 sign-ins at
// once: exactly one is accepted.
func TestTwoFactorCodeOnce_ACC7(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		s, clk := setup(t, d)
		u := create(t, s, "ada@example.com", account.RoleAdmin)
		secret, _ := enrol(t, s, u, clk.Now())
		code, _ := account.TOTPCode(secret, clk.Now())
		var mu sync.Mutex
		accepted, refused := 0, 0
		var wg sync.WaitGroup
		for range 10 {
			wg.Go(func() {
				err := s.VerifyTwoFactor(ctx, u.ID, code)
				mu.Lock()
				defer mu.Unlock()
				switch apperr.CodeOf(err) {
				case "":
					accepted++
				case apperr.Unauthorized:
					refused++
				default:
					t.Errorf("verify: %v", err)
				}
			})
		}
		wg.Wait()
		if accepted != 1 || refused != 9 {
			t.Fatalf("accepted %d, refused %d; want 1 and 9", accepted, refused)
		}
	})
}

// TestTwoFactorChallenge_ACC7 follows a sign-in waiting for its code: the
// challenge names the user and where to go, expires after ChallengeTTL,
// ends when finished, and a remembered browser is known for 30 days.
func TestTwoFactorChallenge_ACC7(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		s, clk := setup(t, d)
		u := create(t, s, "ada@example.com", account.RoleAdmin)
		secret, _ := enrol(t, s, u, clk.Now())

		token, err := s.StartChallenge(ctx, u.ID, "/admin/users")
		if err != nil {
			t.Fatal(err)
		}
		got, next, err := s.Challenge(ctx, token)
		if err != nil || got.ID != u.ID || next != "/admin/users" {
			t.Fatalf("challenge = %d %q %v", got.ID, next, err)
		}
		if _, err := s.FinishChallenge(ctx, token, "000000"); apperr.CodeOf(err) != apperr.Unauthorized {
			t.Fatalf("finish with a wrong code: %v", err)
		}
		code, _ := account.TOTPCode(secret, clk.Now())
		if got, err := s.FinishChallenge(ctx, token, code); err != nil || got.ID != u.ID {
			t.Fatalf("finish: %v", err)
		}
		if _, _, err := s.Challenge(ctx, token); apperr.CodeOf(err) != apperr.Unauthorized {
			t.Fatalf("challenge after finishing: %v", err)
		}

		late, _ := s.StartChallenge(ctx, u.ID, "")
		clk.Advance(account.ChallengeTTL)
		code, _ = account.TOTPCode(secret, clk.Now())
		if _, err := s.FinishChallenge(ctx, late, code); apperr.CodeOf(err) != apperr.Unauthorized {
			t.Fatalf("finish an expired challenge: %v", err)
		}

		device, exp, err := s.RememberDevice(ctx, u.ID)
		if err != nil || !exp.Equal(clk.Now().Add(account.RememberDeviceFor)) {
			t.Fatalf("remember: %v %v", exp, err)
		}
		other := create(t, s, "bo@example.com", account.RoleClient)
		for _, c := range []struct {
			user  int64
			token string
			want  bool
		}{{u.ID, device, true}, {other.ID, device, false}, {u.ID, "", false}, {u.ID, "made-up", false}} {
			if ok, err := s.DeviceRemembered(ctx, c.user, c.token); err != nil || ok != c.want {
				t.Errorf("remembered(%d, %q) = %v %v, want %v", c.user, c.token, ok, err, c.want)
			}
		}
		clk.Advance(account.RememberDeviceFor)
		if ok, _ := s.DeviceRemembered(ctx, u.ID, device); ok {
			t.Error("a device remembered past 30 days")
		}
	})
}
