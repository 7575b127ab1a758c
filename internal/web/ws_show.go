package web

import (
	"net/http"

	"github.com/soulseer/soulseer/internal/realtime"
)

// apiWSShow is the signed-in user's live connection: every message published
// to the user's topic reaches each of the user's open pages and apps at once
// (WAL-6: the wallet balance updates live everywhere).
// While it is open the user counts as connected: a reader who chose to be
// online shows online in the directory (RDR-3).
func (s *Server) apiWSShow(w http.ResponseWriter, r *http.Request) error {
	release := s.Presence.Connect(r.Context(), userOf(r).ID, 0)
	defer release()
	return s.serveWS(w, r, []string{realtime.UserTopic(userOf(r).ID)}, realtime.ServeOptions{})
}

// serveWS connects the request to the hub's topics. Browsers may connect only
// from this site's pages — the origin (scheme, host and port) of the
// configured base URL — so another site, or a plain-http page of an https
// site, cannot open a connection with the user's cookie; clients that are
// not browsers send no Origin and may connect. What goes wrong handling the
// client's messages is reported (see reportedMessages).
func (s *Server) serveWS(w http.ResponseWriter, r *http.Request, topics []string, opts realtime.ServeOptions) error {
	opts.Origins = []string{s.Config.BaseURL}
	if opts.OnMessage != nil {
		opts.OnMessage = s.reportedMessages(r, opts.OnMessage)
	}
	return s.Hub.ServeWS(w, r, topics, opts)
}
