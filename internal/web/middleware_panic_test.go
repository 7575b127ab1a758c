package web

import (
	"encoding/json"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/soulseer/soulseer/internal/config"
)

// A handler that panics is answered like any other failure — a problem
// document under /api/v1, the error page elsewhere — never a bare
// text/plain 500 that the API document does not describe.
func TestPanicAnswersLikeAFailure(t *testing.T) {
	cfg, err := config.Load(func(string) string { return "" }, nil)
	if err != nil {
		t.Fatal(err)
	}
	s, err := New(Deps{Config: cfg, Log: slog.New(slog.DiscardHandler), Metrics: prometheus.NewRegistry()})
	if err != nil {
		t.Fatal(err)
	}
	h := s.observe(http.HandlerFunc(func(http.ResponseWriter, *http.Request) { panic("boom") }))
	for path, want := range map[string]string{"/api/v1/me": "application/problem+json", "/wallet": "text/html"} {
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, httptest.NewRequest("GET", path, nil))
		if rec.Code != http.StatusInternalServerError || !strings.HasPrefix(rec.Header().Get("Content-Type"), want) {
			t.Fatalf("%s: %d %q, want 500 %s", path, rec.Code, rec.Header().Get("Content-Type"), want)
		}
		if strings.Contains(rec.Body.String(), "boom") {
			t.Fatalf("%s: the panic's text reached the client: %s", path, rec.Body)
		}
		if want == "application/problem+json" {
			var p struct{ Status int }
			if err := json.Unmarshal(rec.Body.Bytes(), &p); err != nil || p.Status != 500 {
				t.Fatalf("problem %s: %v", rec.Body, err)
			}
		}
	}
}
