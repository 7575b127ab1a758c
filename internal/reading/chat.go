package reading

import (
	"context"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/soulseer/soulseer/internal/account"
	"github.com/soulseer/soulseer/internal/apperr"
	"github.com/soulseer/soulseer/internal/db"
	"github.com/soulseer/soulseer/internal/realtime"
)

// MaxMessageLen bounds one chat message, in characters.
const MaxMessageLen = 2000

// Message is one chat message of a reading's transcript (OD-9).
type Message struct {
	ID        int64     `json:"id"`
	ReadingID int64     `json:"reading_id"`
	SenderID  int64     `json:"sender_id"`
	Sender    string    `json:"sender"`
	Body      string    `json:"body"`
	CreatedAt time.Time `json:"created_at"`
}

// Say stores a chat message from one party and delivers it to both through
// the reading's topic. Messages are taken while the reading is running or
// paused, not before it starts or after it ends.
func (s *Service) Say(ctx context.Context, u account.User, id int64, body string) (Message, error) {
	return s.say(ctx, u, id, body, -1)
}

// errSaid refuses a line its speaker has already said.
var errSaid = apperr.Errorf(apperr.Conflict, "This message was already sent.")

// SayLine stores a message like Say only as u's line number n (from 0) of
// the reading: when u has sent a different number of messages so far,
// nothing is stored and the answer is a Conflict. A script played on
// several instances at once so says each line once.
func (s *Service) SayLine(ctx context.Context, u account.User, id int64, n int, body string) (Message, error) {
	return s.say(ctx, u, id, body, n)
}

// say stores a message of u; with line ≥ 0, only as u's message number
// line, checked under the reading's row lock.
func (s *Service) say(ctx context.Context, u account.User, id int64, body string, line int) (Message, error) {
	body = strings.TrimSpace(body)
	if body == "" || utf8.RuneCountInString(body) > MaxMessageLen {
		return Message{}, apperr.Validation(map[string]string{"body": fmt.Sprintf("Write a message of 1 to %d characters.", MaxMessageLen)})
	}
	var m Message
	err := s.DB.Tx(ctx, func(tx *db.Tx) error {
		lock := ""
		if line >= 0 {
			lock = s.DB.ForUpdateOf("r")
		}
		r, err := load(ctx, tx, id, lock)
		if err != nil {
			return err
		}
		if _, ok := r.PartyOf(u.ID); !ok {
			return errNoReading
		}
		if !r.State.Live() {
			return apperr.Errorf(apperr.Conflict, "Messages can be sent while the reading is running.")
		}
		if line >= 0 {
			var said int
			if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM reading_messages WHERE reading_id = $1 AND sender_id = $2`, id, u.ID).Scan(&said); err != nil {
				return fmt.Errorf("reading: count messages: %w", err)
			}
			if said != line {
				return errSaid
			}
		}
		now := s.Clock.Now()
		m = Message{ReadingID: id, SenderID: u.ID, Sender: u.DisplayName, Body: body, CreatedAt: now}
		if err := tx.QueryRowContext(ctx, `INSERT INTO reading_messages (reading_id, sender_id, body, created_at) VALUES ($1, $2, $3, $4) RETURNING id`,
			id, u.ID, body, db.Millis(now)).Scan(&m.ID); err != nil {
			return fmt.Errorf("reading: store message: %w", err)
		}
		return s.Hub.PublishOnCommit(tx, realtime.ReadingTopic(id), "chat.message", m)
	})
	return m, err
}

// Typing tells the other party that u is typing; nothing is stored.
func (s *Service) Typing(ctx context.Context, u account.User, id int64) error {
	r, err := s.Get(ctx, u, id)
	if err != nil {
		return err
	}
	if !r.State.Live() {
		return nil
	}
	return s.Hub.Publish(ctx, realtime.ReadingTopic(id), "chat.typing", map[string]any{"user_id": u.ID, "name": u.DisplayName})
}

// Transcript returns a reading's messages in order, to its parties and admins.
func (s *Service) Transcript(ctx context.Context, viewer account.User, id int64) ([]Message, error) {
	if _, err := s.Get(ctx, viewer, id); err != nil {
		return nil, err
	}
	rows, err := s.DB.Read().QueryContext(ctx, `SELECT m.id, m.reading_id, COALESCE(m.sender_id, 0), COALESCE(u.display_name, ''), m.body, m.created_at
		FROM reading_messages m LEFT JOIN users u ON u.id = m.sender_id WHERE m.reading_id = $1 ORDER BY m.id`, id)
	if err != nil {
		return nil, fmt.Errorf("reading: transcript: %w", err)
	}
	defer rows.Close()
	var out []Message
	for rows.Next() {
		var m Message
		var at int64
		if err := rows.Scan(&m.ID, &m.ReadingID, &m.SenderID, &m.Sender, &m.Body, &at); err != nil {
			return nil, err
		}
		m.CreatedAt = db.Time(at)
		out = append(out, m)
	}
	return out, rows.Err()
}
