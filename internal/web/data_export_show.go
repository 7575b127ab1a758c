package web

import (
	"net/http"

	"github.com/soulseer/soulseer/internal/privacy"
)

// dataExportPage is the data of the export page.
type dataExportPage struct {
	Page
	privacy.Status
	Files []privacy.File
	Alert string // why a request from the page was refused
}

// State names where the latest export stands for the page: none,
// building, ready, failed or expired.
func (p dataExportPage) State() string {
	if p.Latest.ID == 0 {
		return "none"
	}
	return string(p.Latest.State)
}

// CanExport reports whether a new export may be asked for now.
func (p dataExportPage) CanExport() bool { return p.NextAt.IsZero() }

// dataExportShow shows the signed-in person what an export of their data
// holds, where their latest export stands — none, being built, ready with
// its link and expiry, failed, expired — and Export my data, or when the
// next export is possible (SEC-1).
func (s *Server) dataExportShow(w http.ResponseWriter, r *http.Request) error {
	return s.renderDataExport(w, r, http.StatusOK, "")
}

// renderDataExport renders the export page with status, saying alert
// when a request was refused.
func (s *Server) renderDataExport(w http.ResponseWriter, r *http.Request, status int, alert string) error {
	st, err := s.Privacy.Status(r.Context(), userOf(r))
	if err != nil {
		return err
	}
	return s.render(w, status, "data_export", dataExportPage{Page: s.page(w, r, "Export your data"), Status: st, Files: privacy.Files(), Alert: alert})
}
