package web

import (
	"net/http"

	"github.com/soulseer/soulseer/internal/live"
)

// subscriptionCard is what a page shows the visitor of a reader's monthly
// subscription (LIV-3): its price, the visitor's subscription to the reader
// while it admits them, their balance, and the page its forms return to.
type subscriptionCard struct {
	ReaderID   int64
	ReaderName string
	PriceCents int64              // the reader's price now; 0 when they offer none
	Sub        *live.Subscription // the visitor's active subscription, times on their clock; nil when none
	Balance    int64              // the visitor's wallet, which pays the month
	Next       string             // the page to return to after subscribing, cancelling or resuming
	Guest      bool               // the visitor is not signed in
}

// Offered reports whether there is anything to show: a subscription on
// offer, or one the visitor holds (a reader may stop offering it while it
// runs).
func (c subscriptionCard) Offered() bool { return c.PriceCents > 0 || c.Sub != nil }

// Short is how much the visitor's wallet lacks to pay a month; 0 when it
// covers it.
func (c subscriptionCard) Short() int64 { return max(c.PriceCents-c.Balance, 0) }

// subscriptionCardOf reads readerID's subscription offer as the visitor of
// r sees it, the visitor's subscription only while it is active; next is
// where its forms return to.
func (s *Server) subscriptionCardOf(r *http.Request, readerID int64, balance int64, next string) (subscriptionCard, error) {
	u := userOf(r)
	o, err := s.Live.SubscriptionOffer(r.Context(), u, readerID)
	if err != nil {
		return subscriptionCard{}, err
	}
	c := subscriptionCard{ReaderID: readerID, ReaderName: o.ReaderName, PriceCents: o.PriceCents, Balance: balance, Next: next, Guest: u.ID == 0}
	if o.Subscription != nil && o.Subscription.State == live.SubActive {
		c.Sub = localSub(*o.Subscription, r)
	}
	return c, nil
}

// localSub is sub with its period on the clock of r's user.
func localSub(sub live.Subscription, r *http.Request) *live.Subscription {
	loc := userOf(r).Location()
	sub.PeriodStart, sub.PeriodEnd = sub.PeriodStart.In(loc), sub.PeriodEnd.In(loc)
	return &sub
}
