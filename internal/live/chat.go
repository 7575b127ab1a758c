package live

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/soulseer/soulseer/internal/account"
	"github.com/soulseer/soulseer/internal/apperr"
	"github.com/soulseer/soulseer/internal/db"
	"github.com/soulseer/soulseer/internal/realtime"
)

// ChatMessage is one line of a stream's chat (LIV-7).
type ChatMessage struct {
	ID        int64     `json:"id"`
	StreamID  int64     `json:"stream_id"`
	SenderID  int64     `json:"sender_id"`
	Sender    string    `json:"sender"`
	Body      string    `json:"body"`
	CreatedAt time.Time `json:"created_at"`
}

// Say stores who's chat message in live stream id and delivers it to every
// viewer (stream.chat) once stored (LIV-7). Only those CanWatch lets watch
// the stream may chat in it; the body has 1 to MaxChatLen characters; each
// user may send Config.ChatLimit messages per window across every stream
// (RateLimited, saying how long to wait), counted only for messages the
// stream would take. A viewer muted in the reader's streams may not chat
// until the mute ends (Forbidden, saying for how long; LIV-8).
func (s *Service) Say(ctx context.Context, who account.User, id int64, body string) (ChatMessage, error) {
	body = strings.TrimSpace(body)
	if body == "" || utf8.RuneCountInString(body) > MaxChatLen {
		return ChatMessage{}, apperr.Validation(map[string]string{"body": fmt.Sprintf("Write a message of 1 to %d characters.", MaxChatLen)})
	}
	st, err := s.Watch(ctx, who, id)
	if err != nil {
		return ChatMessage{}, err
	}
	until, muted, err := s.MutedUntil(ctx, st.ReaderID, who.ID)
	if err != nil {
		return ChatMessage{}, err
	}
	if muted {
		return ChatMessage{}, apperr.Errorf(apperr.Forbidden, "You are muted in %s's chat for %d more minutes.", st.ReaderName,
			int((until.Sub(s.Clock.Now())+time.Minute-1)/time.Minute))
	}
	err = s.Limiter.Allow(ctx, "stream-chat:"+strconv.FormatInt(who.ID, 10), s.Config.ChatLimit)
	if e := apperr.As(err); e != nil && e.Code == apperr.RateLimited {
		return ChatMessage{}, &apperr.Error{Code: apperr.RateLimited, RetryAfter: e.RetryAfter, Message: fmt.Sprintf(
			"You are sending messages too quickly. Please wait %d seconds and send it again.", int(e.RetryAfter.Seconds()))}
	}
	if err != nil {
		return ChatMessage{}, err
	}
	m := ChatMessage{StreamID: id, SenderID: who.ID, Sender: who.DisplayName, Body: body, CreatedAt: s.Clock.Now()}
	err = s.DB.Tx(ctx, func(tx *db.Tx) error {
		if err := tx.QueryRowContext(ctx, `INSERT INTO stream_messages (stream_id, sender_id, body, created_at) VALUES ($1, $2, $3, $4) RETURNING id`,
			id, who.ID, body, db.Millis(m.CreatedAt)).Scan(&m.ID); err != nil {
			return fmt.Errorf("live: store message: %w", err)
		}
		return s.Hub.PublishOnCommit(tx, realtime.StreamTopic(id), "stream.chat", m)
	})
	return m, err
}

// Transcript returns the latest chat of stream id, oldest first, to those
// CanWatch lets watch it, live or ended (LIV-7), leaving out the messages
// moderators hid (LIV-8).
func (s *Service) Transcript(ctx context.Context, viewer account.User, id int64) ([]ChatMessage, error) {
	st, err := s.Get(ctx, id)
	if err != nil {
		return nil, err
	}
	if err := s.CanWatch(ctx, viewer, st); err != nil {
		return nil, err
	}
	rows, err := s.DB.Read().QueryContext(ctx, fmt.Sprintf(`SELECT m.id, m.stream_id, COALESCE(m.sender_id, 0), COALESCE(u.display_name, ''), m.body, m.created_at
		FROM stream_messages m LEFT JOIN users u ON u.id = m.sender_id WHERE m.stream_id = $1 AND m.hidden_at IS NULL ORDER BY m.id DESC LIMIT %d`, transcriptLen), id)
	if err != nil {
		return nil, fmt.Errorf("live: transcript: %w", err)
	}
	defer rows.Close()
	out := []ChatMessage{}
	for rows.Next() {
		var m ChatMessage
		var at int64
		if err := rows.Scan(&m.ID, &m.StreamID, &m.SenderID, &m.Sender, &m.Body, &at); err != nil {
			return nil, fmt.Errorf("live: transcript: %w", err)
		}
		m.CreatedAt = db.Time(at)
		out = append(out, m)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("live: transcript: %w", err)
	}
	slices.Reverse(out)
	return out, nil
}
