package web

import (
	"net/http"

	"github.com/soulseer/soulseer/internal/privacy"
)

// apiDataExportCreate asks for an export of the caller's data (SEC-1):
// 202 with the export, being built; within a day of the last one, 429
// saying when the next is possible (Retry-After).
func (s *Server) apiDataExportCreate(w http.ResponseWriter, r *http.Request) error {
	e, err := s.Privacy.Start(r.Context(), userOf(r))
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusAccepted, exportJSON(e, e.CreatedAt.Add(privacy.ExportInterval)))
}
