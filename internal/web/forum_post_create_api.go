package web

import "net/http"

// forumPostRequest is a post's Markdown.
type forumPostRequest struct {
	Body string `json:"body"`
}

// idAndBody reads the {id} path parameter and a post's Markdown from the
// request's JSON.
func idAndBody(w http.ResponseWriter, r *http.Request) (int64, string, error) {
	id, err := pathID(r)
	if err != nil {
		return 0, "", err
	}
	var req forumPostRequest
	err = decodeJSON(w, r, &req)
	return id, req.Body, err
}

// forumReplyRequest is a reply: its Markdown and the caller's uploads it
// carries.
type forumReplyRequest struct {
	Body          string  `json:"body"`
	AttachmentIDs []int64 `json:"attachment_ids"`
}

// apiForumPostCreate replies to a thread (COM-2) with the caller's fresh
// uploads attachment_ids (COM-3): 201 with the post; 409 for a locked
// thread (admins may still reply); 400 naming attachment_ids for uploads
// not theirs to attach.
func (s *Server) apiForumPostCreate(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	var req forumReplyRequest
	if err := decodeJSON(w, r, &req); err != nil {
		return err
	}
	p, err := s.Forum.Reply(r.Context(), userOf(r), id, req.Body, req.AttachmentIDs...)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusCreated, p)
}
