package web

import "net/http"

// readerLiveModeratorDelete ends a moderator's appointment from the
// go-live page (LIV-8); they can no longer moderate the reader's streams.
// Removing someone who is not a moderator changes nothing.
func (s *Server) readerLiveModeratorDelete(w http.ResponseWriter, r *http.Request) error {
	id, err := blockedUserID(r)
	if err != nil {
		return err
	}
	if err := s.Live.DismissModerator(r.Context(), userOf(r), id); err != nil {
		return err
	}
	s.setFlash(w, "That moderator was removed.")
	http.Redirect(w, r, "/reader/live", http.StatusSeeOther)
	return nil
}
