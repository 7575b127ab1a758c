package web

import (
	"net/http"

	"github.com/soulseer/soulseer/internal/apperr"
)

// accountEmailCreate asks for a change of email address from the account
// page: the current password is required, a link goes to the new address
// and the address changes only when it is opened (ACC-9).
func (s *Server) accountEmailCreate(w http.ResponseWriter, r *http.Request) error {
	if err := parseForm(w, r); err != nil {
		return err
	}
	email := r.PostFormValue("email")
	ch, err := s.Accounts.RequestEmailChange(r.Context(), userOf(r).ID, email, r.PostFormValue("current_password"))
	if err != nil {
		return s.accountFormError(w, r, "email", err, func(p *accountPage) { p.NewEmail = email })
	}
	s.setFlash(w, "We sent a link to "+ch.NewEmail+". Your email address changes when you open it, within 24 hours.")
	http.Redirect(w, r, "/account", http.StatusSeeOther)
	return nil
}

// emailConfirmPage is the data of the page a change-of-address link opens.
type emailConfirmPage struct {
	Page
	Token   string
	Message string
}

// accountEmailConfirmShow is where the link sent to a new address lands: a
// button confirms the change, so a mail scanner that opens links changes
// nothing.
func (s *Server) accountEmailConfirmShow(w http.ResponseWriter, r *http.Request) error {
	return s.render(w, http.StatusOK, "account_email_confirm", emailConfirmPage{Page: s.page(w, r, "Confirm your new email address"),
		Token: r.URL.Query().Get("token")})
}

// accountEmailConfirm uses a change-of-address link (ACC-9); a used,
// expired or unknown link is refused on the page and changes nothing.
func (s *Server) accountEmailConfirm(w http.ResponseWriter, r *http.Request) error {
	if err := parseForm(w, r); err != nil {
		return err
	}
	token := r.PostFormValue("token")
	u, err := s.Accounts.ConfirmEmailChange(r.Context(), token)
	if err != nil {
		if code := apperr.CodeOf(err); code == apperr.Invalid || code == apperr.Conflict {
			return s.render(w, statusOf(code), "account_email_confirm", emailConfirmPage{Page: s.page(w, r, "Confirm your new email address"),
				Token: token, Message: apperr.MessageOf(err)})
		}
		return err
	}
	s.setFlash(w, "Your email address is now "+u.Email+".")
	next := "/login"
	if userOf(r).ID == u.ID {
		next = "/account"
	}
	http.Redirect(w, r, next, http.StatusSeeOther)
	return nil
}
