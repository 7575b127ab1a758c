// Package message is messaging between clients and readers (MSG-1 … MSG-6):
// one conversation per client–reader pair, plain-text messages delivered
// live to both parties' open pages, unread counts, history, search and
// filters, and paid replies — a reader's answer the client unlocks from
// their wallet, once, through the ledger.
//
// A locked paid reply's text never leaves the database for anyone but the
// reader who wrote it: every query that reads messages for a viewer selects
// the text through bodyFor, which gives the empty string while the reply is
// locked for that viewer, and search matches only text the viewer may read.
package message

import (
	"database/sql"
	"time"

	"github.com/soulseer/soulseer/internal/account"
	"github.com/soulseer/soulseer/internal/db"
)

// MaxBodyLen bounds one message, in characters.
const MaxBodyLen = 4000

// Message is one message as one viewer sees it. Body is empty while the
// message is a paid reply locked for the viewer (Locked): the viewer then
// sees its sender, time, price and length (Chars), never its text.
type Message struct {
	ID             int64     `json:"id"`
	ConversationID int64     `json:"conversation_id"`
	SenderID       int64     `json:"sender_id"`
	Body           string    `json:"body,omitempty"`
	Chars          int       `json:"chars"`
	Paid           bool      `json:"paid"`
	PriceCents     int64     `json:"price_cents"`
	Locked         bool      `json:"locked"`
	Unlocked       bool      `json:"unlocked"`
	UnlockedAt     time.Time `json:"unlocked_at,omitzero"`
	TransferID     int64     `json:"transfer_id,omitempty"`    // the ledger transfer that unlocked it (MSG-6)
	EarningsCents  int64     `json:"earnings_cents,omitempty"` // what the reader earned from the unlock; shown to the reader only
	CreatedAt      time.Time `json:"created_at"`
}

// Sealed returns m as it may travel outside the conversation's history — in
// the answer to its sender and in live events: a paid reply not yet
// unlocked goes without its text, to whomever it goes, its reader included
// (whose pages read it from the history).
func (m Message) Sealed() Message {
	if m.Paid && !m.Unlocked {
		m.Body, m.Locked = "", true
	}
	return m
}

// Person is the other party of a conversation.
type Person struct {
	ID          int64        `json:"id"`
	DisplayName string       `json:"display_name"`
	Role        account.Role `json:"role"`
}

// Conversation is the thread of one client–reader pair as one of them sees
// it: the other party, how many of their messages the viewer has not read,
// and the latest message.
type Conversation struct {
	ID            int64     `json:"id"`
	ClientID      int64     `json:"-"`
	ReaderID      int64     `json:"-"`
	With          Person    `json:"with"`
	Unread        int       `json:"unread"`
	LastMessageAt time.Time `json:"last_message_at"`
	Last          *Message  `json:"last_message,omitempty"`
}

// Event is what the live events of messaging carry to one user's open pages
// ("message.new", "message.unlocked", "conversation.read"): the
// conversation, the message as that user sees it, the other party, and the
// user's unread counts after the change. The message comes without its
// text (Body empty, Locked false, Chars its length) when the text is too
// long to travel live; the history has it.
type Event struct {
	ConversationID int64    `json:"conversation_id"`
	Message        *Message `json:"message,omitempty"`
	With           Person   `json:"with"`
	Unread         int      `json:"unread"`
	UnreadTotal    int      `json:"unread_total"`
}

// LockedFor is the SQL condition, on messages m, that m is a paid reply
// still locked for the viewer $1: not unlocked, and not theirs (MSG-3).
// Whatever shows a person messages leaves such a reply's text out.
const LockedFor = `(m.price_cents > 0 AND m.unlocked_at IS NULL AND m.sender_id <> $1)`

// bodyFor selects m's text as the viewer $1 may see it: empty while locked.
const bodyFor = `CASE WHEN ` + LockedFor + ` THEN '' ELSE m.body END`

// messageColumns selects a message for the viewer $1, in the order
// scanMessage reads.
const messageColumns = `m.id, m.conversation_id, m.sender_id, ` + bodyFor + `, m.chars, m.price_cents, ` + LockedFor + `,
	m.unlocked_at, COALESCE(m.transfer_id, 0), CASE WHEN m.sender_id = $1 THEN m.earnings_cents ELSE 0 END, m.created_at`

// scanMessage reads the columns of messageColumns.
func scanMessage(row interface{ Scan(...any) error }) (Message, error) {
	var m Message
	var unlocked sql.NullInt64
	var created int64
	if err := row.Scan(&m.ID, &m.ConversationID, &m.SenderID, &m.Body, &m.Chars, &m.PriceCents, &m.Locked,
		&unlocked, &m.TransferID, &m.EarningsCents, &created); err != nil {
		return Message{}, err
	}
	m.Paid, m.Unlocked = m.PriceCents > 0, unlocked.Valid
	m.UnlockedAt, m.CreatedAt = db.NullTime(unlocked), db.Time(created)
	return m, nil
}
