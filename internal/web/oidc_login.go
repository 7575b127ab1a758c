package web

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"encoding/json"
	"net/http"

	"golang.org/x/oauth2"

	"github.com/soulseer/soulseer/internal/apperr"
)

// oidcCookie holds the state, nonce and PKCE verifier of a sign-in in
// progress, tying the provider's callback to the browser that started it.
const oidcCookie = "soulseer_oidc"

type oidcFlow struct {
	State    string `json:"s"`
	Nonce    string `json:"n"`
	Verifier string `json:"v"`
	Next     string `json:"x"`
}

func randomString() string {
	b := make([]byte, 24)
	_, _ = rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}

var errOIDCOff = apperr.Errorf(apperr.NotFound, "Sign-in with an external provider is not configured.")

// oidcLoginStart sends the browser to the OIDC provider (ACC-2).
func (s *Server) oidcLoginStart(w http.ResponseWriter, r *http.Request) error {
	if s.OIDC == nil {
		return errOIDCOff
	}
	flow := oidcFlow{State: randomString(), Nonce: randomString(), Verifier: oauth2.GenerateVerifier(), Next: r.URL.Query().Get("next")}
	target, err := s.OIDC.AuthCodeURL(r.Context(), flow.State, flow.Nonce, flow.Verifier)
	if err != nil {
		return err
	}
	b, _ := json.Marshal(flow)
	http.SetCookie(w, &http.Cookie{Name: oidcCookie, Value: base64.RawURLEncoding.EncodeToString(b), Path: "/auth/oidc/",
		MaxAge: 600, HttpOnly: true, Secure: s.Config.SecureCookies(), SameSite: http.SameSiteLaxMode})
	http.Redirect(w, r, target, http.StatusFound)
	return nil
}

// oidcLoginFinish completes sign-in on the provider's callback: it checks the
// state, exchanges the code, finds or creates the user (a new user becomes a
// client) and signs them in, asking for the two-factor code of a user who
// has it on (ACC-7).
func (s *Server) oidcLoginFinish(w http.ResponseWriter, r *http.Request) error {
	if s.OIDC == nil {
		return errOIDCOff
	}
	fail := func(msg string) error {
		return s.render(w, http.StatusBadRequest, "login", authPage{Page: s.page(w, r, "Log in"), Message: msg})
	}
	c, err := r.Cookie(oidcCookie)
	if err != nil {
		return fail("Your sign-in took too long or was started in another browser. Please try again.")
	}
	http.SetCookie(w, &http.Cookie{Name: oidcCookie, Path: "/auth/oidc/", MaxAge: -1})
	var flow oidcFlow
	raw, err := base64.RawURLEncoding.DecodeString(c.Value)
	if err != nil || json.Unmarshal(raw, &flow) != nil {
		return fail("Your sign-in could not be completed. Please try again.")
	}
	q := r.URL.Query()
	if e := q.Get("error"); e != "" {
		return fail("Sign-in with " + s.OIDC.Name + " was cancelled or refused.")
	}
	if subtle.ConstantTimeCompare([]byte(q.Get("state")), []byte(flow.State)) != 1 || q.Get("code") == "" {
		return fail("Your sign-in could not be completed. Please try again.")
	}
	id, err := s.OIDC.Exchange(r.Context(), q.Get("code"), flow.Verifier, flow.Nonce)
	if err != nil {
		if apperr.As(err) == nil {
			s.log.Warn("oidc exchange failed", "err", err)
			return fail("Sign-in with " + s.OIDC.Name + " could not be verified. Please try again.")
		}
		return fail(apperr.MessageOf(err))
	}
	u, err := s.Accounts.LoginOIDC(r.Context(), id)
	if err != nil {
		if apperr.As(err) != nil {
			return fail(apperr.MessageOf(err))
		}
		return err
	}
	return s.signIn(w, r, u, flow.Next)
}
