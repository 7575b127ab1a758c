package web

import (
	"net/http"
)

// passwordForgotShow renders the "forgot password" form.
func (s *Server) passwordForgotShow(w http.ResponseWriter, r *http.Request) error {
	return s.render(w, http.StatusOK, "password_forgot", authPage{Page: s.page(w, r, "Reset your password")})
}

// passwordForgotCreate emails a reset link. It shows the same confirmation
// whether or not the address has an account.
func (s *Server) passwordForgotCreate(w http.ResponseWriter, r *http.Request) error {
	if err := parseForm(w, r); err != nil {
		return err
	}
	p := authPage{Page: s.page(w, r, "Reset your password"), Email: r.PostFormValue("email")}
	if err := s.limitAuth(r, "password"); err != nil {
		return s.formError(w, "password_forgot", p, err)
	}
	if err := s.Accounts.RequestPasswordReset(r.Context(), p.Email); err != nil {
		return s.formError(w, "password_forgot", p, err)
	}
	s.setFlash(w, "If an account uses "+p.Email+", a reset link is on its way. It works for one hour.")
	http.Redirect(w, r, "/login", http.StatusSeeOther)
	return nil
}

// passwordResetShow renders the "choose a new password" form of a reset link.
func (s *Server) passwordResetShow(w http.ResponseWriter, r *http.Request) error {
	return s.render(w, http.StatusOK, "password_reset", authPage{Page: s.page(w, r, "Choose a new password"), Token: r.URL.Query().Get("token")})
}

// passwordResetCreate sets the new password and logs the user in.
func (s *Server) passwordResetCreate(w http.ResponseWriter, r *http.Request) error {
	if err := parseForm(w, r); err != nil {
		return err
	}
	p := authPage{Page: s.page(w, r, "Choose a new password"), Token: r.PostFormValue("token")}
	u, err := s.Accounts.ResetPassword(r.Context(), p.Token, r.PostFormValue("password"))
	if err != nil {
		return s.formError(w, "password_reset", p, err)
	}
	if err := s.startSession(w, r, u); err != nil {
		return err
	}
	s.setFlash(w, "Your password has been changed.")
	http.Redirect(w, r, u.Dashboard(), http.StatusSeeOther)
	return nil
}

// apiPasswordForgotRequest is the body of POST /api/v1/auth/password/forgot.
type apiPasswordForgotRequest struct {
	Email string `json:"email"`
}

// apiPasswordForgotCreate emails a reset link and answers 202 either way.
func (s *Server) apiPasswordForgotCreate(w http.ResponseWriter, r *http.Request) error {
	var req apiPasswordForgotRequest
	if err := decodeJSON(w, r, &req); err != nil {
		return err
	}
	if err := s.limitAuth(r, "password"); err != nil {
		return err
	}
	if err := s.Accounts.RequestPasswordReset(r.Context(), req.Email); err != nil {
		return err
	}
	return writeJSON(w, http.StatusAccepted, map[string]string{"status": "If the address has an account, a reset link was sent."})
}

// apiPasswordResetRequest is the body of POST /api/v1/auth/password/reset.
type apiPasswordResetRequest struct {
	Token    string `json:"token"`
	Password string `json:"password"`
}

// apiPasswordResetCreate sets a new password with a reset token and answers
// 200 with a new session cookie.
func (s *Server) apiPasswordResetCreate(w http.ResponseWriter, r *http.Request) error {
	var req apiPasswordResetRequest
	if err := decodeJSON(w, r, &req); err != nil {
		return err
	}
	u, err := s.Accounts.ResetPassword(r.Context(), req.Token, req.Password)
	if err != nil {
		return err
	}
	if err := s.startSession(w, r, u); err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, s.userJSON(r, u))
}
