package web

import (
	"crypto/rand"
	"fmt"
	"net"
	"net/http"
	"net/netip"
	"net/url"
	"strings"
	"time"

	"github.com/soulseer/soulseer/internal/account"
	"github.com/soulseer/soulseer/internal/apperr"
)

// sessionCookie names the login session cookie.
const sessionCookie = "soulseer_session"

// buildHandler wraps the route table in the middleware every request passes:
// panic recovery, logging and metrics, security headers, the client IP,
// cross-origin protection for state-changing requests, and authentication.
func (s *Server) buildHandler() http.Handler {
	mux := http.NewServeMux()
	for _, rt := range s.routes {
		mux.Handle(rt.method+" "+rt.pattern, s.wrap(rt))
	}
	cop := http.NewCrossOriginProtection()
	if err := cop.AddTrustedOrigin(s.Config.BaseURL); err != nil {
		s.log.Warn("base URL is not a valid trusted origin", "err", err)
	}
	cop.SetDenyHandler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.fail(w, r, strings.HasPrefix(r.URL.Path, "/api/"),
			apperr.Errorf(apperr.Forbidden, "This request came from another site and was blocked."))
	}))
	var h http.Handler = s.authenticate(cop.Handler(s.unmatched(mux)))
	h = s.securityHeaders(h)
	h = s.observe(h)
	return h
}

// unmatched answers the requests no route takes in the site's own way — an
// error page, or a problem document under /api/ — rather than ServeMux's
// plain text: 405 with Allow listing the methods the path takes when other
// methods have a route, else 404.
func (s *Server) unmatched(mux *http.ServeMux) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h, pattern := mux.Handler(r)
		if pattern != "" {
			mux.ServeHTTP(w, r)
			return
		}
		// ServeMux's own answer says which of the two it is.
		probe := &headerProbe{header: http.Header{}}
		h.ServeHTTP(probe, r)
		api := strings.HasPrefix(r.URL.Path, "/api/")
		if allow := probe.header.Get("Allow"); probe.status == http.StatusMethodNotAllowed && allow != "" {
			w.Header().Set("Allow", allow)
			s.fail(w, r, api, apperr.Errorf(apperr.MethodNotAllowed, "This address does not take %s requests; it takes %s.", r.Method, allow))
			return
		}
		s.fail(w, r, api, errNotFoundRoute)
	})
}

// headerProbe is a ResponseWriter that keeps the header and status written
// to it and discards the body.
type headerProbe struct {
	header http.Header
	status int
}

func (p *headerProbe) Header() http.Header         { return p.header }
func (p *headerProbe) Write(b []byte) (int, error) { return len(b), nil }
func (p *headerProbe) WriteHeader(code int)        { p.status = code }

// statusRecorder remembers the status a handler wrote.
type statusRecorder struct {
	http.ResponseWriter
	status int
}

func (r *statusRecorder) WriteHeader(code int) {
	if r.status == 0 {
		r.status = code
	}
	r.ResponseWriter.WriteHeader(code)
}

func (r *statusRecorder) Write(b []byte) (int, error) {
	if r.status == 0 {
		r.status = http.StatusOK
	}
	return r.ResponseWriter.Write(b)
}

// Unwrap lets http.ResponseController reach the underlying writer
// (WebSocket upgrades, flushing).
func (r *statusRecorder) Unwrap() http.ResponseWriter { return r.ResponseWriter }

// requestInfo is filled in as a request passes through the server: the
// client IP and request id up front, the user once authenticated, the
// matched route when a handler runs, and a failure that is the server's
// own. Logging, metrics and error reports read it at the end.
type requestInfo struct {
	ip      netip.Addr
	id      string
	userID  int64
	route   string
	failure error
}

// observe decides the client IP, gives the request an id (sent back as
// X-Request-Id), recovers panics, reports panics and server failures
// (EXT-5), logs each request and records metrics by route.
func (s *Server) observe(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		info := &requestInfo{ip: s.resolveIP(r), id: rand.Text(), route: "unmatched"}
		w.Header().Set("X-Request-Id", info.id)
		r = withValue(r, ctxInfo, info)
		rec := &statusRecorder{ResponseWriter: w}
		defer func() {
			if p := recover(); p != nil {
				if p == http.ErrAbortHandler {
					panic(p)
				}
				s.log.Error("panic serving request", "method", r.Method, "path", r.URL.Path, "request_id", info.id, "panic", p)
				s.Errors.Panic(p, reportTags(r))
				if rec.status == 0 {
					// Answered like any other failure: a problem document
					// under /api/v1, the error page elsewhere.
					s.fail(rec, r, strings.HasPrefix(r.URL.Path, "/api/"), fmt.Errorf("web: panic: %v", p))
				}
			} else if info.failure != nil {
				s.Errors.Error(info.failure, reportTags(r))
			}
			d := time.Since(start)
			s.metrics.observe(info.route, rec.status, d)
			if r.URL.Path != "/healthz" && r.URL.Path != "/metrics" {
				s.log.Info("request", "method", r.Method, "path", r.URL.Path, "status", rec.status,
					"duration_ms", d.Milliseconds(), "ip", clientIP(r), "request_id", info.id)
			}
		}()
		next.ServeHTTP(rec, r)
	})
}

