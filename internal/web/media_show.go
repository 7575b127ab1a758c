package web

import (
	"io"
	"net/http"
	"strconv"

	"github.com/soulseer/soulseer/internal/account"
	"github.com/soulseer/soulseer/internal/apperr"
)

// mediaShow serves a stored avatar. Any other key — the file store's
// metadata files, paths out of the avatar folder — is not found; files are
// sandboxed by CSP so an uploaded file can never run script in the site's
// origin.
func (s *Server) mediaShow(w http.ResponseWriter, r *http.Request) error {
	key := r.PathValue("key")
	if !account.IsAvatarKey(key) {
		return apperr.Errorf(apperr.NotFound, "No such file.")
	}
	f, err := s.Files.Open(r.Context(), key)
	if err != nil {
		return err
	}
	defer f.Close()
	w.Header().Set("Content-Type", f.ContentType)
	w.Header().Set("Content-Length", strconv.FormatInt(f.Size, 10))
	w.Header().Set("Cache-Control", "public, max-age=31536000, immutable")
	w.Header().Set("Content-Security-Policy", "default-src 'none'; sandbox")
	_, err = io.Copy(w, f)
	if err != nil {
		s.log.Debug("media copy interrupted", "key", key, "err", err)
	}
	return nil
}
