package message

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/soulseer/soulseer/internal/account"
	"github.com/soulseer/soulseer/internal/apperr"
	"github.com/soulseer/soulseer/internal/db"
)

// Paging bounds of conversation lists, histories and searches.
const (
	DefaultLimit = 50
	MaxLimit     = 100
)

// Filter narrows a user's conversations or a search of their messages
// (MSG-5). The zero value is everything, newest first, DefaultLimit at a
// time.
type Filter struct {
	Unread bool   // only conversations with messages the user has not read
	Paid   bool   // only paid replies, or conversations holding one
	With   int64  // only the conversation with this person
	Query  string // search: only messages whose text holds this
	Before int64  // paging: only messages older than this message id
	Offset int    // paging of conversations
	Limit  int    // at most this many; 0 means DefaultLimit
}

// check validates the filter's numbers and search text.
func (f *Filter) check() error {
	fields := map[string]string{}
	switch {
	case f.Limit == 0:
		f.Limit = DefaultLimit
	case f.Limit < 1 || f.Limit > MaxLimit:
		fields["limit"] = fmt.Sprintf("Choose a limit from 1 to %d.", MaxLimit)
	}
	if f.Offset < 0 {
		fields["offset"] = "Use an offset of 0 or more."
	}
	if f.Before < 0 {
		fields["before"] = "Use a message id."
	}
	if f.With < 0 {
		fields["with"] = "Use a user id."
	}
	db.CheckSearch(fields, "q", f.Query)
	return apperr.Validation(fields)
}

// Conversations lists a user's conversations, most recent first, each with
// its latest message as the user sees it (MSG-5).
func (s *Service) Conversations(ctx context.Context, u account.User, f Filter) ([]Conversation, error) {
	if err := f.check(); err != nil {
		return nil, err
	}
	where, args := "(c.client_id = $1 OR c.reader_id = $1)", []any{u.ID}
	if f.Unread {
		where += " AND CASE WHEN c.client_id = $1 THEN c.client_unread ELSE c.reader_unread END > 0"
	}
	if f.Paid {
		where += " AND EXISTS (SELECT 1 FROM messages p WHERE p.conversation_id = c.id AND p.price_cents > 0)"
	}
	if f.With != 0 {
		args = append(args, f.With)
		where += fmt.Sprintf(" AND o.id = $%d", len(args))
	}
	args = append(args, f.Limit, f.Offset)
	rows, err := s.DB.Read().QueryContext(ctx, `SELECT `+conversationColumns+conversationFrom+` WHERE `+where+
		fmt.Sprintf(` ORDER BY c.last_message_at DESC, c.id DESC LIMIT $%d OFFSET $%d`, len(args)-1, len(args)), args...)
	if err != nil {
		return nil, fmt.Errorf("message: conversations: %w", err)
	}
	out := []Conversation{}
	idx := map[int64]int{}
	err = scanRows(rows, func() error {
		c, err := scanConversation(rows)
		if err != nil {
			return err
		}
		idx[c.ID] = len(out)
		out = append(out, c)
		return nil
	})
	if err != nil || len(out) == 0 {
		return out, err
	}
	args, ph := []any{u.ID}, make([]string, len(out))
	for i, c := range out {
		args = append(args, c.ID)
		ph[i] = "$" + strconv.Itoa(i+2)
	}
	rows, err = s.DB.Read().QueryContext(ctx, `SELECT `+messageColumns+` FROM messages m WHERE m.id IN (
		SELECT max(id) FROM messages WHERE conversation_id IN (`+strings.Join(ph, ", ")+`) GROUP BY conversation_id)`, args...)
	if err != nil {
		return nil, fmt.Errorf("message: latest messages: %w", err)
	}
	last, err := scanMessages(rows)
	for _, m := range last {
		out[idx[m.ConversationID]].Last = &m
	}
	return out, err
}

// Conversation returns one of the user's conversations; anyone but its two
// parties gets NotFound.
func (s *Service) Conversation(ctx context.Context, u account.User, id int64) (Conversation, error) {
	return conversationOf(ctx, s.DB.Read(), u.ID, id, "")
}

