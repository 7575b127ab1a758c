package web

import (
	"net/http"

	"github.com/soulseer/soulseer/internal/web/api"
)

// openAPIShow serves the OpenAPI 3.1 document (a test keeps it complete).
func (s *Server) openAPIShow(w http.ResponseWriter, r *http.Request) error {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "public, max-age=300")
	_, err := w.Write(api.Document)
	return err
}
