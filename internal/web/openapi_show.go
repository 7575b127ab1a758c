package web

import (
	_ "embed"
	"net/http"
)

// openAPIDoc describes every /api/v1 route (a test keeps it complete).
//
//go:embed api/openapi.json
var openAPIDoc []byte

// openAPIShow serves the OpenAPI 3.1 document.
func (s *Server) openAPIShow(w http.ResponseWriter, r *http.Request) error {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "public, max-age=300")
	_, err := w.Write(openAPIDoc)
	return err
}
