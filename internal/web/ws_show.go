package web

import (
	"net/http"
	"net/url"
	"slices"

	"github.com/soulseer/soulseer/internal/realtime"
)

// apiWSShow is the signed-in user's live connection: every message published
// to the user's topic reaches each of the user's open pages and apps at once
// (WAL-6: the wallet balance updates live everywhere).
func (s *Server) apiWSShow(w http.ResponseWriter, r *http.Request) error {
	return s.serveWS(w, r, []string{realtime.UserTopic(userOf(r).ID)}, realtime.ServeOptions{})
}

// serveWS connects the request to the hub's topics. Browsers may connect only
// from this site's pages — the request's host or the configured base URL's
// host — so another site cannot open a connection with the user's cookie;
// clients that are not browsers send no Origin and may connect.
func (s *Server) serveWS(w http.ResponseWriter, r *http.Request, topics []string, opts realtime.ServeOptions) error {
	if u, err := url.Parse(s.Config.BaseURL); err == nil && u.Host != "" {
		opts.OriginHosts = append(slices.Clip(opts.OriginHosts), u.Host)
	}
	return s.Hub.ServeWS(w, r, topics, opts)
}
