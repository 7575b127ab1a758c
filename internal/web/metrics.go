package web

import (
	"crypto/subtle"
	"net"
	"net/http"
	"net/netip"
	"strconv"
	"strings"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/soulseer/soulseer/internal/apperr"
)

// httpMetrics counts requests and their durations per route pattern.
type httpMetrics struct {
	requests *prometheus.CounterVec
	duration *prometheus.HistogramVec
}

func newHTTPMetrics(reg *prometheus.Registry) *httpMetrics {
	m := &httpMetrics{
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "soulseer_http_requests_total", Help: "HTTP requests by route pattern and status code.",
		}, []string{"route", "code"}),
		duration: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name: "soulseer_http_request_duration_seconds", Help: "HTTP request duration by route pattern.",
			Buckets: prometheus.DefBuckets,
		}, []string{"route"}),
	}
	reg.MustRegister(m.requests, m.duration)
	return m
}

func (m *httpMetrics) observe(route string, status int, d time.Duration) {
	if status == 0 {
		status = http.StatusOK
	}
	m.requests.WithLabelValues(route, strconv.Itoa(status)).Inc()
	m.duration.WithLabelValues(route).Observe(d.Seconds())
}

// metricsShow serves Prometheus metrics on the main address (OPS-2) unless
// they have an address of their own (then 404). Without a metrics token
// only clients on this machine that connect directly, not through a proxy,
// may read them.
func (s *Server) metricsShow(w http.ResponseWriter, r *http.Request) error {
	if s.Config.MetricsAddr != "" {
		return errNotFoundRoute
	}
	if s.Config.MetricsToken == "" && !directLocal(r) {
		return apperr.Errorf(apperr.Forbidden, "Metrics are served only to this machine; set a metrics token or a metrics address to read them from elsewhere.")
	}
	return s.writeMetrics(w, r)
}

// writeMetrics writes the metrics, to holders of the metrics token when one
// is set.
func (s *Server) writeMetrics(w http.ResponseWriter, r *http.Request) error {
	if want := s.Config.MetricsToken; want != "" {
		got, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
		if !ok || subtle.ConstantTimeCompare([]byte(got), []byte(want)) != 1 {
			w.Header().Set("WWW-Authenticate", `Bearer realm="metrics"`)
			return apperr.Errorf(apperr.Unauthorized, "Send the metrics token as a bearer token.")
		}
	}
	promhttp.HandlerFor(s.Metrics, promhttp.HandlerOpts{}).ServeHTTP(w, r)
	return nil
}

// MetricsHandler serves GET /metrics alone, for the separate metrics
// address (SOULSEER_METRICS_ADDR); the metrics token applies there too.
func (s *Server) MetricsHandler() http.Handler {
	mux := http.NewServeMux()
	mux.Handle("GET /metrics", s.wrap(route{method: "GET", pattern: "/metrics", access: public, api: true, handle: s.writeMetrics}))
	return mux
}

// directLocal reports whether the request comes from this machine without
// a proxy in between: a loopback peer and no forwarding headers, which a
// reverse proxy on the same machine would add.
func directLocal(r *http.Request) bool {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return false
	}
	ip, err := netip.ParseAddr(host)
	return err == nil && ip.Unmap().IsLoopback() &&
		r.Header.Get("X-Forwarded-For") == "" && r.Header.Get("Forwarded") == "" && r.Header.Get("X-Real-IP") == ""
}
