package web_test

import (
	"strings"
	"testing"

	"github.com/soulseer/soulseer/internal/apptest"
)

// OPS-2: /healthz answers while the process serves, /readyz checks the
// database, /metrics exposes request counts by route pattern. SEC-5: every
// response carries the security headers.
func TestOperationsAndSecurityHeaders_OPS2_SEC5(t *testing.T) {
	eachApp(t, func(t *testing.T, s *apptest.Server) {
		c := s.Client()
		if res := c.Do("GET", "/healthz", nil); res.Status != 200 || strings.TrimSpace(string(res.Body)) != "ok" {
			t.Fatalf("/healthz: %d %q", res.Status, res.Body)
		}
		if res := c.Do("GET", "/readyz", nil); res.Status != 200 || strings.TrimSpace(string(res.Body)) != "ready" {
			t.Fatalf("/readyz: %d %q", res.Status, res.Body)
		}
		c.Do("GET", "/readers/424242", nil)
		c.Do("GET", "/api/v1/readers", nil)
		c.Do("GET", "/no/such/page", nil)
		res := c.Do("GET", "/metrics", nil)
		if res.Status != 200 || !strings.HasPrefix(res.Header.Get("Content-Type"), "text/plain") {
			t.Fatalf("/metrics: %d %s", res.Status, res.Header.Get("Content-Type"))
		}
		for _, want := range []string{
			`soulseer_http_requests_total{code="200",route="GET /healthz"} 1`,
			`soulseer_http_requests_total{code="200",route="GET /readyz"} 1`,
			`soulseer_http_requests_total{code="404",route="GET /readers/{id}"} 1`,
			`soulseer_http_requests_total{code="200",route="GET /api/v1/readers"} 1`,
			`soulseer_http_requests_total{code="404",route="unmatched"} 1`,
			`soulseer_http_request_duration_seconds_bucket{route="GET /api/v1/readers",le="+Inf"} 1`,
			"go_goroutines",
		} {
			if !strings.Contains(string(res.Body), want) {
				t.Fatalf("/metrics lacks %q", want)
			}
		}
		// Label values are route patterns, never raw paths.
		if strings.Contains(string(res.Body), "424242") || strings.Contains(string(res.Body), "/no/such/page") {
			t.Fatal("/metrics labels carry raw request paths")
		}

		// SEC-5: security headers on pages, API answers, errors and probes.
		for _, path := range []string{"/", "/readers", "/login", "/api/v1/readers", "/api/v1/me", "/no-such-page", "/api/v1/nope", "/healthz"} {
			res := c.Do("GET", path, nil)
			h := res.Header
			csp := h.Get("Content-Security-Policy")
			for _, d := range []string{"default-src 'self'", "script-src 'self'", "object-src 'none'", "frame-ancestors 'none'", "base-uri 'self'", "form-action 'self'"} {
				if !strings.Contains(csp, d) {
					t.Fatalf("%s: CSP %q lacks %q", path, csp, d)
				}
			}
			if strings.Contains(csp, "unsafe-inline") || strings.Contains(csp, "unsafe-eval") {
				t.Fatalf("%s: CSP allows unsafe code: %q", path, csp)
			}
			if h.Get("X-Content-Type-Options") != "nosniff" || h.Get("X-Frame-Options") != "DENY" || h.Get("Referrer-Policy") != "strict-origin-when-cross-origin" {
				t.Fatalf("%s: headers %v", path, h)
			}
			if h.Get("Strict-Transport-Security") != "" {
				t.Fatalf("%s: HSTS over plain http", path)
			}
		}
	})
}
