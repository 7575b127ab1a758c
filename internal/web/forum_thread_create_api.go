package web

import (
	"net/http"

	"github.com/soulseer/soulseer/internal/forum"
)

// forumThreadRequest is a new thread: its title and first post's Markdown.
type forumThreadRequest struct {
	Title string `json:"title"`
	Body  string `json:"body"`
}

// apiForumThreadCreate starts a thread in a category with its first post
// (COM-2): 201 with the thread; 403 in a readers-only category for a
// client, 409 in an archived one.
func (s *Server) apiForumThreadCreate(w http.ResponseWriter, r *http.Request) error {
	var req forumThreadRequest
	if err := decodeJSON(w, r, &req); err != nil {
		return err
	}
	t, err := s.Forum.CreateThread(r.Context(), userOf(r), r.PathValue("slug"), forum.ThreadInput{Title: req.Title, Body: req.Body})
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusCreated, t)
}
