package web

import (
	"context"
	"net/http"
	"time"

	"github.com/soulseer/soulseer/internal/apperr"
)

// healthShow answers 200 while the process serves (OPS-2).
func (s *Server) healthShow(w http.ResponseWriter, r *http.Request) error {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	_, err := w.Write([]byte("ok\n"))
	return err
}

// readyShow answers 200 when the database answers, 503 otherwise (OPS-2).
func (s *Server) readyShow(w http.ResponseWriter, r *http.Request) error {
	ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
	defer cancel()
	if err := s.DB.Ping(ctx); err != nil {
		s.log.Warn("readiness check failed", "err", err)
		return apperr.Errorf(apperr.Unavailable, "The database is not answering.")
	}
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	_, err := w.Write([]byte("ready\n"))
	return err
}
