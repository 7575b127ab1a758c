package web

import (
	"net/http"

	"github.com/soulseer/soulseer/internal/live"
)

// apiSubscriptionDelete cancels the caller's subscription to reader {id}
// at the end of the month paid for (LIV-3): it admits them until then and
// is not renewed. 404 without an active subscription.
func (s *Server) apiSubscriptionDelete(w http.ResponseWriter, r *http.Request) error {
	return answerByID(w, r, func(id int64) (live.Subscription, error) {
		return s.Live.Unsubscribe(r.Context(), userOf(r), id)
	})
}
