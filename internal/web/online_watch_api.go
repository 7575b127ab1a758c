package web

import (
	"net/http"
)

// apiOnlineWatchCreate asks to be told when the reader next comes online
// (RDR-7): once, in the app and by email. Only clients ask; asking again
// changes nothing.
func (s *Server) apiOnlineWatchCreate(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	if err := s.Readers.WatchOnline(r.Context(), userOf(r), id); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

// apiOnlineWatchDelete withdraws the caller's request about the reader;
// withdrawing none changes nothing.
func (s *Server) apiOnlineWatchDelete(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	if err := s.Readers.UnwatchOnline(r.Context(), userOf(r).ID, id); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}