// mediaRoutes are the pages that use the camera and microphone and reach
// Agora's servers for voice and video: the reading room and a booked
// reading's room. A page of live streams is added here and nowhere else;
// every other response denies the camera and microphone and may connect
// only to this site.
var mediaRoutes = map[string]bool{
	"GET /readings/{id}":      true,
	"GET /bookings/{id}/room": true,
}

// securityPolicy is the pair of headers that differ between ordinary pages
// and media pages.
type securityPolicy struct {
	csp, permissions string
}

// newSecurityPolicy builds the Content-Security-Policy and
// Permissions-Policy of a page: scripts, styles and connections from this
// site only (its WebSocket origin named exactly, since some browsers do not
// count ws: as 'self'), no framing, and the camera and microphone for media
// pages alone, which may also reach Agora when Agora is configured.
func (s *Server) newSecurityPolicy(media bool) securityPolicy {
	connect := "connect-src 'self'"
	if u, err := url.Parse(s.Config.BaseURL); err == nil && u.Host != "" {
		ws := "ws://"
		if u.Scheme == "https" {
			ws = "wss://"
		}
		connect += " " + ws + u.Host
	}
	permissions := "camera=(), microphone=(), geolocation=()"
	if media {
		permissions = "camera=(self), microphone=(self), geolocation=()"
		if s.Agora.Configured() {
			// The Agora Web SDK talks to Agora's edge servers for voice and video.
			connect += " https://*.agora.io wss://*.agora.io https://*.sd-rtn.com wss://*.sd-rtn.com"
		}
	}
	return securityPolicy{permissions: permissions, csp: strings.Join([]string{
		"default-src 'self'",
		"img-src 'self' data: blob:",
		"style-src 'self'",
		"script-src 'self'",
		connect,
		"worker-src 'self' blob:",
		"media-src 'self' blob:",
		"font-src 'self'",
		"object-src 'none'",
		"base-uri 'self'",
		"frame-ancestors 'none'",
		"form-action 'self'",
	}, "; ")}
}

// set writes the policy's headers.
func (p securityPolicy) set(h http.Header) {
	h.Set("Content-Security-Policy", p.csp)
	h.Set("Permissions-Policy", p.permissions)
}

// securityHeaders sets the headers every response carries (SEC-5); media
// routes get their own policy when their handler runs (see wrap).
func (s *Server) securityHeaders(next http.Handler) http.Handler {
	plain := s.newSecurityPolicy(false)
	hsts := s.Config.SecureCookies()
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		plain.set(h)
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("X-Frame-Options", "DENY")
		h.Set("Referrer-Policy", "strict-origin-when-cross-origin")
		h.Set("Cross-Origin-Opener-Policy", "same-origin")
		if hsts {
			h.Set("Strict-Transport-Security", "max-age=63072000; includeSubDomains")
		}
		next.ServeHTTP(w, r)
	})
}

func (s *Server) trusted(ip netip.Addr) bool {
	for _, p := range s.Config.TrustedProxies {
		if p.Contains(ip) {
			return true
		}
	}
	return false
}

// resolveIP decides the client address: the peer address, unless the peer is
// a trusted proxy, in which case the nearest untrusted X-Forwarded-For entry.
func (s *Server) resolveIP(r *http.Request) netip.Addr {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		host = r.RemoteAddr
	}
	peer, err := netip.ParseAddr(host)
	if err != nil {
		return netip.Addr{}
	}
	peer = peer.Unmap()
	if !s.trusted(peer) {
		return peer
	}
	var hops []string
	for _, v := range r.Header.Values("X-Forwarded-For") {
		hops = append(hops, strings.Split(v, ",")...)
	}
	ip := peer
	for i := len(hops) - 1; i >= 0; i-- {
		a, err := netip.ParseAddr(strings.TrimSpace(hops[i]))
		if err != nil {
			break
		}
		ip = a.Unmap()
		if !s.trusted(ip) {
			break
		}
	}
	return ip
}

// authenticate attaches the signed-in user, from a bearer API token or the
// session cookie. An invalid credential leaves the request anonymous; routes
// that need a user refuse it.
func (s *Server) authenticate(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var u account.User
		var err error
		if tok, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer "); ok {
			u, err = s.Accounts.UserByAPIToken(r.Context(), strings.TrimSpace(tok))
		} else if c, cerr := r.Cookie(sessionCookie); cerr == nil {
			u, err = s.Accounts.UserBySession(r.Context(), c.Value)
		}
		if err != nil && apperr.CodeOf(err) != apperr.Unauthorized {
			s.fail(w, r, strings.HasPrefix(r.URL.Path, "/api/"), err)
			return
		}
		if u.ID != 0 {
			r = withValue(r, ctxUser, u)
			infoOf(r).userID = u.ID
		}
		next.ServeHTTP(w, r)
	})
}

// setSessionCookie starts the browser's login session.
func (s *Server) setSessionCookie(w http.ResponseWriter, token string, expires time.Time) {
	http.SetCookie(w, &http.Cookie{
		Name: sessionCookie, Value: token, Path: "/", Expires: expires,
		HttpOnly: true, Secure: s.Config.SecureCookies(), SameSite: http.SameSiteLaxMode,
	})
}

// clearSessionCookie ends the browser's login session.
func (s *Server) clearSessionCookie(w http.ResponseWriter) {
	http.SetCookie(w, &http.Cookie{
		Name: sessionCookie, Value: "", Path: "/", MaxAge: -1,
		HttpOnly: true, Secure: s.Config.SecureCookies(), SameSite: http.SameSiteLaxMode,
	})
}
