package web

import (
	"net/http"
	"net/url"
	"strconv"

	"github.com/soulseer/soulseer/internal/apperr"
	"github.com/soulseer/soulseer/internal/block"
	"github.com/soulseer/soulseer/internal/redirect"
)

// blockedPage is the data of the blocked list.
type blockedPage struct {
	Page
	Blocks []block.Entry
}

// blockedShow lists everyone the signed-in person has blocked, with
// Unblock (ACC-6). Blocks others made are not shown.
func (s *Server) blockedShow(w http.ResponseWriter, r *http.Request) error {
	list, err := s.Blocks.List(r.Context(), userOf(r).ID)
	if err != nil {
		return err
	}
	return s.render(w, http.StatusOK, "account_blocked", blockedPage{Page: s.page(w, r, "Blocked"), Blocks: list})
}

// blockCreate blocks the user in the form's user_id (ACC-6) — a client a
// reader, a reader a client — and returns to the page the form was on,
// saying what it means.
func (s *Server) blockCreate(w http.ResponseWriter, r *http.Request) error {
	if err := parseForm(w, r); err != nil {
		return err
	}
	id, err := strconv.ParseInt(r.PostFormValue("user_id"), 10, 64)
	if err != nil || id <= 0 {
		s.setFlash(w, "Choose whom to block.")
		http.Redirect(w, r, backTo(r, "/account/blocked"), http.StatusSeeOther)
		return nil
	}
	e, err := s.Blocks.Block(r.Context(), userOf(r), id)
	if err != nil {
		if apperr.As(err) == nil {
			return err
		}
		s.setFlash(w, apperr.MessageOf(err))
	} else {
		s.setFlash(w, "You blocked "+e.DisplayName+". Neither of you can reach the other until you unblock them.")
	}
	http.Redirect(w, r, backTo(r, "/account/blocked"), http.StatusSeeOther)
	return nil
}

// blockDelete lifts the person's block of a user and returns to the page
// the form was on.
func (s *Server) blockDelete(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	if err := s.Blocks.Unblock(r.Context(), userOf(r), id); err != nil {
		return err
	}
	s.setFlash(w, "Unblocked.")
	http.Redirect(w, r, backTo(r, "/account/blocked"), http.StatusSeeOther)
	return nil
}

// backTo is the local page a form was sent from, else fallback.
func backTo(r *http.Request, fallback string) string {
	if ref, err := url.Parse(r.Referer()); err == nil && ref.Host == r.Host {
		return redirect.Local(ref.RequestURI(), fallback)
	}
	return fallback
}
