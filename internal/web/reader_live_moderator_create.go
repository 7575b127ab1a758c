package web

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/soulseer/soulseer/internal/apperr"
)

// readerLiveModeratorCreate appoints a moderator of the reader's streams
// from the go-live page (LIV-8): by email, or by user id from the list of
// current viewers. An email nobody has, a blank one, or the reader's own
// is shown beside the field, as typed.
func (s *Server) readerLiveModeratorCreate(w http.ResponseWriter, r *http.Request) error {
	if err := parseForm(w, r); err != nil {
		return err
	}
	u, ctx := userOf(r), r.Context()
	email := strings.TrimSpace(r.PostFormValue("email"))
	userID, _ := strconv.ParseInt(r.PostFormValue("user_id"), 10, 64)
	var err error
	switch {
	case userID > 0:
	case email == "":
		err = apperr.Validation(map[string]string{"email": "Write the email of the person to appoint."})
	default:
		appointee, gerr := s.Accounts.GetByEmail(ctx, email)
		if apperr.CodeOf(gerr) == apperr.NotFound {
			gerr = apperr.Validation(map[string]string{"email": "Nobody here has the email " + email + "."})
		}
		err, userID = gerr, appointee.ID
	}
	if err == nil {
		mod, aerr := s.Live.AppointModerator(ctx, u, userID)
		if aerr == nil {
			s.setFlash(w, mod.DisplayName+" moderates your streams now: they can hide messages, mute and ban viewers.")
			http.Redirect(w, r, "/reader/live", http.StatusSeeOther)
			return nil
		}
		err = aerr
		if c := apperr.CodeOf(err); c == apperr.Conflict || c == apperr.NotFound {
			err = apperr.Validation(map[string]string{"email": apperr.MessageOf(err)})
		}
	}
	e := apperr.As(err)
	if e == nil || e.Code != apperr.Invalid {
		return err
	}
	p, derr := s.readerLiveData(w, r)
	if derr != nil {
		return derr
	}
	p.ModEmail, p.ModErrors = email, e.Fields
	return s.render(w, http.StatusBadRequest, "reader_live", p)
}
