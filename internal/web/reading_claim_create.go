package web

import (
	"net/http"
	"strconv"

	"github.com/soulseer/soulseer/internal/apperr"
	"github.com/soulseer/soulseer/internal/reading"
)

// claimForm is the satisfaction claim form of a reading's summary, as the
// client filled it in when it comes back with errors.
type claimForm struct {
	Reasons []reading.ClaimReason
	Reason  string
	Details string
	Open    bool // shown unfolded: it came back with errors
	Errors  map[string]string
}

// readingClaimCreate files the client's satisfaction claim from the summary
// (OD-14): a reason from the short list, optional details and a ticked
// confirmation, since the claim goes to the team and cannot be taken back.
// A form with errors comes back unfolded with them beside its fields (400).
func (s *Server) readingClaimCreate(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	if err := parseForm(w, r); err != nil {
		return err
	}
	reason, details := r.PostFormValue("reason"), r.PostFormValue("details")
	if r.PostFormValue("confirm") == "yes" {
		err = s.Readings.FileClaim(r.Context(), userOf(r), id, reason, details)
	} else {
		err = apperr.Validation(map[string]string{"confirm": "Tick the box to send the claim."})
	}
	if e := apperr.As(err); e != nil && e.Code == apperr.Invalid {
		data, err := s.readingRoom(w, r, id)
		if err != nil {
			return err
		}
		data.Claim = claimForm{Reasons: reading.ClaimReasons, Reason: reason, Details: details, Open: true, Errors: e.Fields}
		return s.render(w, http.StatusBadRequest, "reading_room", data)
	}
	if err != nil {
		if apperr.As(err) == nil {
			return err
		}
		s.setFlash(w, apperr.MessageOf(err))
	} else {
		s.setFlash(w, "We are sorry this reading disappointed you. Our team will review your claim within a day.")
	}
	http.Redirect(w, r, "/readings/"+strconv.FormatInt(id, 10), http.StatusSeeOther)
	return nil
}
