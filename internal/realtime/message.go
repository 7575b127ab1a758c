package realtime

import (
	"encoding/json"
	"fmt"
	"strconv"

	"github.com/soulseer/soulseer/internal/apperr"
)

// Message is what a subscriber receives and what a WebSocket client reads as
// one JSON text frame: {"type": "...", "data": ...}. Type names what happened,
// namespaced by domain ("wallet.balance", "reading.chat"); Data is its JSON
// payload, omitted when there is none.
type Message struct {
	Type string          `json:"type"`
	Data json.RawMessage `json:"data,omitempty"`

	// frame is the message as a WebSocket client reads it, encoded once
	// for every subscriber; nil until then.
	frame []byte
}

// encoded is m's JSON frame, encoded now unless it already was.
func (m Message) encoded() ([]byte, error) {
	if m.frame != nil {
		return m.frame, nil
	}
	return json.Marshal(m)
}

// MaxMessageBytes bounds a published message, encoded as JSON. PostgreSQL
// refuses NOTIFY payloads of 8000 bytes or more, and the envelope that
// carries a message between instances needs room for the instance id and the
// topic, so larger messages are refused on every engine alike — a message
// that works on SQLite also crosses instances on PostgreSQL. Larger content
// (files, long transcripts) is stored and announced by id.
const MaxMessageBytes = 7 << 10

// UserTopic is the topic of everything addressed to one user: it reaches every
// open page of that user (WAL-6: wallet balance changes; notifications).
func UserTopic(userID int64) string { return "user:" + strconv.FormatInt(userID, 10) }

// AccountTopic is the topic of one user's signing in: every live
// connection of a signed-in user listens on it besides its own topics, so
// TypeSignedOut reaches each of them.
func AccountTopic(userID int64) string { return "account:" + strconv.FormatInt(userID, 10) }

// TypeSignedOut, on AccountTopic, says every session of the user has ended
// (a suspension, a password reset, a deleted account): each of the user's
// live connections, on every instance, gets it and is then closed with
// StatusRefused, so none outlives the sessions it was opened with.
const TypeSignedOut = "account.signed_out"

// ReadingTopic is the topic of one reading: its chat, presence and billing
// events, seen by both parties.
func ReadingTopic(id int64) string { return "reading:" + strconv.FormatInt(id, 10) }

// BookingTopic is the topic of one booked reading's room: its chat, seen
// by both parties (SCH-6).
func BookingTopic(id int64) string { return "booking:" + strconv.FormatInt(id, 10) }

// StreamTopic is the topic of one livestream: chat, gifts and presence, seen
// by every viewer.
func StreamTopic(id int64) string { return "stream:" + strconv.FormatInt(id, 10) }

// encode builds a message and its JSON and enforces MaxMessageBytes, so an
// oversized message is refused before anyone receives it rather than
// reaching only some instances.
func encode(typ string, data any) (Message, []byte, error) {
	if typ == "" {
		return Message{}, nil, fmt.Errorf("realtime: message type is empty")
	}
	m := Message{Type: typ}
	if data != nil {
		raw, err := json.Marshal(data)
		if err != nil {
			return Message{}, nil, fmt.Errorf("realtime: encode %s: %w", typ, err)
		}
		m.Data = raw
	}
	b, err := json.Marshal(m)
	if err != nil {
		return Message{}, nil, fmt.Errorf("realtime: encode %s: %w", typ, err)
	}
	if len(b) > MaxMessageBytes {
		return Message{}, nil, apperr.Errorf(apperr.TooLarge,
			"This message is too large to send live (%d bytes, at most %d).", len(b), MaxMessageBytes)
	}
	m.frame = b
	return m, b, nil
}
