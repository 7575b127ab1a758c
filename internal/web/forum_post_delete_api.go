package web

import "net/http"

// apiForumPostDelete deletes a post for its author or an admin (COM-2):
// 204; its place in the thread stays. A thread's opening post takes the
// thread with it (409 for its author once others have replied).
func (s *Server) apiForumPostDelete(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	if err := s.Forum.DeletePost(r.Context(), userOf(r), id); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}
