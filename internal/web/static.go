package web

import (
	"bytes"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"fmt"
	"io/fs"
	"mime"
	"net/http"
	"path"
	"strings"
	"time"

	"github.com/soulseer/soulseer/internal/apperr"
)

//go:embed static
var staticFS embed.FS

// staticFiles serves embedded assets under content-hashed URLs
// (/static/css/app.3fa2b1c0.css), so browsers may cache them forever.
type staticFiles struct {
	files map[string][]byte // logical path → content
	urls  map[string]string // logical path → hashed URL
	byURL map[string]string // hashed path (without /static/) → logical path
}

func newStaticFiles() (*staticFiles, error) {
	sf := &staticFiles{files: map[string][]byte{}, urls: map[string]string{}, byURL: map[string]string{}}
	err := fs.WalkDir(staticFS, "static", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := staticFS.ReadFile(p)
		if err != nil {
			return err
		}
		logical := strings.TrimPrefix(p, "static/")
		sum := sha256.Sum256(b)
		ext := path.Ext(logical)
		hashed := strings.TrimSuffix(logical, ext) + "." + hex.EncodeToString(sum[:4]) + ext
		sf.files[logical] = b
		sf.urls[logical] = "/static/" + hashed
		sf.byURL[hashed] = logical
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("web: static files: %w", err)
	}
	return sf, nil
}

// url returns the hashed URL of a static file; an unknown name is a bug
// caught when templates are executed at start-up tests.
func (sf *staticFiles) url(name string) (string, error) {
	u, ok := sf.urls[name]
	if !ok {
		return "", fmt.Errorf("web: no static file %q", name)
	}
	return u, nil
}

// staticShow serves one static file, immutable when requested by its hash.
func (s *Server) staticShow(w http.ResponseWriter, r *http.Request) error {
	p := r.PathValue("path")
	logical, hashed := s.static.byURL[p]
	if !hashed {
		logical = p
	}
	b, ok := s.static.files[logical]
	if !ok {
		return apperr.Errorf(apperr.NotFound, "No such file.")
	}
	if hashed {
		w.Header().Set("Cache-Control", "public, max-age=31536000, immutable")
	} else {
		w.Header().Set("Cache-Control", "public, max-age=300")
	}
	if ct := mime.TypeByExtension(path.Ext(logical)); ct != "" {
		w.Header().Set("Content-Type", ct)
	}
	http.ServeContent(w, r, logical, time.Time{}, bytes.NewReader(b))
	return nil
}
