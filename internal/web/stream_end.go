package web

import "net/http"

// streamEnd ends a live stream from its page (LIV-2): an admin ends any
// stream (recorded in the audit log as stream.end), its reader their own;
// anyone else is refused. Every viewer is told, and their connections
// closed, on every instance.
func (s *Server) streamEnd(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	st, err := s.Live.End(r.Context(), userOf(r), id)
	if err != nil {
		return err
	}
	s.setFlash(w, "“"+st.Title+"” has ended; its viewers were told.")
	http.Redirect(w, r, "/streams/"+r.PathValue("id"), http.StatusSeeOther)
	return nil
}
