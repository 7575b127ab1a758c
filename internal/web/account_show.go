package web

import (
	"net/http"
	"strings"

	"github.com/soulseer/soulseer/internal/account"
	"github.com/soulseer/soulseer/internal/apperr"
)

// accountPage is the data of the account settings page (ACC-9).
type accountPage struct {
	Page
	TimeZones    []string
	PendingEmail account.EmailChange // a change of address waiting for its link
	HasPending   bool
	Sessions     []account.SessionInfo
	// Form names the form that was refused ("settings", "email" or
	// "password"): its errors and typed values show beside it.
	Form        string
	Message     string
	Errors      map[string]string
	DisplayName string
	TimeZone    string
	NewEmail    string
}

// currentSession is the token of the session a request comes from, "" from
// an API token: the one that stays signed in when the user logs out
// everywhere else.
func currentSession(r *http.Request) string {
	if strings.HasPrefix(r.Header.Get("Authorization"), "Bearer ") {
		return ""
	}
	if c, err := r.Cookie(sessionCookie); err == nil {
		return c.Value
	}
	return ""
}

// accountData gathers the account page of the signed-in user.
func (s *Server) accountData(w http.ResponseWriter, r *http.Request) (accountPage, error) {
	u := userOf(r)
	p := accountPage{Page: s.page(w, r, "Account settings"), TimeZones: account.TimeZones(), DisplayName: u.DisplayName, TimeZone: u.TimeZone}
	var err error
	if p.PendingEmail, p.HasPending, err = s.Accounts.PendingEmailChange(r.Context(), u.ID); err != nil {
		return p, err
	}
	p.Sessions, err = s.Accounts.Sessions(r.Context(), u.ID, currentSession(r))
	return p, err
}

// accountShow renders the signed-in user's settings: name, time zone,
// photo, email address, password and sessions (ACC-9).
func (s *Server) accountShow(w http.ResponseWriter, r *http.Request) error {
	p, err := s.accountData(w, r)
	if err != nil {
		return err
	}
	return s.render(w, http.StatusOK, "account", p)
}

// accountFormError shows the account page again with err beside the form
// it came from, when err is the user's to fix; other errors are returned.
// Nothing was changed.
func (s *Server) accountFormError(w http.ResponseWriter, r *http.Request, form string, err error, keep func(*accountPage)) error {
	code := apperr.CodeOf(err)
	e := apperr.As(err)
	if e == nil || len(e.Fields) == 0 || (code != apperr.Invalid && code != apperr.Conflict) {
		return err
	}
	p, derr := s.accountData(w, r)
	if derr != nil {
		return derr
	}
	p.Form, p.Message, p.Errors = form, apperr.MessageOf(err), e.Fields
	keep(&p)
	return s.render(w, statusOf(code), "account", p)
}
