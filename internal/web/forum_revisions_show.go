package web

import (
	"net/http"

	"github.com/soulseer/soulseer/internal/forum"
)

// forumRevisionsPage is the data of a post's history.
type forumRevisionsPage struct {
	Page
	Post      forum.Post
	Back      string
	Revisions []forum.Revision
}

// forumRevisionsShow is what a post said before each edit, oldest first,
// beside what it says now, for admins (COM-2).
func (s *Server) forumRevisionsShow(w http.ResponseWriter, r *http.Request) error {
	post, back, err := s.forumPostAt(r)
	if err != nil {
		return err
	}
	revs, err := s.Forum.Revisions(r.Context(), userOf(r), post.ID)
	if err != nil {
		return err
	}
	return s.render(w, http.StatusOK, "forum_revisions", forumRevisionsPage{Page: s.page(w, r, "Post history"), Post: post, Back: back, Revisions: revs})
}
