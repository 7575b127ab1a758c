package web

import (
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/soulseer/soulseer/internal/clock"
	"github.com/soulseer/soulseer/internal/config"
	"github.com/soulseer/soulseer/internal/db"
	"github.com/soulseer/soulseer/internal/db/dbtest"
)

// OPS-2: /readyz answers 503 when the database does not answer, while
// /healthz still answers 200. The server is built without the rest of the
// app, so closing its database stops nothing else.
func TestReadyzWithoutDatabase_OPS2(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		cfg, err := config.Load(func(string) string { return "" }, nil)
		if err != nil {
			t.Fatal(err)
		}
		s, err := New(Deps{Config: cfg, Log: slog.New(slog.NewTextHandler(io.Discard, nil)), Clock: clock.System{}, DB: d, Metrics: prometheus.NewRegistry()})
		if err != nil {
			t.Fatal(err)
		}
		get := func(path string) *httptest.ResponseRecorder {
			rec := httptest.NewRecorder()
			s.ServeHTTP(rec, httptest.NewRequest("GET", path, nil))
			return rec
		}
		if rec := get("/readyz"); rec.Code != http.StatusOK {
			t.Fatalf("/readyz with the database up: %d", rec.Code)
		}
		if err := d.Close(); err != nil {
			t.Fatal(err)
		}
		rec := get("/readyz")
		if rec.Code != http.StatusServiceUnavailable || !strings.Contains(rec.Body.String(), "database is not answering") {
			t.Fatalf("/readyz with the database closed: %d %.300s", rec.Code, rec.Body)
		}
		if rec := get("/healthz"); rec.Code != http.StatusOK {
			t.Fatalf("/healthz with the database closed: %d", rec.Code)
		}
	})
}
