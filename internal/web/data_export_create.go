package web

import (
	"net/http"

	"github.com/soulseer/soulseer/internal/apperr"
)

// dataExportCreate asks for an export of the signed-in person's data
// (SEC-1) and returns to the export page, which shows it being built.
// Within a day of the last export the page comes back with 429, saying
// when the next is possible.
func (s *Server) dataExportCreate(w http.ResponseWriter, r *http.Request) error {
	_, err := s.Privacy.Start(r.Context(), userOf(r))
	if apperr.CodeOf(err) == apperr.RateLimited {
		return s.renderDataExport(w, r, http.StatusTooManyRequests, apperr.MessageOf(err))
	}
	if err != nil {
		return err
	}
	s.setFlash(w, "Your export is being built. We will tell you here and by email when it is ready to download.")
	http.Redirect(w, r, "/accounts/export/", http.StatusSeeOther)
	return nil
}
