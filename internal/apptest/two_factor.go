package apptest

import (
	"context"
	"time"

	"github.com/soulseer/soulseer/internal/account"
)

// TwoFactorSecret is the authenticator key of every user EnrolTwoFactor
// enrols.
const TwoFactorSecret = "SOULSEERTESTTWOFACTORSECRETKEY23"

// EnrolTwoFactor turns on u's two-factor sign-in with TwoFactorSecret,
// confirmed with the previous step's code so the current and next ones
// still sign in, keeps the recovery codes for TwoFactorCode, and returns u
// as they are now.
func (s *Server) EnrolTwoFactor(u account.User) account.User {
	s.t.Helper()
	ctx := context.Background()
	if _, err := s.App.Accounts.EnrolTwoFactorSecret(ctx, u, TwoFactorSecret); err != nil {
		s.t.Fatalf("enrol %s: %v", u.Email, err)
	}
	code, err := account.TOTPCode(TwoFactorSecret, s.App.Clock.Now().Add(-30*time.Second))
	if err != nil {
		s.t.Fatal(err)
	}
	codes, err := s.App.Accounts.ConfirmTwoFactor(ctx, u, code)
	if err != nil {
		s.t.Fatalf("confirm two-factor of %s: %v", u.Email, err)
	}
	s.mu.Lock()
	if s.recovery == nil {
		s.recovery = map[int64][]string{}
	}
	s.recovery[u.ID] = codes
	s.mu.Unlock()
	u.TwoFactor = true
	return u
}

// TwoFactorCode returns a code that signs u in now, as a person would type
// it: their app's code for this step, else the next, else the previous
// (which a step boundary passing meanwhile would make too old), if not
// used yet (u's secret is TwoFactorSecret, or the demo admin's), else one
// of the recovery codes EnrolTwoFactor kept.
func (s *Server) TwoFactorCode(u account.User) string {
	s.t.Helper()
	var secret string
	var last int64
	if err := s.App.DB.Read().QueryRowContext(context.Background(), `SELECT secret, last_step FROM two_factor WHERE user_id = $1`, u.ID).Scan(&secret, &last); err != nil {
		s.t.Fatalf("two-factor of %s: %v", u.Email, err)
	}
	now := s.App.Clock.Now()
	for _, d := range []time.Duration{0, 30 * time.Second, -30 * time.Second} {
		if t := now.Add(d); t.Unix()/30 > last {
			code, err := account.TOTPCode(secret, t)
			if err != nil {
				s.t.Fatal(err)
			}
			return code
		}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	codes := s.recovery[u.ID]
	if len(codes) == 0 {
		s.t.Fatalf("%s signed in more often than the codes of this half-minute and the recovery codes allow", u.Email)
	}
	s.recovery[u.ID] = codes[1:]
	return codes[0]
}
