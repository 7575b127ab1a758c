package web

import (
	"html/template"
	"net/http"
	"net/url"

	"github.com/soulseer/soulseer/internal/account"
	"github.com/soulseer/soulseer/internal/apperr"
	"github.com/soulseer/soulseer/internal/redirect"
)

// twoFactorPage is the data of the account's two-factor page (ACC-7).
type twoFactorPage struct {
	Page
	Next          string // where an enrolment asked for goes on to
	Pending       bool   // a secret waits for its first code
	Enrolment     account.TwoFactorEnrolment
	QR            template.HTML // the enrolment's QR code, inline SVG
	RecoveryCodes []string      // shown once, just after they were made
	CodesLeft     int
	Form          string // the form refused: "confirm", "codes" or "disable"
	Message       string
	Errors        map[string]string
}

// codeField is a form's code input with its refusal, if that form was
// the one refused.
type codeField struct {
	Message  string
	Errors   map[string]string
	Recovery bool // a recovery code is accepted too
}

// Field returns the code input of form: "confirm", "codes" or "disable".
func (p twoFactorPage) Field(form string) codeField {
	f := codeField{Recovery: form != "confirm"}
	if p.Form == form {
		f.Message, f.Errors = p.Message, p.Errors
	}
	return f
}

// twoFactorData gathers the page for the signed-in user.
func (s *Server) twoFactorData(w http.ResponseWriter, r *http.Request) (twoFactorPage, error) {
	u := userOf(r)
	p := twoFactorPage{Page: s.page(w, r, "Two-factor sign-in"), Next: redirect.Local(r.FormValue("next"), "")}
	var err error
	if u.TwoFactor {
		p.CodesLeft, err = s.Accounts.RecoveryCodesLeft(r.Context(), u.ID)
		return p, err
	}
	if p.Enrolment, p.Pending, err = s.Accounts.PendingTwoFactor(r.Context(), u); err != nil || !p.Pending {
		return p, err
	}
	p.QR, err = qrSVG(p.Enrolment.URL, "QR code of your SoulSeer sign-in secret, for your authenticator app")
	return p, err
}

// accountTwoFactorShow shows whether two-factor sign-in is on, the QR code
// of an enrolment under way, or how many recovery codes are left (ACC-7).
func (s *Server) accountTwoFactorShow(w http.ResponseWriter, r *http.Request) error {
	p, err := s.twoFactorData(w, r)
	if err != nil {
		return err
	}
	return s.render(w, http.StatusOK, "account_two_factor", p)
}

// accountTwoFactorSetup makes a new secret and shows its QR code.
func (s *Server) accountTwoFactorSetup(w http.ResponseWriter, r *http.Request) error {
	if err := parseForm(w, r); err != nil {
		return err
	}
	if _, err := s.Accounts.BeginTwoFactor(r.Context(), userOf(r)); err != nil && apperr.CodeOf(err) != apperr.Conflict {
		return err
	}
	target := "/account/two-factor"
	if next := redirect.Local(r.PostFormValue("next"), ""); next != "" {
		target += "?next=" + url.QueryEscape(next)
	}
	http.Redirect(w, r, target, http.StatusSeeOther)
	return nil
}

// twoFactorAction runs a form of the page that needs a code: confirm,
// codes (new recovery codes) or disable; a refused code is told beside the
// form's field.
func (s *Server) twoFactorAction(w http.ResponseWriter, r *http.Request, form string, act func(u account.User, code string) ([]string, error)) error {
	if err := parseForm(w, r); err != nil {
		return err
	}
	u := userOf(r)
	code := r.PostFormValue("code")
	err := s.tryCode(r, code)
	var codes []string
	if err == nil {
		codes, err = act(u, code)
	}
	if err != nil && apperr.As(err) == nil {
		return err
	}
	if err == nil && codes == nil {
		s.setFlash(w, "Two-factor sign-in is off.")
		http.Redirect(w, r, "/account/two-factor", http.StatusSeeOther)
		return nil
	}
	// Read the page again: confirming turned two-factor on for this request.
	u, gerr := s.Accounts.Get(r.Context(), u.ID)
	if gerr != nil {
		return gerr
	}
	r = withValue(r, ctxUser, u)
	p, derr := s.twoFactorData(w, r)
	if derr != nil {
		return derr
	}
	p.RecoveryCodes = codes
	status := http.StatusOK
	if e := apperr.As(err); e != nil {
		p.Form, p.Message, p.Errors = form, e.Message, e.Fields
		status = statusOf(e.Code)
	}
	return s.render(w, status, "account_two_factor", p)
}

// accountTwoFactorConfirm turns two-factor sign-in on with the first code
// and shows the recovery codes once (ACC-7).
func (s *Server) accountTwoFactorConfirm(w http.ResponseWriter, r *http.Request) error {
	return s.twoFactorAction(w, r, "confirm", func(u account.User, code string) ([]string, error) {
		return s.Accounts.ConfirmTwoFactor(r.Context(), u, code)
	})
}

// accountTwoFactorCodes replaces the recovery codes after a code.
func (s *Server) accountTwoFactorCodes(w http.ResponseWriter, r *http.Request) error {
	return s.twoFactorAction(w, r, "codes", func(u account.User, code string) ([]string, error) {
		return s.Accounts.RegenerateRecoveryCodes(r.Context(), u, code)
	})
}

// accountTwoFactorDisable turns two-factor sign-in off after a code.
func (s *Server) accountTwoFactorDisable(w http.ResponseWriter, r *http.Request) error {
	return s.twoFactorAction(w, r, "disable", func(u account.User, code string) ([]string, error) {
		return nil, s.Accounts.DisableTwoFactor(r.Context(), u, code)
	})
}
