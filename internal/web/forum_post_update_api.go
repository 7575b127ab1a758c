package web

import "net/http"

// apiForumPostUpdate replaces a post's text for its author or an admin
// (COM-2): 200 with the post, marked edited, its earlier text kept for
// admins.
func (s *Server) apiForumPostUpdate(w http.ResponseWriter, r *http.Request) error {
	id, body, err := idAndBody(w, r)
	if err != nil {
		return err
	}
	p, err := s.Forum.EditPost(r.Context(), userOf(r), id, body)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, p)
}
