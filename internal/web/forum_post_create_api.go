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

// apiForumPostCreate replies to a thread (COM-2): 201 with the post; 409
// for a locked thread (admins may still reply).
func (s *Server) apiForumPostCreate(w http.ResponseWriter, r *http.Request) error {
	id, body, err := idAndBody(w, r)
	if err != nil {
		return err
	}
	p, err := s.Forum.Reply(r.Context(), userOf(r), id, body)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusCreated, p)
}
