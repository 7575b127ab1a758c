package web

import (
	"net/http"

	"github.com/soulseer/soulseer/internal/apperr"
)

// forumPostDelete deletes a post from its thread's page for its author or
// an admin (COM-2): its place stays, marked deleted; the opening post
// takes its thread, and the user goes back to the category. A deletion
// refused because others have replied is said on the thread's page.
func (s *Server) forumPostDelete(w http.ResponseWriter, r *http.Request) error {
	post, back, err := s.forumPostAt(r)
	if err != nil {
		return err
	}
	t, first, _, err := s.Forum.Thread(r.Context(), post.ThreadID, 1)
	if err != nil {
		return err
	}
	err = s.Forum.DeletePost(r.Context(), userOf(r), post.ID)
	switch {
	case apperr.CodeOf(err) == apperr.Conflict:
		s.setFlash(w, apperr.MessageOf(err))
	case err != nil:
		return err
	case first[0].ID == post.ID:
		s.setFlash(w, "The thread “"+t.Title+"” is deleted.")
		back = "/forum/c/" + t.CategorySlug
	default:
		s.setFlash(w, "The post is deleted.")
	}
	http.Redirect(w, r, back, http.StatusSeeOther)
	return nil
}
