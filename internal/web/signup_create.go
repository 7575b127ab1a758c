package web

import (
	"net/http"

	"github.com/soulseer/soulseer/internal/account"
	"github.com/soulseer/soulseer/internal/redirect"
)

// signupShow renders the sign-up form.
func (s *Server) signupShow(w http.ResponseWriter, r *http.Request) error {
	if u := userOf(r); u.ID != 0 {
		http.Redirect(w, r, u.Dashboard(), http.StatusSeeOther)
		return nil
	}
	return s.render(w, http.StatusOK, "signup", authPage{Page: s.page(w, r, "Create your account"), Next: r.URL.Query().Get("next")})
}

// signupCreate creates a client account and logs it in (ACC-1).
func (s *Server) signupCreate(w http.ResponseWriter, r *http.Request) error {
	if err := parseForm(w, r); err != nil {
		return err
	}
	in := account.SignUpInput{Email: r.PostFormValue("email"), Password: r.PostFormValue("password"), DisplayName: r.PostFormValue("display_name")}
	p := authPage{Page: s.page(w, r, "Create your account"), Email: in.Email, DisplayName: in.DisplayName, Next: r.PostFormValue("next")}
	if err := s.limitAuth(r, "signup"); err != nil {
		return s.formError(w, "signup", p, err)
	}
	u, err := s.Accounts.SignUp(r.Context(), in)
	if err != nil {
		return s.formError(w, "signup", p, err)
	}
	if err := s.startSession(w, r, u); err != nil {
		return err
	}
	s.setFlash(w, "Welcome to SoulSeer, "+u.DisplayName+"!")
	http.Redirect(w, r, redirect.Local(p.Next, u.Dashboard()), http.StatusSeeOther)
	return nil
}

// apiSignupRequest is the body of POST /api/v1/auth/signup.
type apiSignupRequest struct {
	Email       string `json:"email"`
	Password    string `json:"password"`
	DisplayName string `json:"display_name"`
}

// apiSignupCreate creates a client account and answers 201 with a session
// cookie.
func (s *Server) apiSignupCreate(w http.ResponseWriter, r *http.Request) error {
	var req apiSignupRequest
	if err := decodeJSON(w, r, &req); err != nil {
		return err
	}
	in := account.SignUpInput{Email: req.Email, Password: req.Password, DisplayName: req.DisplayName}
	if err := in.Validate(); err != nil {
		return err
	}
	if err := s.limitAuth(r, "signup"); err != nil {
		return err
	}
	u, err := s.Accounts.SignUp(r.Context(), in)
	if err != nil {
		return err
	}
	if err := s.startSession(w, r, u); err != nil {
		return err
	}
	return writeJSON(w, http.StatusCreated, s.userJSON(r, u))
}
