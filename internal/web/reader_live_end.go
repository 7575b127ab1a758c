package web

import "net/http"

// readerLiveEnd ends the reader's live stream from the go-live page
// (LIV-1): every viewer is told it has ended. Not being live is fine: the
// page shows the form again either way.
func (s *Server) readerLiveEnd(w http.ResponseWriter, r *http.Request) error {
	u := userOf(r)
	st, ok, err := s.Live.Current(r.Context(), u)
	if err != nil {
		return err
	}
	if ok {
		if _, err := s.Live.End(r.Context(), u, st.ID); err != nil {
			return err
		}
		s.setFlash(w, "Your stream has ended.")
	}
	http.Redirect(w, r, "/reader/live", http.StatusSeeOther)
	return nil
}
