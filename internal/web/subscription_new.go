package web

import (
	"net/http"
	"strconv"

	"github.com/soulseer/soulseer/internal/apperr"
	"github.com/soulseer/soulseer/internal/reader"
)

// subscriptionNewPage is the data of the page on which a viewer confirms
// a monthly subscription to a reader.
type subscriptionNewPage struct {
	Page
	Reader  reader.Profile
	Card    subscriptionCard
	Message string // why subscribing failed (a short wallet, with what to add)
}

// subscriptionNew is the page confirming a subscription to reader {id}
// (LIV-3): the monthly price, the viewer's balance, what the month
// unlocks and how renewal works, with one button that pays the month from
// the wallet. A short wallet is told what to add, with a top-up link that
// returns here; a subscription already held is shown with its date and
// its cancel or resume button. One's own subscription is a Conflict.
// ?next= names the page to return to (a premium stream's).
func (s *Server) subscriptionNew(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	if id == userOf(r).ID {
		return apperr.Errorf(apperr.Conflict, "You cannot subscribe to yourself.")
	}
	p, err := s.subscriptionNewData(w, r, id, r.URL.Query().Get("next"))
	if err != nil {
		return err
	}
	return s.render(w, http.StatusOK, "subscription_new", p)
}

// subscriptionNewData gathers the confirmation page of a subscription to
// readerID, whose forms return to next.
func (s *Server) subscriptionNewData(w http.ResponseWriter, r *http.Request, readerID int64, next string) (subscriptionNewPage, error) {
	p := subscriptionNewPage{Page: s.page(w, r, "Subscribe")}
	var err error
	if p.Reader, err = s.Readers.Get(r.Context(), userOf(r), readerID); err != nil {
		return p, err
	}
	p.Title = "Subscribe to " + p.Reader.DisplayName
	p.Card, err = s.subscriptionCardOf(r, readerID, p.Balance, subscriptionNext(next, readerID))
	return p, err
}

// subscriptionNext is where a subscription's forms return to: next when it
// is a path on this site, else reader readerID's profile.
func subscriptionNext(next string, readerID int64) string {
	if p := returnPath(next); p != "" {
		return p
	}
	return "/readers/" + strconv.FormatInt(readerID, 10)
}

// TopUpURL is the wallet with a way back to this page once topped up.
func (p subscriptionNewPage) TopUpURL() string {
	return "/wallet?next=/readers/" + strconv.FormatInt(p.Card.ReaderID, 10) + "/subscribe"
}
