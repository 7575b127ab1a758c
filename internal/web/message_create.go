package web

import (
	"cmp"
	"net/http"
	"strconv"

	"github.com/soulseer/soulseer/internal/apperr"
	"github.com/soulseer/soulseer/internal/message"
)

// messageCreate sends a message from a conversation's composer (MSG-1,
// MSG-3) and returns to the conversation; a refusal — an empty or too long
// message, too many messages (SEC-3) — returns there with the reason.
func (s *Server) messageCreate(w http.ResponseWriter, r *http.Request) error {
	if err := parseForm(w, r); err != nil {
		return err
	}
	to, err := strconv.ParseInt(r.PostFormValue("to_user_id"), 10, 64)
	if err != nil || to <= 0 {
		return apperr.Validation(map[string]string{"to_user_id": "Choose who to write to."})
	}
	paid := r.PostFormValue("paid")
	m, err := s.Messages.Send(r.Context(), userOf(r), message.SendInput{To: to, Body: r.PostFormValue("body"), Paid: paid == "true" || paid == "on"})
	if e := apperr.As(err); e != nil && e.Code != apperr.NotFound && e.Code != apperr.Forbidden {
		s.setFlash(w, cmp.Or(e.Fields["body"], e.Fields["paid"], e.Message))
		http.Redirect(w, r, "/messages/new?to="+strconv.FormatInt(to, 10), http.StatusSeeOther)
		return nil
	}
	if err != nil {
		return err
	}
	http.Redirect(w, r, message.ConversationPath(m.ConversationID)+"#m"+strconv.FormatInt(m.ID, 10), http.StatusSeeOther)
	return nil
}
