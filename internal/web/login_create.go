package web

import (
	"net/http"

	"github.com/soulseer/soulseer/internal/apperr"
	"github.com/soulseer/soulseer/internal/redirect"
)

// loginShow renders the login form.
func (s *Server) loginShow(w http.ResponseWriter, r *http.Request) error {
	if u := userOf(r); u.ID != 0 {
		http.Redirect(w, r, redirect.Local(r.URL.Query().Get("next"), u.Dashboard()), http.StatusSeeOther)
		return nil
	}
	return s.render(w, http.StatusOK, "login", authPage{Page: s.page(w, r, "Log in"), Next: r.URL.Query().Get("next")})
}

// loginCreate checks the email and password, starts a session and sends the
// user to their role's dashboard (ACC-1, ACC-4).
func (s *Server) loginCreate(w http.ResponseWriter, r *http.Request) error {
	if err := parseForm(w, r); err != nil {
		return err
	}
	p := authPage{Page: s.page(w, r, "Log in"), Email: r.PostFormValue("email"), Next: r.PostFormValue("next")}
	if err := s.limitAuth(r, "login"); err != nil {
		return s.formError(w, "login", p, err)
	}
	u, err := s.Accounts.Login(r.Context(), p.Email, r.PostFormValue("password"))
	if err != nil {
		return s.formError(w, "login", p, err)
	}
	return s.signIn(w, r, u, p.Next)
}

// apiLoginRequest is the body of POST /api/v1/auth/login; code is the
// two-factor code of a user who has it on (ACC-7).
type apiLoginRequest struct {
	Email    string `json:"email"`
	Password string `json:"password"`
	Code     string `json:"code"`
}

// twoFactorRequired is the 401 of a login that needs a (right) two-factor
// code: its problem type tells an app to ask for one.
func twoFactorRequired(msg string) error {
	return &apperr.Error{Code: apperr.Unauthorized, Message: msg, Fields: map[string]string{"code": msg}, Problem: "two-factor-required"}
}

// apiLoginCreate logs in and answers 200 with a session cookie. A user of
// two-factor sign-in gets a 401 of type two-factor-required until the
// request carries a right code, at most five tries in five minutes (ACC-7).
func (s *Server) apiLoginCreate(w http.ResponseWriter, r *http.Request) error {
	var req apiLoginRequest
	if err := decodeJSON(w, r, &req); err != nil {
		return err
	}
	fields := map[string]string{}
	if req.Email == "" {
		fields["email"] = "Enter your email address."
	}
	if req.Password == "" {
		fields["password"] = "Enter your password."
	}
	if err := apperr.Validation(fields); err != nil {
		return err
	}
	if err := s.limitAuth(r, "login"); err != nil {
		return err
	}
	u, err := s.Accounts.Login(r.Context(), req.Email, req.Password)
	if err != nil {
		return err
	}
	if u.TwoFactor {
		if req.Code == "" {
			return twoFactorRequired("Enter the code from your authenticator app, or a recovery code.")
		}
		if err := s.limitTwoFactor(r, u.ID); err != nil {
			return err
		}
		if err := s.Accounts.VerifyTwoFactor(r.Context(), u.ID, req.Code); err != nil {
			if apperr.CodeOf(err) == apperr.Unauthorized {
				return twoFactorRequired(apperr.MessageOf(err))
			}
			return err
		}
	}
	if err := s.startSession(w, r, u); err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, s.userJSON(r, u))
}

// logoutCreate ends the browser's session.
func (s *Server) logoutCreate(w http.ResponseWriter, r *http.Request) error {
	if err := s.endSession(w, r); err != nil {
		return err
	}
	s.setFlash(w, "You have been logged out. See you soon.")
	http.Redirect(w, r, "/", http.StatusSeeOther)
	return nil
}

// apiLogoutCreate ends the session of the cookie sent, if any, and answers 204.
func (s *Server) apiLogoutCreate(w http.ResponseWriter, r *http.Request) error {
	if err := s.endSession(w, r); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}
