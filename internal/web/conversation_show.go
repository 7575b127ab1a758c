package web

import (
	"net/http"

	"github.com/soulseer/soulseer/internal/message"
)

// conversationPage is the data of a conversation's page: its thread and
// composer. A conversation not begun yet has ID 0 and no messages.
type conversationPage struct {
	Page
	Conversation message.Conversation
	Messages     []message.Message
	More         bool  // older messages than those shown exist
	Before       int64 // the oldest message shown: the cursor to older ones
	AsReader     bool  // the viewer is the conversation's reader
	CanWrite     bool  // the composer is shown: the latest messages are
	PaidPrice    int64 // the reader's paid-reply price
	Presets      []int64
	Blocked      bool // the viewer has blocked the other party (ACC-6)
}

// conversationShow renders a conversation for its two parties (MSG-1,
// MSG-5): the latest messages (older ones a page at a time with
// ?before=), each paid reply locked for the client with its price, length
// and an unlock button beside their balance (MSG-4), and the composer —
// the reader's with a paid-reply switch showing their price (MSG-3).
// Showing the latest messages marks them read. Anyone else gets 404. htmx
// asks for the thread alone when a message arrives or is unlocked.
func (s *Server) conversationShow(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	ctx, u := r.Context(), userOf(r)
	f, err := parseMessageFilter(r.URL.Query())
	if err != nil {
		return err
	}
	if f.Before == 0 {
		if err := s.Messages.MarkRead(ctx, u, id); err != nil {
			return err
		}
	}
	c, err := s.Messages.Conversation(ctx, u, id)
	if err != nil {
		return err
	}
	data := conversationPage{Page: s.page(w, r, c.With.DisplayName), Conversation: c, AsReader: c.ReaderID == u.ID,
		CanWrite: f.Before == 0, Presets: topUpPresets}
	if data.Messages, data.More, err = s.Messages.Messages(ctx, u, id, f); err != nil {
		return err
	}
	if data.More {
		data.Before = data.Messages[0].ID
	}
	if r.Header.Get("HX-Request") == "true" {
		return s.renderBlock(w, http.StatusOK, "conversation", "thread", data)
	}
	return s.renderConversation(w, r, data)
}

// renderConversation renders a conversation page, with the reader's
// paid-reply price when the viewer is the conversation's reader, and Block
// or Unblock for the other party (ACC-6).
func (s *Server) renderConversation(w http.ResponseWriter, r *http.Request, data conversationPage) error {
	var err error
	if data.Blocked, err = s.Blocks.HasBlocked(r.Context(), userOf(r).ID, data.Conversation.With.ID); err != nil {
		return err
	}
	if data.AsReader {
		u := userOf(r)
		p, err := s.Readers.Get(r.Context(), u, u.ID)
		if err != nil {
			return err
		}
		data.PaidPrice = p.PaidReplyCents
	}
	return s.render(w, http.StatusOK, "conversation", data)
}
