package message

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"strconv"

	"github.com/soulseer/soulseer/internal/apperr"
	"github.com/soulseer/soulseer/internal/clock"
	"github.com/soulseer/soulseer/internal/db"
	"github.com/soulseer/soulseer/internal/ledger"
	"github.com/soulseer/soulseer/internal/notify"
	"github.com/soulseer/soulseer/internal/ratelimit"
	"github.com/soulseer/soulseer/internal/realtime"
)

// Config holds the rules messaging runs by.
type Config struct {
	// PlatformSharePct is the platform's share of a paid reply, in
	// percent, as of a reading's charges; the reader earns the rest.
	PlatformSharePct int
	// SendLimit is how many messages one user may send per window, on
	// every instance together (SEC-3).
	SendLimit ratelimit.Rule
}

// Service runs conversations and messages.
type Service struct {
	DB      *db.DB
	Clock   clock.Clock
	Ledger  *ledger.Ledger
	Hub     *realtime.Hub
	Limiter *ratelimit.Limiter
	Notify  *notify.Service
	Log     *slog.Logger
	Config  Config
}

// errNoConversation is what anyone but the two parties gets for a
// conversation, its messages or a message in it: they do not exist for
// them.
var errNoConversation = apperr.Errorf(apperr.NotFound, "No such conversation.")

// errNoMessage is errNoConversation for a message named by its own id.
var errNoMessage = apperr.Errorf(apperr.NotFound, "No such message.")

// conversationOf returns conversation id with viewer's side of it; anyone
// but its client and reader gets errNoConversation. lock is a row-locking
// suffix or "".
func conversationOf(ctx context.Context, q db.Querier, viewerID, id int64, lock string) (Conversation, error) {
	c, err := scanConversation(q.QueryRowContext(ctx, `SELECT `+conversationColumns+conversationFrom+`
		WHERE c.id = $2 AND (c.client_id = $1 OR c.reader_id = $1)`+lock, viewerID, id))
	if errors.Is(err, sql.ErrNoRows) {
		return Conversation{}, errNoConversation
	}
	if err != nil {
		return Conversation{}, fmt.Errorf("message: conversation: %w", err)
	}
	return c, nil
}

// conversationColumns selects a conversation as the viewer $1 sees it, in
// the order scanConversation reads; conversationFrom joins the other party.
const (
	conversationColumns = `c.id, c.client_id, c.reader_id, CASE WHEN c.client_id = $1 THEN c.client_unread ELSE c.reader_unread END,
	c.last_message_at, o.id, o.display_name, o.role`
	conversationFrom = ` FROM conversations c JOIN users o ON o.id = CASE WHEN c.client_id = $1 THEN c.reader_id ELSE c.client_id END`
)

func scanConversation(row interface{ Scan(...any) error }) (Conversation, error) {
	var c Conversation
	var last int64
	if err := row.Scan(&c.ID, &c.ClientID, &c.ReaderID, &c.Unread, &last, &c.With.ID, &c.With.DisplayName, &c.With.Role); err != nil {
		return Conversation{}, err
	}
	c.LastMessageAt = db.Time(last)
	return c, nil
}

// UnreadTotal is how many messages userID has not read, over all their
// conversations: the count in the header.
func (s *Service) UnreadTotal(ctx context.Context, userID int64) (int, error) {
	return unreadTotal(ctx, s.DB.Read(), userID)
}

func unreadTotal(ctx context.Context, q db.Querier, userID int64) (int, error) {
	var n int
	if err := q.QueryRowContext(ctx, `SELECT COALESCE(SUM(CASE WHEN client_id = $1 THEN client_unread ELSE reader_unread END), 0)
		FROM conversations WHERE client_id = $1 OR reader_id = $1`, userID).Scan(&n); err != nil {
		return 0, fmt.Errorf("message: unread total: %w", err)
	}
	return n, nil
}

// publish sends a live event of type typ about a conversation to the open
// pages of userID, one of its parties, once tx commits: the message (if
// any) as that party sees it, sealed, and their unread counts. A message
// whose text would make the event too large to send live goes without its
// text, announced by id, for pages to read from the history.
func (s *Service) publish(ctx context.Context, tx *db.Tx, typ string, userID, conversationID, messageID int64) error {
	c, err := conversationOf(ctx, tx, userID, conversationID, "")
	if err != nil {
		return err
	}
	ev := Event{ConversationID: c.ID, With: c.With, Unread: c.Unread}
	if ev.UnreadTotal, err = unreadTotal(ctx, tx, userID); err != nil {
		return err
	}
	if messageID != 0 {
		m, err := messageFor(ctx, tx, userID, messageID)
		if err != nil {
			return err
		}
		m = m.Sealed()
		ev.Message = &m
	}
	err = s.Hub.PublishOnCommit(tx, realtime.UserTopic(userID), typ, ev)
	if apperr.CodeOf(err) == apperr.TooLarge && ev.Message != nil && ev.Message.Body != "" {
		ev.Message.Body = ""
		return s.Hub.PublishOnCommit(tx, realtime.UserTopic(userID), typ, ev)
	}
	return err
}

// messageFor reads message id as viewerID sees it.
func messageFor(ctx context.Context, q db.Querier, viewerID, id int64) (Message, error) {
	m, err := scanMessage(q.QueryRowContext(ctx, `SELECT `+messageColumns+` FROM messages m WHERE m.id = $2`, viewerID, id))
	if err != nil {
		return Message{}, fmt.Errorf("message: read %d: %w", id, err)
	}
	return m, nil
}

// groupOf is the notification group of a conversation: the messages of one
// conversation share their emails.
func groupOf(conversationID int64) string {
	return "conversation:" + strconv.FormatInt(conversationID, 10)
}
