// Package web serves SoulSeer's web UI, its JSON API under /api/v1 and the
// operational endpoints. Every route is declared once, in routes.go; each
// handler lives in a file named <noun>_<verb>.go.
package web

import (
	"context"
	"log/slog"
	"net/http"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/soulseer/soulseer/internal/account"
	"github.com/soulseer/soulseer/internal/agora"
	"github.com/soulseer/soulseer/internal/autoreload"
	"github.com/soulseer/soulseer/internal/block"
	"github.com/soulseer/soulseer/internal/clock"
	"github.com/soulseer/soulseer/internal/config"
	"github.com/soulseer/soulseer/internal/db"
	"github.com/soulseer/soulseer/internal/deletion"
	"github.com/soulseer/soulseer/internal/errreport"
	"github.com/soulseer/soulseer/internal/filestore"
	"github.com/soulseer/soulseer/internal/flag"
	"github.com/soulseer/soulseer/internal/forum"
	"github.com/soulseer/soulseer/internal/ledger"
	"github.com/soulseer/soulseer/internal/limits"
	"github.com/soulseer/soulseer/internal/live"
	"github.com/soulseer/soulseer/internal/mail"
	"github.com/soulseer/soulseer/internal/message"
	"github.com/soulseer/soulseer/internal/notify"
	"github.com/soulseer/soulseer/internal/payment"
	"github.com/soulseer/soulseer/internal/payout"
	"github.com/soulseer/soulseer/internal/privacy"
	"github.com/soulseer/soulseer/internal/ratelimit"
	"github.com/soulseer/soulseer/internal/reader"
	"github.com/soulseer/soulseer/internal/reading"
	"github.com/soulseer/soulseer/internal/realtime"
	"github.com/soulseer/soulseer/internal/schedule"
	"github.com/soulseer/soulseer/internal/shop"
	"github.com/soulseer/soulseer/internal/upload"
)

// Deps is everything the web layer needs, built by the app.
type Deps struct {
	Config   config.Config
	Log      *slog.Logger
	Clock    clock.Clock
	DB       *db.DB
	Accounts *account.Service
	Readers  *reader.Service
	Mail     *mail.Mailer
	Files    *filestore.Store
	Limiter  *ratelimit.Limiter
	Ledger   *ledger.Ledger
	Limits   *limits.Service
	Payments *payment.Service
	Reloads  *autoreload.Service // wallets reloaded from saved cards (WAL-12)
	Payouts  *payout.Service
	Hub      *realtime.Hub
	Notify   *notify.Service
	Blocks   *block.Service
	Readings *reading.Service
	Messages *message.Service
	Schedule *schedule.Service
	Live     *live.Service
	Flags    *flag.Service
	Uploads  *upload.Service
	Forum    *forum.Service
	Shop     *shop.Service
	Privacy  *privacy.Service  // exports of people's data (SEC-1)
	Deletion *deletion.Service // closes accounts for good (SEC-2)
	Presence *reading.Presence
	Agora    *agora.Tokens
	OIDC     *account.OIDCProvider // nil when OIDC is not configured
	Metrics  *prometheus.Registry
	Errors   *errreport.Reporter // nil: failures are only logged (EXT-5)
}

// Server is the HTTP handler for the whole site.
type Server struct {
	Deps
	log     *slog.Logger
	pages   *pages
	static  *staticFiles
	handler http.Handler
	routes  []route
	metrics *httpMetrics
}

// New builds the server; templates are parsed here, so a broken template
// fails start-up rather than a request.
func New(d Deps) (*Server, error) {
	s := &Server{Deps: d, log: d.Log}
	var err error
	if s.static, err = newStaticFiles(); err != nil {
		return nil, err
	}
	if s.pages, err = parsePages(s.static, reading.UnitOf(d.Config.BillingPeriod)); err != nil {
		return nil, err
	}
	s.metrics = newHTTPMetrics(d.Metrics)
	s.routes = s.routeTable()
	s.handler = s.buildHandler()
	return s, nil
}

// ServeHTTP serves one request.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) { s.handler.ServeHTTP(w, r) }

type ctxKey int

const (
	ctxUser ctxKey = iota
	ctxInfo
)

// userOf returns the signed-in user, or the zero User for a visitor.
func userOf(r *http.Request) account.User {
	u, _ := r.Context().Value(ctxUser).(account.User)
	return u
}

// clientIP returns the request's client address as decided by the trusted
// proxy rules.
func clientIP(r *http.Request) string {
	if info, ok := r.Context().Value(ctxInfo).(*requestInfo); ok {
		return info.ip.String()
	}
	return ""
}

func withValue(r *http.Request, k ctxKey, v any) *http.Request {
	return r.WithContext(context.WithValue(r.Context(), k, v))
}
