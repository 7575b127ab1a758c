package web

import (
	"net/http"
	"strconv"

	"github.com/soulseer/soulseer/internal/apperr"
)

// shopDownloadPage explains why a download link did not open.
type shopDownloadPage struct {
	Page
	Status  int
	Message string
}

// shopDownloadShow opens a download link (SHOP-6): for the signed-in
// buyer it was signed for, before it expires, the file as an attachment
// under its own name (or, from a bucket that signs its own addresses, a
// redirect there). A link of someone else's or altered is refused (403), an
// expired one (410) points to the orders for a fresh one; a visitor is sent
// to log in first and back here.
func (s *Server) shopDownloadShow(w http.ResponseWriter, r *http.Request) error {
	item, err := strconv.ParseInt(r.PathValue("item"), 10, 64)
	if err != nil || item <= 0 {
		return errNotFoundRoute
	}
	expires, _ := strconv.ParseInt(r.URL.Query().Get("e"), 10, 64)
	d, err := s.Shop.OpenDownload(r.Context(), userOf(r), item, expires, r.URL.Query().Get("s"))
	switch code := apperr.CodeOf(err); code {
	case "":
	case apperr.Forbidden, apperr.Gone:
		status := statusOf(code)
		return s.render(w, status, "shop_download", shopDownloadPage{Page: s.page(w, r, http.StatusText(status)), Status: status,
			Message: apperr.MessageOf(err)})
	default:
		return err
	}
	if d.File == nil {
		http.Redirect(w, r, d.Redirect, http.StatusSeeOther)
		return nil
	}
	defer d.File.Close()
	s.serveFile(w, d.File, "attachment", d.Name, "private, no-store")
	return nil
}
