package web

import (
	"net/http"

	"github.com/soulseer/soulseer/internal/account"
	"github.com/soulseer/soulseer/internal/apperr"
	"github.com/soulseer/soulseer/internal/deletion"
)

// deleteConfirmPage is the data of the page the deletion link opens.
type deleteConfirmPage struct {
	Page
	deletion.Preview
	Token   string
	Account account.User // whose account the link deletes; ID 0 when the link is bad
	Message string
}

// deleteAccountConfirmShow is where the emailed deletion link lands: it
// says once more what deleting does, and a button deletes, so a mail
// scanner that opens links deletes nothing (SEC-2). A bad or expired link
// is refused with a way to ask for a new one.
func (s *Server) deleteAccountConfirmShow(w http.ResponseWriter, r *http.Request) error {
	return s.renderDeleteConfirm(w, r, http.StatusOK, r.URL.Query().Get("token"), nil)
}

// renderDeleteConfirm renders the confirmation page for token, saying why
// when err refused it.
func (s *Server) renderDeleteConfirm(w http.ResponseWriter, r *http.Request, status int, token string, err error) error {
	p := deleteConfirmPage{Page: s.page(w, r, "Delete your account"), Token: token}
	u, uerr := s.Accounts.UserToDelete(r.Context(), s.DB.Read(), token)
	switch {
	case apperr.CodeOf(uerr) == apperr.Invalid:
		p.Message, status = apperr.MessageOf(uerr), http.StatusBadRequest
	case uerr != nil:
		return uerr
	default:
		p.Account = u
		if p.Preview, uerr = s.Deletion.Preview(r.Context(), u); uerr != nil {
			return uerr
		}
	}
	if err != nil {
		p.Message = apperr.MessageOf(err)
	}
	return s.render(w, status, "delete_account_confirm", p)
}

// deleteAccountConfirm deletes the account the link was sent for: what it
// has under way is settled, its data erased, and whoever is signed in to
// it is signed out (SEC-2).
func (s *Server) deleteAccountConfirm(w http.ResponseWriter, r *http.Request) error {
	if err := parseForm(w, r); err != nil {
		return err
	}
	token := r.PostFormValue("token")
	err := s.Deletion.Delete(r.Context(), token)
	if code := apperr.CodeOf(err); code == apperr.Invalid {
		return s.renderDeleteConfirm(w, r, statusOf(code), token, err)
	}
	if err != nil {
		return err
	}
	s.clearSessionCookie(w)
	s.setFlash(w, "Your account has been deleted. Thank you for the time you spent with SoulSeer.")
	http.Redirect(w, r, "/", http.StatusSeeOther)
	return nil
}
