package web

import (
	"net/http"

	"github.com/soulseer/soulseer/internal/reader"
)

// readerListResponse is a page of the directory.
type readerListResponse struct {
	Readers []readerResponse `json:"readers"`
	Total   int              `json:"total"`
	Limit   int              `json:"limit"`
	Offset  int              `json:"offset"`
}

// apiReadersList lists verified readers with the directory's filters (RDR-4).
func (s *Server) apiReadersList(w http.ResponseWriter, r *http.Request) error {
	f, err := parseReaderFilter(r.URL.Query())
	if err != nil {
		return err
	}
	return s.writeReaderList(w, r, f)
}

func (s *Server) writeReaderList(w http.ResponseWriter, r *http.Request, f reader.Filter) error {
	list, total, err := s.Readers.List(r.Context(), f)
	if err != nil {
		return err
	}
	out := readerListResponse{Readers: make([]readerResponse, 0, len(list)), Total: total, Limit: f.Limit, Offset: f.Offset}
	for _, p := range list {
		out.Readers = append(out.Readers, readerJSON(p, userOf(r)))
	}
	return writeJSON(w, http.StatusOK, out)
}

// apiReaderShow returns one reader visible to the caller.
func (s *Server) apiReaderShow(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	p, err := s.Readers.Get(r.Context(), userOf(r), id)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, readerJSON(p, userOf(r)))
}
