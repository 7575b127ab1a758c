package app

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
)

// listenMetrics opens the separate metrics address when one is configured
// (SOULSEER_METRICS_ADDR), so a bad address fails the start.
func (a *App) listenMetrics() error {
	if a.Config.MetricsAddr == "" {
		return nil
	}
	ln, err := net.Listen("tcp", a.Config.MetricsAddr)
	if err != nil {
		return fmt.Errorf("app: metrics address: %w", err)
	}
	a.metricsLn = ln
	return nil
}

// MetricsAddr is the address the separate metrics listener is bound to, or
// "" when metrics are served on the main address.
func (a *App) MetricsAddr() string {
	if a.metricsLn == nil {
		return ""
	}
	return a.metricsLn.Addr().String()
}

// serveMetrics serves /metrics alone on the separate metrics address, if
// any, until the returned stop is called.
func (a *App) serveMetrics(ctx context.Context) (stop func()) {
	if a.metricsLn == nil {
		return func() {}
	}
	srv := newHTTPServer(ctx, a.Web.MetricsHandler(), a.timeouts, a.Log)
	done := make(chan struct{})
	go func() {
		defer close(done)
		if err := srv.Serve(a.metricsLn); !errors.Is(err, http.ErrServerClosed) {
			a.Log.Error("metrics listener stopped", "err", err)
		}
	}()
	return func() { _ = srv.Close(); <-done }
}

// closeMetrics closes the metrics listener, which serving has already
// closed when it ran.
func (a *App) closeMetrics() {
	if a.metricsLn != nil {
		_ = a.metricsLn.Close()
	}
}
