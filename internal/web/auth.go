package web

import (
	"net/http"
	"strconv"

	"github.com/soulseer/soulseer/internal/account"
	"github.com/soulseer/soulseer/internal/apperr"
	"github.com/soulseer/soulseer/internal/ratelimit"
)

// maxFormBody bounds url-encoded form bodies.
const maxFormBody = 64 << 10

// parseForm reads a url-encoded form body of bounded size.
func parseForm(w http.ResponseWriter, r *http.Request) error {
	r.Body = http.MaxBytesReader(w, r.Body, maxFormBody)
	if err := r.ParseForm(); err != nil {
		return apperr.Errorf(apperr.Invalid, "The form could not be read. Please try again.")
	}
	return nil
}

// limitAuth applies the login/sign-up limit per client IP (SEC-3). The
// limit is kept in the database, so it holds across instances.
func (s *Server) limitAuth(r *http.Request, action string) error {
	return s.Limiter.Allow(r.Context(), action+":"+clientIP(r),
		ratelimit.Rule{Limit: s.Config.AuthRateLimit, Window: s.Config.AuthRateWindow})
}

// startSession logs u in on this browser or client.
func (s *Server) startSession(w http.ResponseWriter, r *http.Request, u account.User) error {
	sess, err := s.Accounts.NewSession(r.Context(), u.ID, clientIP(r), r.UserAgent())
	if err != nil {
		return err
	}
	s.setSessionCookie(w, sess.Token, sess.ExpiresAt)
	return nil
}

// endSession logs the current browser or client out, if it is logged in.
func (s *Server) endSession(w http.ResponseWriter, r *http.Request) error {
	if c, err := r.Cookie(sessionCookie); err == nil && c.Value != "" {
		if err := s.Accounts.EndSession(r.Context(), c.Value); err != nil {
			return err
		}
	}
	s.clearSessionCookie(w)
	return nil
}

// authPage is the data of the sign-up, login and password pages.
type authPage struct {
	Page
	Email       string
	DisplayName string
	Next        string
	Token       string
	Message     string
	Errors      map[string]string
}

// withError puts err's message and field errors on the form.
func (p authPage) withError(err error) authPage {
	p.Message = apperr.MessageOf(err)
	if e := apperr.As(err); e != nil {
		p.Errors = e.Fields
	}
	return p
}

// formError re-renders a form with its errors when err is the user's to fix
// (invalid input, wrong password, rate limit, conflict), else returns err.
func (s *Server) formError(w http.ResponseWriter, name string, p authPage, err error) error {
	switch code := apperr.CodeOf(err); code {
	case apperr.Invalid, apperr.Unauthorized, apperr.Conflict, apperr.RateLimited, apperr.Unavailable:
		if e := apperr.As(err); e != nil && e.RetryAfter > 0 {
			w.Header().Set("Retry-After", strconv.Itoa(int(e.RetryAfter.Seconds())))
		}
		return s.render(w, statusOf(code), name, p.withError(err))
	}
	return err
}
