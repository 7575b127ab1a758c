package web

import (
	"net/http"
	"strconv"

	"github.com/soulseer/soulseer/internal/account"
	"github.com/soulseer/soulseer/internal/message"
)

// messageNewShow is where a "Message" button leads (?to= a user id): the
// conversation with that person if there is one, else an empty one with
// the composer, when the user may write to them (MSG-1: a client to a
// verified reader, a reader to a client of theirs).
func (s *Server) messageNewShow(w http.ResponseWriter, r *http.Request) error {
	to, err := strconv.ParseInt(r.URL.Query().Get("to"), 10, 64)
	if err != nil || to <= 0 {
		return errNotFoundRoute
	}
	ctx, u := r.Context(), userOf(r)
	c, ok, err := s.Messages.ConversationWith(ctx, u, to)
	if err != nil {
		return err
	}
	if ok {
		http.Redirect(w, r, message.ConversationPath(c.ID), http.StatusSeeOther)
		return nil
	}
	with, err := s.Messages.Recipient(ctx, u, to)
	if err != nil {
		return err
	}
	return s.renderConversation(w, r, conversationPage{Page: s.page(w, r, with.DisplayName), Conversation: message.Conversation{With: with},
		AsReader: u.Role == account.RoleReader, CanWrite: true, Presets: topUpPresets})
}
