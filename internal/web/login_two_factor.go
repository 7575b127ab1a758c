package web

import (
	"net/http"
	"strconv"
	"time"

	"github.com/soulseer/soulseer/internal/account"
	"github.com/soulseer/soulseer/internal/apperr"
	"github.com/soulseer/soulseer/internal/ratelimit"
	"github.com/soulseer/soulseer/internal/redirect"
)

// challengeCookie holds the token of a sign-in waiting for its two-factor
// code; deviceCookie the token of a browser remembered for 30 days.
const (
	challengeCookie = "soulseer_2fa"
	deviceCookie    = "soulseer_device"
)

// twoFactorAttempts bounds the codes tried per account, across instances:
// a six-digit code cannot be guessed at that pace (ACC-7, SEC-3).
var twoFactorAttempts = ratelimit.Rule{Limit: 5, Window: 5 * time.Minute}

// limitTwoFactor counts one code tried for the user.
func (s *Server) limitTwoFactor(r *http.Request, userID int64) error {
	return s.Limiter.Allow(r.Context(), "2fa:"+strconv.FormatInt(userID, 10), twoFactorAttempts)
}

// tryCode refuses an empty code, naming the field, and counts any other
// against the signed-in user's limit.
func (s *Server) tryCode(r *http.Request, code string) error {
	if code == "" {
		return apperr.Validation(map[string]string{"code": "Enter the code from your authenticator app."})
	}
	return s.limitTwoFactor(r, userOf(r).ID)
}

// signIn finishes a sign-in that passed its password or provider: a user
// of two-factor sign-in gives their code first unless this browser is
// remembered (ACC-7); then the session starts and the browser goes to next
// or the user's dashboard.
func (s *Server) signIn(w http.ResponseWriter, r *http.Request, u account.User, next string) error {
	if u.TwoFactor {
		remembered := false
		if c, err := r.Cookie(deviceCookie); err == nil {
			ok, err := s.Accounts.DeviceRemembered(r.Context(), u.ID, c.Value)
			if err != nil {
				return err
			}
			remembered = ok
		}
		if !remembered {
			token, err := s.Accounts.StartChallenge(r.Context(), u.ID, redirect.Local(next, ""))
			if err != nil {
				return err
			}
			s.setCookie(w, challengeCookie, token, "/login/two-factor", account.ChallengeTTL)
			http.Redirect(w, r, "/login/two-factor", http.StatusSeeOther)
			return nil
		}
	}
	if err := s.startSession(w, r, u); err != nil {
		return err
	}
	http.Redirect(w, r, redirect.Local(next, u.Dashboard()), http.StatusSeeOther)
	return nil
}

// setCookie sets an HTTP-only cookie for path that lasts ttl (0 clears it).
func (s *Server) setCookie(w http.ResponseWriter, name, value, path string, ttl time.Duration) {
	maxAge := int(ttl.Seconds())
	if ttl == 0 {
		maxAge = -1
	}
	http.SetCookie(w, &http.Cookie{Name: name, Value: value, Path: path, MaxAge: maxAge,
		HttpOnly: true, Secure: s.Config.SecureCookies(), SameSite: http.SameSiteLaxMode})
}

// twoFactorLoginPage is the data of the page asking for the code.
type twoFactorLoginPage struct {
	Page
	Name     string
	Remember bool
	Message  string
	Errors   map[string]string
}

// challenge returns the user of the browser's sign-in waiting for a code.
func (s *Server) challenge(r *http.Request) (account.User, string, string, error) {
	c, err := r.Cookie(challengeCookie)
	if err != nil {
		return account.User{}, "", "", apperr.Errorf(apperr.Unauthorized, "Your sign-in took too long. Please log in again.")
	}
	u, next, err := s.Accounts.Challenge(r.Context(), c.Value)
	return u, next, c.Value, err
}

// loginTwoFactorShow asks a signing-in user for their code (ACC-7).
func (s *Server) loginTwoFactorShow(w http.ResponseWriter, r *http.Request) error {
	u, _, _, err := s.challenge(r)
	if apperr.CodeOf(err) == apperr.Unauthorized {
		s.setFlash(w, apperr.MessageOf(err))
		http.Redirect(w, r, "/login", http.StatusSeeOther)
		return nil
	}
	if err != nil {
		return err
	}
	return s.render(w, http.StatusOK, "login_two_factor", twoFactorLoginPage{Page: s.page(w, r, "Two-factor sign-in"), Name: u.DisplayName})
}

// loginTwoFactorCreate checks the code of a signing-in user, at most
// five tries in five minutes per account, remembers the browser for 30 days
// when asked, and starts the session (ACC-7).
func (s *Server) loginTwoFactorCreate(w http.ResponseWriter, r *http.Request) error {
	if err := parseForm(w, r); err != nil {
		return err
	}
	u, next, token, err := s.challenge(r)
	if apperr.CodeOf(err) == apperr.Unauthorized {
		s.setFlash(w, apperr.MessageOf(err))
		http.Redirect(w, r, "/login", http.StatusSeeOther)
		return nil
	}
	if err != nil {
		return err
	}
	p := twoFactorLoginPage{Page: s.page(w, r, "Two-factor sign-in"), Name: u.DisplayName, Remember: r.PostFormValue("remember") != ""}
	err = s.limitTwoFactor(r, u.ID)
	if err == nil {
		_, err = s.Accounts.FinishChallenge(r.Context(), token, r.PostFormValue("code"))
	}
	if err != nil {
		e := apperr.As(err)
		if e == nil {
			return err
		}
		if e.RetryAfter > 0 {
			w.Header().Set("Retry-After", strconv.Itoa(int(e.RetryAfter.Seconds())))
		}
		p.Message, p.Errors = e.Message, e.Fields
		return s.render(w, statusOf(e.Code), "login_two_factor", p)
	}
	s.setCookie(w, challengeCookie, "", "/login/two-factor", 0)
	if p.Remember {
		device, _, err := s.Accounts.RememberDevice(r.Context(), u.ID)
		if err != nil {
			return err
		}
		s.setCookie(w, deviceCookie, device, "/", account.RememberDeviceFor)
	}
	if err := s.startSession(w, r, u); err != nil {
		return err
	}
	http.Redirect(w, r, redirect.Local(next, u.Dashboard()), http.StatusSeeOther)
	return nil
}
