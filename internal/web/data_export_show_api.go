package web

import (
	"net/http"
	"time"

	"github.com/soulseer/soulseer/internal/apperr"
	"github.com/soulseer/soulseer/internal/privacy"
)

// dataExportJSON is an export of a person's data as the API shows it.
type dataExportJSON struct {
	ID          int64      `json:"id"`
	State       string     `json:"state"`
	CreatedAt   time.Time  `json:"created_at"`
	ReadyAt     *time.Time `json:"ready_at,omitempty"`
	ExpiresAt   *time.Time `json:"expires_at,omitempty"`
	DownloadURL string     `json:"download_url,omitempty"`
	// NextExportAt is the earliest time another export may be asked for,
	// when that is still to come.
	NextExportAt *time.Time `json:"next_export_at,omitempty"`
}

// exportJSON is e with next, the time the next export is possible (zero:
// now).
func exportJSON(e privacy.Export, next time.Time) dataExportJSON {
	at := func(t time.Time) *time.Time {
		if t.IsZero() {
			return nil
		}
		return &t
	}
	return dataExportJSON{ID: e.ID, State: string(e.State), CreatedAt: e.CreatedAt, ReadyAt: at(e.ReadyAt), ExpiresAt: at(e.ExpiresAt),
		DownloadURL: e.DownloadURL, NextExportAt: at(next)}
}

// apiDataExportShow answers the caller's latest export (SEC-1): its state,
// times and, while ready, the link to download it signed for them; 404
// when they never asked for one.
func (s *Server) apiDataExportShow(w http.ResponseWriter, r *http.Request) error {
	st, err := s.Privacy.Status(r.Context(), userOf(r))
	if err != nil {
		return err
	}
	if st.Latest.ID == 0 {
		return apperr.Errorf(apperr.NotFound, "You have not asked for an export of your data yet.")
	}
	return writeJSON(w, http.StatusOK, exportJSON(st.Latest, st.NextAt))
}
