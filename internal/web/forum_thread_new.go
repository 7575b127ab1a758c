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
	comp.WithTitle, comp.Attach = true, true
	return forumThreadNewPage{Page: s.page(w, r, "New thread in "+c.Name), Category: c, Composer: comp}
}

// forumThreadCreate starts a thread with its first post and its
// attachments (COM-2, COM-3), or shows its preview; a refused title, body,
// file or attachment is shown beside it, as typed and chosen.
func (s *Server) forumThreadCreate(w http.ResponseWriter, r *http.Request) error {
	if err := parseComposerForm(w, r); err != nil {
		return err
	}
	c, err := s.Forum.CategoryBySlug(r.Context(), r.PathValue("slug"))
	if err != nil {
		return err
	}
	p := s.forumThreadNewData(w, r, c)
	if done, err := s.readComposer(w, r, &p.Composer, "forum_thread_new", &p); done {
		return err
	}
	t, err := s.Forum.CreateThread(r.Context(), userOf(r), c.Slug,
		forum.ThreadInput{Title: p.Composer.Title, Body: p.Composer.Body, Attachments: p.Composer.attachmentIDs()})
	if p.Composer.refused(err) {
		return s.render(w, http.StatusBadRequest, "forum_thread_new", p)
	}
	if err != nil {
		return err
	}
	http.Redirect(w, r, fmt.Sprintf("/forum/t/%d", t.ID), http.StatusSeeOther)
	return nil
}
