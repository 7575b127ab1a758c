package web

import (
	"net/http"
	"strconv"

	"github.com/soulseer/soulseer/internal/apperr"
	"github.com/soulseer/soulseer/internal/message"
)

// messageUnlock unlocks a paid reply from the conversation page (MSG-4) and
// returns to it; when the balance falls short the page says how much is
// missing, beside the top-up buttons.
func (s *Server) messageUnlock(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	ctx, u := r.Context(), userOf(r)
	m, err := s.Messages.Message(ctx, u, id)
	if err != nil {
		return err
	}
	if _, err := s.Messages.Unlock(ctx, u, id); err != nil {
		if apperr.As(err) == nil {
			return err
		}
		s.setFlash(w, apperr.MessageOf(err))
	}
	http.Redirect(w, r, message.ConversationPath(m.ConversationID)+"#m"+strconv.FormatInt(id, 10), http.StatusSeeOther)
	return nil
}
