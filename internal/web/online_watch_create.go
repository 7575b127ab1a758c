package web

import (
	"net/http"
	"strconv"

	"github.com/soulseer/soulseer/internal/apperr"
)

// onlineWatchCreate asks, from an offline reader's profile, to be told when
// they next come online (RDR-7), and returns to the profile saying so.
func (s *Server) onlineWatchCreate(w http.ResponseWriter, r *http.Request) error {
	return s.onlineWatchToggle(w, r, true)
}

// onlineWatchDelete withdraws that request from the profile.
func (s *Server) onlineWatchDelete(w http.ResponseWriter, r *http.Request) error {
	return s.onlineWatchToggle(w, r, false)
}

func (s *Server) onlineWatchToggle(w http.ResponseWriter, r *http.Request, on bool) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	u := userOf(r)
	if on {
		err = s.Readers.WatchOnline(r.Context(), u, id)
	} else {
		err = s.Readers.UnwatchOnline(r.Context(), u.ID, id)
	}
	switch {
	case err != nil && apperr.As(err) == nil:
		return err
	case err != nil:
		s.setFlash(w, apperr.MessageOf(err))
	case on:
		s.setFlash(w, "We will tell you once, here and by email, when they next come online.")
	default:
		s.setFlash(w, "You will not be told when they come online.")
	}
	http.Redirect(w, r, "/readers/"+strconv.FormatInt(id, 10), http.StatusSeeOther)
	return nil
}
