package web

import (
	"net/http"

	"github.com/soulseer/soulseer/internal/live"
)

// apiSubscriptionShow answers what a month of reader {id}'s premium
// streams costs (0: none offered) and, to a signed-in caller, their own
// subscription to the reader or null (LIV-3).
func (s *Server) apiSubscriptionShow(w http.ResponseWriter, r *http.Request) error {
	return answerByID(w, r, func(id int64) (live.Offer, error) {
		return s.Live.SubscriptionOffer(r.Context(), userOf(r), id)
	})
}
