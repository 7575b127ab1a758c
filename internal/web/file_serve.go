package web

import (
	"io"
	"mime"
	"net/http"
	"strconv"

	"github.com/soulseer/soulseer/internal/filestore"
)

// serveFile sends a stored file as the type it was stored as, never
// sniffed again by the browser (nosniff) and only ever shown in a
// sandbox: inline or as an attachment (disposition) under name, cached as
// cacheControl says. A client that goes away mid-copy is logged, not
// failed.
func (s *Server) serveFile(w http.ResponseWriter, f *filestore.File, disposition, name, cacheControl string) {
	h := w.Header()
	h.Set("Content-Type", f.ContentType)
	h.Set("Content-Length", strconv.FormatInt(f.Size, 10))
	h.Set("Content-Disposition", mime.FormatMediaType(disposition, map[string]string{"filename": name}))
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Content-Security-Policy", "default-src 'none'; sandbox")
	h.Set("Cache-Control", cacheControl)
	if _, err := io.Copy(w, f); err != nil {
		s.log.Debug("file copy interrupted", "name", name, "err", err)
	}
}
