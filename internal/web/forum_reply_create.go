package web

import (
	"fmt"
	"net/http"
)

// forumReplyCreate replies to a thread from its page with the reply's
// attachments (COM-2, COM-3), or shows the reply's preview above the
// composer; a refused body, file or attachment is shown beside it, as
// typed and chosen. The reply is then shown where it landed.
func (s *Server) forumReplyCreate(w http.ResponseWriter, r *http.Request) error {
	if err := parseComposerForm(w, r); err != nil {
		return err
	}
	p, err := s.forumThreadData(w, r)
	if err != nil {
		return err
	}
	if done, err := s.readComposer(w, r, &p.Composer, "forum_thread", &p); done {
		return err
	}
	post, err := s.Forum.Reply(r.Context(), userOf(r), p.Thread.ID, p.Composer.Body, p.Composer.attachmentIDs()...)
	if p.Composer.refused(err) {
		return s.render(w, http.StatusBadRequest, "forum_thread", p)
	}
	if err != nil {
		return err
	}
	http.Redirect(w, r, fmt.Sprintf("/forum/posts/%d", post.ID), http.StatusSeeOther)
	return nil
}