// ConversationWith returns the user's conversation with another person, and
// false when they have none.
func (s *Service) ConversationWith(ctx context.Context, u account.User, otherID int64) (Conversation, bool, error) {
	list, err := s.Conversations(ctx, u, Filter{With: otherID, Limit: 1})
	if err != nil || len(list) == 0 {
		return Conversation{}, false, err
	}
	return list[0], true, nil
}

// Messages returns a page of a conversation's history as the user sees it
// (MSG-5): the Limit latest messages before f.Before (all when 0), oldest
// first, and whether older ones remain. Only its two parties may read it.
func (s *Service) Messages(ctx context.Context, u account.User, conversationID int64, f Filter) ([]Message, bool, error) {
	if err := f.check(); err != nil {
		return nil, false, err
	}
	if _, err := s.Conversation(ctx, u, conversationID); err != nil {
		return nil, false, err
	}
	before := f.Before
	if before == 0 {
		before = maxID
	}
	rows, err := s.DB.Read().QueryContext(ctx, `SELECT `+messageColumns+` FROM messages m
		WHERE m.conversation_id = $2 AND m.id < $3 ORDER BY m.id DESC LIMIT $4`, u.ID, conversationID, before, f.Limit+1)
	if err != nil {
		return nil, false, fmt.Errorf("message: history: %w", err)
	}
	out, err := scanMessages(rows)
	if err != nil {
		return nil, false, err
	}
	more := len(out) > f.Limit
	if more {
		out = out[:f.Limit]
	}
	for i, j := 0, len(out)-1; i < j; i, j = i+1, j-1 {
		out[i], out[j] = out[j], out[i]
	}
	return out, more, nil
}

// Message returns one message as the user sees it; anyone but the two
// parties of its conversation gets NotFound.
func (s *Service) Message(ctx context.Context, u account.User, id int64) (Message, error) {
	m, err := scanMessage(s.DB.Read().QueryRowContext(ctx, `SELECT `+messageColumns+` FROM messages m
		JOIN conversations c ON c.id = m.conversation_id WHERE m.id = $2 AND (c.client_id = $1 OR c.reader_id = $1)`, u.ID, id))
	if errors.Is(err, sql.ErrNoRows) {
		return Message{}, errNoMessage
	}
	if err != nil {
		return Message{}, fmt.Errorf("message: read %d: %w", id, err)
	}
	return m, nil
}

// maxID is above every message id: "before" it means the latest.
const maxID = int64(1<<63 - 1)

// MarkRead marks every message of a conversation read for the user and
// tells their other open pages the new counts. Only its two parties may.
func (s *Service) MarkRead(ctx context.Context, u account.User, conversationID int64) error {
	return s.DB.Tx(ctx, func(tx *db.Tx) error {
		c, err := conversationOf(ctx, tx, u.ID, conversationID, s.DB.ForUpdateOf("c"))
		if err != nil || c.Unread == 0 {
			return err
		}
		col := "reader_unread"
		if c.ClientID == u.ID {
			col = "client_unread"
		}
		if _, err := tx.ExecContext(ctx, `UPDATE conversations SET `+col+` = 0 WHERE id = $1`, conversationID); err != nil {
			return fmt.Errorf("message: mark read: %w", err)
		}
		return s.publish(ctx, tx, "conversation.read", u.ID, conversationID, 0)
	})
}

// scanRows calls f for each row and closes rows.
func scanRows(rows *sql.Rows, f func() error) error {
	defer rows.Close()
	for rows.Next() {
		if err := f(); err != nil {
			return err
		}
	}
	return rows.Err()
}

// scanMessages reads every row of messageColumns and closes rows.
func scanMessages(rows *sql.Rows) ([]Message, error) {
	out := []Message{}
	err := scanRows(rows, func() error {
		m, err := scanMessage(rows)
		out = append(out, m)
		return err
	})
	return out, err
}
