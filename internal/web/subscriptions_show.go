package web

import (
	"net/http"

	"github.com/soulseer/soulseer/internal/live"
)

// subscriptionsPage is the data of the signed-in user's subscriptions page.
type subscriptionsPage struct {
	Page
	Current []subscriptionCard  // active subscriptions, cancelled at their month's end or renewing
	Ended   []live.Subscription // subscriptions that ended, cancelled or lapsed, newest first
	Zone    string              // the zone their dates are in
}

// subscriptionsShow lists the signed-in user's monthly subscriptions to
// readers (LIV-3): the active ones with their price, the date they renew
// or end on and Cancel or Resume, then the ones that ended.
func (s *Server) subscriptionsShow(w http.ResponseWriter, r *http.Request) error {
	u := userOf(r)
	subs, err := s.Live.Subscriptions(r.Context(), u.ID)
	if err != nil {
		return err
	}
	p := subscriptionsPage{Page: s.page(w, r, "Your subscriptions"), Zone: u.Location().String()}
	for _, sub := range subs {
		local := localSub(sub, r)
		if sub.State == live.SubActive {
			p.Current = append(p.Current, subscriptionCard{ReaderID: sub.ReaderID, ReaderName: sub.ReaderName, PriceCents: sub.PriceCents,
				Sub: local, Balance: p.Balance, Next: "/subscriptions"})
		} else {
			p.Ended = append(p.Ended, *local)
		}
	}
	return s.render(w, http.StatusOK, "subscriptions", p)
}

// Holds reports whether the user has an active subscription to readerID,
// so an ended one offers no new one.
func (p subscriptionsPage) Holds(readerID int64) bool {
	for _, c := range p.Current {
		if c.ReaderID == readerID {
			return true
		}
	}
	return false
}
