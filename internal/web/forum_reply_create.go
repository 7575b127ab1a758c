package web

import (
	"fmt"
	"net/http"
)

// forumReplyCreate replies to a thread from its page (COM-2), or shows the
// reply's preview above the composer; a refused body is shown beside it,
// as typed. The reply is then shown where it landed.
func (s *Server) forumReplyCreate(w http.ResponseWriter, r *http.Request) error {
	if err := parseForm(w, r); err != nil {
		return err
	}
	p, err := s.forumThreadData(w, r)
	if err != nil {
		return err
	}
	if p.Composer.read(r) {
		return s.render(w, http.StatusOK, "forum_thread", p)
	}
	post, err := s.Forum.Reply(r.Context(), userOf(r), p.Thread.ID, p.Composer.Body)
	if p.Composer.refused(err) {
		return s.render(w, http.StatusBadRequest, "forum_thread", p)
	}
	if err != nil {
		return err
	}
	http.Redirect(w, r, fmt.Sprintf("/forum/posts/%d", post.ID), http.StatusSeeOther)
	return nil
}
