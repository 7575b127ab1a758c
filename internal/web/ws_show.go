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
	return s.serveWS(w, r, []string{realtime.UserTopic(userOf(r).ID)}, realtime.ServeOptions{OnClose: release})
}

// serveWS connects the request to the hub's topics. Browsers may connect only
// from this site's pages — the origin (scheme, host and port) of the
// configured base URL — so another site, or a plain-http page of an https
// site, cannot open a connection with the user's cookie; clients that are
// not browsers send no Origin and may connect. What goes wrong handling the
// client's messages is reported (see reportedMessages). A signed-in user's
// connection also listens on their account's topic and ends after
// realtime.TypeSignedOut: when their sessions end (a suspension, a password
// reset, a deleted account), so do their connections.
func (s *Server) serveWS(w http.ResponseWriter, r *http.Request, topics []string, opts realtime.ServeOptions) error {
	opts.Origins = []string{s.Config.BaseURL}
	if opts.OnMessage != nil {
		opts.OnMessage = s.reportedMessages(r, opts.OnMessage)
	}
	if u := userOf(r); u.ID != 0 {
		topics = append(topics, realtime.AccountTopic(u.ID))
		last := opts.Last
		opts.Last = func(m realtime.Message) string {
			if m.Type == realtime.TypeSignedOut {
				return signedOutReason
			}
			if last != nil {
				return last(m)
			}
			return ""
		}
	}
	return s.Hub.ServeWS(w, r, topics, opts)
}

// signedOutReason closes a connection whose user's sessions have ended.
const signedOutReason = "You have been signed out; log in again."
