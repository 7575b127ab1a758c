package web

import (
	"net/http"
	"strconv"

	"github.com/soulseer/soulseer/internal/apperr"
)

// dataExportDownload opens an export's link (SEC-1): for the signed-in
// person it was signed for, until the export expires, the ZIP as an
// attachment, never sniffed or shown by the browser. A link of someone
// else's or altered is refused (403) and an expired one (410) on the
// export page, where a new export can be asked for; a visitor is sent to
// log in first and back here.
func (s *Server) dataExportDownload(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	expires, _ := strconv.ParseInt(r.URL.Query().Get("e"), 10, 64)
	f, e, err := s.Privacy.Open(r.Context(), userOf(r), id, expires, r.URL.Query().Get("s"))
	switch code := apperr.CodeOf(err); code {
	case "":
	case apperr.Forbidden, apperr.Gone:
		return s.renderDataExport(w, r, statusOf(code), apperr.MessageOf(err))
	default:
		return err
	}
	defer f.Close()
	s.serveFile(w, f, "attachment", "soulseer-data-"+e.ReadyAt.Format("2006-01-02")+".zip", "private, no-store")
	return nil
}
