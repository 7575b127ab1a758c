package web

import (
	"net/http"

	"github.com/soulseer/soulseer/internal/forum"
)

// forumThreadRequest is a new thread: its title and first post's Markdown.
type forumThreadRequest struct {
	Title         string  `json:"title"`
	Body          string  `json:"body"`
	AttachmentIDs []int64 `json:"attachment_ids"` // the caller's uploads the post carries (COM-3)
}

// apiForumThreadCreate starts a thread in a category with its first post
// (COM-2), carrying the caller's fresh uploads attachment_ids (COM-3): 201
// with the thread; 403 in a readers-only category for a client, 409 in an
// archived one, 400 naming attachment_ids for uploads not theirs to attach.
func (s *Server) apiForumThreadCreate(w http.ResponseWriter, r *http.Request) error {
	var req forumThreadRequest
	if err := decodeJSON(w, r, &req); err != nil {
		return err
	}
	t, err := s.Forum.CreateThread(r.Context(), userOf(r), r.PathValue("slug"), forum.ThreadInput{Title: req.Title, Body: req.Body,
		Attachments: req.AttachmentIDs})
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusCreated, t)
}
