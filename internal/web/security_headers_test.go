package web_test

import (
	"strings"
	"testing"

	"github.com/soulseer/soulseer/internal/apptest"
	"github.com/soulseer/soulseer/internal/config"
	"github.com/soulseer/soulseer/internal/reader"
)

// connectSrc is the connect-src directive of a response's CSP.
func connectSrc(t *testing.T, res apptest.Response) string {
	t.Helper()
	for _, d := range strings.Split(res.Header.Get("Content-Security-Policy"), ";") {
		if d = strings.TrimSpace(d); strings.HasPrefix(d, "connect-src ") {
			return d
		}
	}
	t.Fatalf("no connect-src in %q", res.Header.Get("Content-Security-Policy"))
	return ""
}

// SEC-5: every page may connect only to this site — its WebSocket origin
// named exactly, never any ws: or wss: host — and may not use the camera or
// microphone; the reading room alone may, and alone reaches Agora's servers
// when Agora is configured. Framing is refused and referrers are trimmed
// everywhere; HSTS is sent only for an https site.
func TestSecurityHeadersPerPage_SEC5(t *testing.T) {
	withAgora := apptest.WithConfig(func(c *config.Config) {
		c.AgoraAppID, c.AgoraCertificate = "0123456789abcdef0123456789abcdef", "fedcba9876543210fedcba9876543210"
	})
	eachApp(t, func(t *testing.T, s *apptest.Server) {
		w := readingWorld(t, s, 1000)
		rd, err := s.App.Readings.Request(ctx, w.client, w.reader.ID, reader.Modality("voice"))
		if err != nil {
			t.Fatal(err)
		}
		wsOrigin := "ws://" + strings.TrimPrefix(s.URL, "http://")
		room := "/readings/" + id(rd.ID)
		for _, path := range []string{room, "/", "/readers", "/wallet", "/dashboard", "/api/v1/me", "/api/v1/readings/" + id(rd.ID), "/no-such-page", "/healthz"} {
			res := w.as["client"].Do("GET", path, nil)
			if res.Status >= 300 && path != "/no-such-page" {
				t.Fatalf("GET %s: %d", path, res.Status)
			}
			h, connect := res.Header, connectSrc(t, res)
			if !strings.HasPrefix(connect, "connect-src 'self' "+wsOrigin) {
				t.Errorf("%s: %q does not name the site's WebSocket origin %s", path, connect, wsOrigin)
			}
			for _, f := range strings.Fields(connect) {
				if f == "ws:" || f == "wss:" || f == "*" || f == "https:" || f == "http:" {
					t.Errorf("%s: %q allows any host (%s)", path, connect, f)
				}
			}
			csp := h.Get("Content-Security-Policy")
			if !strings.Contains(csp, "frame-ancestors 'none'") || h.Get("X-Frame-Options") != "DENY" ||
				h.Get("Referrer-Policy") != "strict-origin-when-cross-origin" || h.Get("Strict-Transport-Security") != "" {
				t.Errorf("%s: headers %v", path, h)
			}
			pp, agora := h.Get("Permissions-Policy"), strings.Contains(connect, "agora.io")
			if path == room {
				if !strings.Contains(pp, "camera=(self)") || !strings.Contains(pp, "microphone=(self)") || !agora {
					t.Errorf("reading room: Permissions-Policy %q, %q", pp, connect)
				}
				continue
			}
			if !strings.Contains(pp, "camera=()") || !strings.Contains(pp, "microphone=()") || agora {
				t.Errorf("%s: Permissions-Policy %q, %q", path, pp, connect)
			}
		}
	}, withAgora)
}

// SEC-5: an https site sends HSTS and allows WebSockets only to its own
// wss:// origin.
func TestSecurityHeadersHTTPS_SEC5(t *testing.T) {
	eachApp(t, func(t *testing.T, s *apptest.Server) {
		res := s.Client().Do("GET", "/", nil)
		if !strings.HasPrefix(res.Header.Get("Strict-Transport-Security"), "max-age=") {
			t.Fatalf("no HSTS on an https site: %v", res.Header)
		}
		if got := connectSrc(t, res); got != "connect-src 'self' wss://soulseer.localhost:8443" {
			t.Fatalf("connect-src of an https site = %q", got)
		}
	}, apptest.WithConfig(func(c *config.Config) { c.BaseURL = "https://soulseer.localhost:8443" }))
}
