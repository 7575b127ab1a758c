package app

import (
	"context"
	"log/slog"
	"net"
	"net/http"
	"time"
)

// Timeouts bound how long a client may take over each part of an HTTP
// exchange, so a slow or stalled client cannot hold a connection open
// (one sending a byte every few seconds would otherwise keep it for ever).
// Live connections (WebSockets) outlast them: net/http lifts a connection's
// deadlines when the handshake takes it over, and the realtime hub finds
// dead clients by pinging.
type Timeouts struct {
	ReadHeader time.Duration // the request line and headers
	Read       time.Duration // the whole request, body included: generous for uploads
	Write      time.Duration // from the end of the request headers to the end of the response
	Idle       time.Duration // a kept-alive connection waiting for its next request
}

// DefaultTimeouts are the timeouts of a served site. Write is longer than
// Read, so an upload that arrives in time is still answered.
func DefaultTimeouts() Timeouts {
	return Timeouts{ReadHeader: 10 * time.Second, Read: 60 * time.Second, Write: 90 * time.Second, Idle: 120 * time.Second}
}

// newHTTPServer builds an http.Server for h with the timeouts t; requests'
// contexts outlive ctx's cancellation, so a shutdown lets them finish.
func newHTTPServer(ctx context.Context, h http.Handler, t Timeouts, log *slog.Logger) *http.Server {
	return &http.Server{
		Handler:           h,
		ReadHeaderTimeout: t.ReadHeader,
		ReadTimeout:       t.Read,
		WriteTimeout:      t.Write,
		IdleTimeout:       t.Idle,
		ErrorLog:          slog.NewLogLogger(log.Handler(), slog.LevelWarn),
		BaseContext:       func(net.Listener) context.Context { return context.WithoutCancel(ctx) },
	}
}
