package web

import (
	"net/http"

	"github.com/soulseer/soulseer/internal/live"
)

// subscriptionList is the answer of GET /api/v1/me/subscriptions.
type subscriptionList struct {
	Subscriptions []live.Subscription `json:"subscriptions"`
}

// apiSubscriptionsList answers the caller's subscriptions to readers,
// active and ended, newest period first (LIV-3).
func (s *Server) apiSubscriptionsList(w http.ResponseWriter, r *http.Request) error {
	list, err := s.Live.Subscriptions(r.Context(), userOf(r).ID)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, subscriptionList{Subscriptions: list})
}
