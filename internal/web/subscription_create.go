package web

import (
	"net/http"

	"github.com/soulseer/soulseer/internal/apperr"
)

// subscriptionCreate subscribes the viewer to reader {id} for a month from
// their wallet (LIV-3), or resumes a subscription they cancelled, which
// charges nothing, and returns to the form's next page saying until when
// it runs. A short wallet shows the confirmation page again with what to
// add and a top-up link, nothing charged (402).
func (s *Server) subscriptionCreate(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	if err := parseForm(w, r); err != nil {
		return err
	}
	next := subscriptionNext(r.PostFormValue("next"), id)
	sub, replayed, err := s.Live.Subscribe(r.Context(), userOf(r), id)
	if apperr.CodeOf(err) == apperr.InsufficientFunds {
		p, gerr := s.subscriptionNewData(w, r, id, next)
		if gerr != nil {
			return gerr
		}
		p.Message = apperr.MessageOf(err)
		return s.render(w, http.StatusPaymentRequired, "subscription_new", p)
	}
	if err != nil {
		return err
	}
	end := localSub(sub, r).PeriodEnd.Format(dateLayout)
	if replayed {
		s.setFlash(w, "Your subscription to "+sub.ReaderName+" is on: it runs until "+end+" and then renews.")
	} else {
		s.setFlash(w, "You are subscribed to "+sub.ReaderName+" until "+end+": enjoy every premium stream of theirs.")
	}
	http.Redirect(w, r, next, http.StatusSeeOther)
	return nil
}
