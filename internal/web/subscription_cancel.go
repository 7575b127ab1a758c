package web

import (
	"net/http"
)

// subscriptionCancel cancels the viewer's subscription to reader {id} at
// the end of the month paid for (LIV-3) and returns to the form's next
// page saying until when it still admits them. Without an active
// subscription it is a 404.
func (s *Server) subscriptionCancel(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	if err := parseForm(w, r); err != nil {
		return err
	}
	sub, err := s.Live.Unsubscribe(r.Context(), userOf(r), id)
	if err != nil {
		return err
	}
	s.setFlash(w, "Your subscription to "+sub.ReaderName+" is cancelled: it stays active until "+localSub(sub, r).PeriodEnd.Format(dateLayout)+", then stops.")
	http.Redirect(w, r, subscriptionNext(r.PostFormValue("next"), id), http.StatusSeeOther)
	return nil
}
