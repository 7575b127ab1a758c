package web

import (
	"net/http"
	"time"

	"github.com/soulseer/soulseer/internal/apperr"
	"github.com/soulseer/soulseer/internal/deletion"
)

// deleteAccountPage is the data of the page that starts deleting one's
// account.
type deleteAccountPage struct {
	Page
	deletion.Preview
	LinkExpires time.Time // zero: no confirmation link is waiting
	Message     string
	Errors      map[string]string
}

// deleteAccountShow tells the signed-in person what deleting their
// account does — to their wallet, earnings, open readings, upcoming
// bookings and data — and asks for their password (and two-factor code)
// to email them the link that deletes it (SEC-2).
func (s *Server) deleteAccountShow(w http.ResponseWriter, r *http.Request) error {
	return s.renderDeleteAccount(w, r, http.StatusOK, nil)
}

// renderDeleteAccount renders the page, with the fields of err when a
// request from it was refused.
func (s *Server) renderDeleteAccount(w http.ResponseWriter, r *http.Request, status int, err error) error {
	u := userOf(r)
	p := deleteAccountPage{Page: s.page(w, r, "Delete your account")}
	var perr error
	if p.Preview, perr = s.Deletion.Preview(r.Context(), u); perr != nil {
		return perr
	}
	if p.LinkExpires, _, perr = s.Accounts.PendingDeletion(r.Context(), u.ID); perr != nil {
		return perr
	}
	if e := apperr.As(err); e != nil {
		p.Message, p.Errors = apperr.MessageOf(err), e.Fields
	}
	return s.render(w, status, "delete_account", p)
}

// deleteAccountCreate checks the password (and two-factor code) and emails
// the link that deletes the account; a wrong one is shown at its field and
// sends nothing.
func (s *Server) deleteAccountCreate(w http.ResponseWriter, r *http.Request) error {
	if err := parseForm(w, r); err != nil {
		return err
	}
	u := userOf(r)
	_, err := s.requestDeletion(r, r.PostFormValue("current_password"), r.PostFormValue("code"))
	if code := apperr.CodeOf(err); code == apperr.Invalid || code == apperr.Conflict || code == apperr.Unauthorized {
		return s.renderDeleteAccount(w, r, statusOf(code), err)
	}
	if err != nil {
		return err
	}
	s.setFlash(w, "We sent a link to "+u.Email+". Your account is deleted only when you open it, within 24 hours, and confirm.")
	http.Redirect(w, r, "/accounts/delete-account/", http.StatusSeeOther)
	return nil
}

// requestDeletion emails the signed-in user the link that deletes their
// account once password and, with two-factor sign-in, code are right; a
// code counts against the two-factor limit (ACC-7, SEC-3).
func (s *Server) requestDeletion(r *http.Request, password, code string) (time.Time, error) {
	u := userOf(r)
	if u.TwoFactor && code != "" {
		if err := s.limitTwoFactor(r, u.ID); err != nil {
			return time.Time{}, err
		}
	}
	return s.Accounts.RequestDeletion(r.Context(), u.ID, password, code)
}
