package web

import (
	"net/http"
	"strings"

	"github.com/soulseer/soulseer/internal/apperr"
	"github.com/soulseer/soulseer/internal/ledger"
	"github.com/soulseer/soulseer/internal/live"
)

// readerLiveCreate starts the reader's stream from the go-live page
// (LIV-1): a title, a visibility, a premium stream's ticket price in
// dollars and a private stream's invited users by email. What the service
// or the form refuses is shown beside its field, as typed; once live the
// page shows the stream.
func (s *Server) readerLiveCreate(w http.ResponseWriter, r *http.Request) error {
	if err := parseForm(w, r); err != nil {
		return err
	}
	f := goLiveForm{Title: r.PostFormValue("title"), Visibility: r.PostFormValue("visibility"),
		Price: r.PostFormValue("ticket_price"), Invites: r.PostFormValue("invites")}
	in := live.StartInput{Title: f.Title, Visibility: f.Visibility}
	fields := map[string]string{}
	if f.Visibility == string(live.Premium) {
		c, ok := ledger.ParseCents(f.Price)
		if !ok {
			fields["ticket_price_cents"] = "Write the ticket's price in dollars, e.g. 5 or 4.99."
		}
		in.TicketPriceCents = c
	}
	if f.Visibility == string(live.Private) {
		for _, email := range strings.FieldsFunc(f.Invites, func(c rune) bool { return c == ',' || c == '\n' || c == '\r' || c == ' ' }) {
			invited, err := s.Accounts.GetByEmail(r.Context(), email)
			if apperr.CodeOf(err) == apperr.NotFound {
				fields["invited_user_ids"] = "Nobody here has the email " + email + "."
				break
			}
			if err != nil {
				return err
			}
			in.InvitedUserIDs = append(in.InvitedUserIDs, invited.ID)
		}
	}
	var err error
	if len(fields) > 0 {
		err = apperr.Validation(fields)
	} else {
		_, err = s.Live.Start(r.Context(), userOf(r), in)
	}
	if err != nil {
		e := apperr.As(err)
		if e == nil || (e.Code != apperr.Invalid && e.Code != apperr.Conflict) {
			return err
		}
		p, derr := s.readerLiveData(w, r)
		if derr != nil {
			return derr
		}
		p.Form, p.Message, p.Errors = f, apperr.MessageOf(err), e.Fields
		return s.render(w, http.StatusBadRequest, "reader_live", p)
	}
	s.setFlash(w, "You are live.")
	http.Redirect(w, r, "/reader/live", http.StatusSeeOther)
	return nil
}
