package web

import (
	"fmt"
	"net/http"

	"github.com/soulseer/soulseer/internal/forum"
)

// forumThreadNewPage is the data of the page starting a thread.
type forumThreadNewPage struct {
	Page
	Category forum.Category
	Composer composer
}

// forumThreadNew is the form starting a thread in a category (COM-2), for
// those who may post there; others are told why not.
func (s *Server) forumThreadNew(w http.ResponseWriter, r *http.Request) error {
	c, err := s.Forum.CategoryBySlug(r.Context(), r.PathValue("slug"))
	if err != nil {
		return err
	}
	if err := forum.MayWrite(userOf(r), c); err != nil {
		return err
	}
	return s.render(w, http.StatusOK, "forum_thread_new", s.forumThreadNewData(w, r, c))
}

func (s *Server) forumThreadNewData(w http.ResponseWriter, r *http.Request, c forum.Category) forumThreadNewPage {
	comp := newComposer("/forum/c/"+c.Slug+"/threads", "Start thread")
	comp.WithTitle = true
	return forumThreadNewPage{Page: s.page(w, r, "New thread in "+c.Name), Category: c, Composer: comp}
}

// forumThreadCreate starts a thread with its first post (COM-2), or shows
// its preview; a refused title or body is shown beside it, as typed.
func (s *Server) forumThreadCreate(w http.ResponseWriter, r *http.Request) error {
	if err := parseForm(w, r); err != nil {
		return err
	}
	c, err := s.Forum.CategoryBySlug(r.Context(), r.PathValue("slug"))
	if err != nil {
		return err
	}
	p := s.forumThreadNewData(w, r, c)
	if p.Composer.read(r) {
		return s.render(w, http.StatusOK, "forum_thread_new", p)
	}
	t, err := s.Forum.CreateThread(r.Context(), userOf(r), c.Slug, forum.ThreadInput{Title: p.Composer.Title, Body: p.Composer.Body})
	if p.Composer.refused(err) {
		return s.render(w, http.StatusBadRequest, "forum_thread_new", p)
	}
	if err != nil {
		return err
	}
	http.Redirect(w, r, fmt.Sprintf("/forum/t/%d", t.ID), http.StatusSeeOther)
	return nil
}
