package web_test

import (
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/soulseer/soulseer/internal/apptest"
	"github.com/soulseer/soulseer/internal/config"
)

// OPS-2 SEC-5: /metrics is not public. By default only clients on the same
// machine that connect directly may read it — a request a proxy forwarded
// may not; /healthz and /readyz stay public.
func TestMetricsLocalOnlyByDefault_OPS2_SEC5(t *testing.T) {
	eachApp(t, func(t *testing.T, s *apptest.Server) {
		c := s.Client()
		if res := c.Do("GET", "/metrics", nil); res.Status != http.StatusOK || !strings.Contains(string(res.Body), "go_goroutines") {
			t.Fatalf("/metrics from this machine: %d", res.Status)
		}
		for _, hdr := range [][]string{{"X-Forwarded-For", "203.0.113.9"}, {"Forwarded", "for=203.0.113.9"}, {"X-Real-IP", "203.0.113.9"}} {
			res := c.Do("GET", "/metrics", nil, hdr...)
			if res.Status != http.StatusForbidden || strings.Contains(string(res.Body), "go_goroutines") {
				t.Fatalf("/metrics through a proxy (%s): %d %.200s", hdr[0], res.Status, res.Body)
			}
		}
		for _, path := range []string{"/healthz", "/readyz"} {
			if res := c.Do("GET", path, nil, "X-Forwarded-For", "203.0.113.9"); res.Status != http.StatusOK {
				t.Fatalf("%s through a proxy: %d", path, res.Status)
			}
		}
	})
}

// OPS-2 SEC-5: with SOULSEER_METRICS_TOKEN, /metrics answers only requests
// that carry the token, from anywhere.
func TestMetricsToken_OPS2_SEC5(t *testing.T) {
	eachApp(t, func(t *testing.T, s *apptest.Server) {
		c := s.Client()
		for _, auth := range []string{"", "Bearer nope", "Bearer s3cret-metrics-token-x", "s3cret-metrics-token"} {
			res := c.Do("GET", "/metrics", nil, "Authorization", auth)
			if res.Status != http.StatusUnauthorized || res.Header.Get("WWW-Authenticate") == "" || strings.Contains(string(res.Body), "go_goroutines") {
				t.Fatalf("/metrics with Authorization %q: %d %v", auth, res.Status, res.Header)
			}
		}
		res := c.Do("GET", "/metrics", nil, "Authorization", "Bearer s3cret-metrics-token", "X-Forwarded-For", "203.0.113.9")
		if res.Status != http.StatusOK || !strings.Contains(string(res.Body), "go_goroutines") {
			t.Fatalf("/metrics with the token: %d", res.Status)
		}
	}, apptest.WithConfig(func(c *config.Config) { c.MetricsToken = "s3cret-metrics-token" }))
}

// OPS-2 SEC-5: with SOULSEER_METRICS_ADDR, metrics are served on that
// address alone and the main address answers 404 for them.
func TestMetricsAddress_OPS2_SEC5(t *testing.T) {
	eachApp(t, func(t *testing.T, s *apptest.Server) {
		if res := s.Client().Do("GET", "/metrics", nil); res.Status != http.StatusNotFound {
			t.Fatalf("/metrics on the main address: %d", res.Status)
		}
		if res := s.Client().Do("GET", "/healthz", nil); res.Status != http.StatusOK {
			t.Fatalf("/healthz: %d", res.Status)
		}
		addr := s.App.MetricsAddr()
		if addr == "" {
			t.Fatal("no metrics listener")
		}
		get := func(path string) (int, string) {
			res, err := http.Get("http://" + addr + path)
			if err != nil {
				t.Fatal(err)
			}
			defer res.Body.Close()
			b, _ := io.ReadAll(res.Body)
			return res.StatusCode, string(b)
		}
		if st, body := get("/metrics"); st != http.StatusOK || !strings.Contains(body, `soulseer_http_requests_total{code="404",route="GET /metrics"} 1`) {
			t.Fatalf("/metrics on the metrics address: %d %.300s", st, body)
		}
		for _, path := range []string{"/", "/healthz", "/api/v1/readers"} {
			if st, _ := get(path); st != http.StatusNotFound {
				t.Fatalf("%s on the metrics address: %d", path, st)
			}
		}
	}, apptest.WithConfig(func(c *config.Config) { c.MetricsAddr = "127.0.0.1:0" }))
}
