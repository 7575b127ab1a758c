package web

import (
	"net/http"

	"github.com/soulseer/soulseer/internal/forum"
)

// forumPostEditPage is the data of the page editing a post.
type forumPostEditPage struct {
	Page
	Post     forum.Post
	Back     string // the post on its thread's page
	Composer composer
}

// forumPostEdit is the form editing a post, for its author or an admin
// (COM-2).
func (s *Server) forumPostEdit(w http.ResponseWriter, r *http.Request) error {
	p, err := s.forumPostEditData(w, r)
	if err != nil {
		return err
	}
	p.Composer.Body = p.Post.Body
	return s.render(w, http.StatusOK, "forum_post_edit", p)
}

func (s *Server) forumPostEditData(w http.ResponseWriter, r *http.Request) (forumPostEditPage, error) {
	post, back, err := s.forumPostAt(r)
	if err != nil {
		return forumPostEditPage{}, err
	}
	if err := forum.MayChange(userOf(r), post); err != nil {
		return forumPostEditPage{}, err
	}
	return forumPostEditPage{Page: s.page(w, r, "Edit post"), Post: post, Back: back,
		Composer: newComposer(r.URL.Path, "Save")}, nil
}

// forumPostUpdate saves a post's new text (COM-2): it is marked edited and
// its earlier text kept for admins; or shows the preview; a refused body is
// shown beside it, as typed.
func (s *Server) forumPostUpdate(w http.ResponseWriter, r *http.Request) error {
	if err := parseForm(w, r); err != nil {
		return err
	}
	p, err := s.forumPostEditData(w, r)
	if err != nil {
		return err
	}
	if p.Composer.read(r) {
		return s.render(w, http.StatusOK, "forum_post_edit", p)
	}
	_, err = s.Forum.EditPost(r.Context(), userOf(r), p.Post.ID, p.Composer.Body)
	if p.Composer.refused(err) {
		return s.render(w, http.StatusBadRequest, "forum_post_edit", p)
	}
	if err != nil {
		return err
	}
	http.Redirect(w, r, p.Back, http.StatusSeeOther)
	return nil
}
