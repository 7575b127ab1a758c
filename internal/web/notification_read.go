package web

import (
	"net/http"
	"strconv"

	"github.com/soulseer/soulseer/internal/apperr"
	"github.com/soulseer/soulseer/internal/redirect"
)

// notificationsRead marks the person's notifications read from a page form
// (MSG-2) — the ids named, or all with all=1 — and goes on to next, a local
// address: the notification's own link when it was opened from the bell or
// the list, else back to the list. A refused form says why on the list.
func (s *Server) notificationsRead(w http.ResponseWriter, r *http.Request) error {
	if err := parseForm(w, r); err != nil {
		return err
	}
	next := redirect.Local(r.PostFormValue("next"), "/notifications")
	var ids []int64
	for _, v := range r.PostForm["id"] {
		id, err := strconv.ParseInt(v, 10, 64)
		if err != nil {
			id = -1 // refused below with the others
		}
		ids = append(ids, id)
	}
	ids, err := markReadIDs(ids, r.PostFormValue("all") != "")
	if err == nil {
		_, err = s.Notify.MarkRead(r.Context(), userOf(r).ID, ids)
	}
	if err != nil {
		if apperr.As(err) == nil {
			return err
		}
		s.setFlash(w, refusal(err))
		next = "/notifications"
	}
	http.Redirect(w, r, next, http.StatusSeeOther)
	return nil
}

// refusal says in one line why a form without its own field errors on the
// page was refused: a field's error when there is one.
func refusal(err error) string {
	if e := apperr.As(err); e != nil {
		for _, v := range e.Fields {
			return v
		}
	}
	return apperr.MessageOf(err)
}
