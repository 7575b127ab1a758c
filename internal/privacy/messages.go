package privacy

import (
	"context"
	"errors"

	"github.com/soulseer/soulseer/internal/db"
	"github.com/soulseer/soulseer/internal/message"
)

// messagesFile is messages.json.
type messagesFile struct {
	Conversations []conversationData `json:"conversations"`
}

type conversationData struct {
	ID            int64         `json:"id"`
	Role          string        `json:"role"` // client or reader
	Client        *party        `json:"client"`
	Reader        *party        `json:"reader"`
	CreatedAt     stamp         `json:"created_at"`
	LastMessageAt stamp         `json:"last_message_at"`
	Messages      []messageData `json:"messages"`
}

type messageData struct {
	ID         int64  `json:"id"`
	From       *party `json:"from"`
	Body       string `json:"body"`
	PriceCents int64  `json:"price_cents"` // a paid reply's price; 0 for a free message
	UnlockedAt stamp  `json:"unlocked_at"`
	CreatedAt  stamp  `json:"created_at"`

	of int64
}

// readMessages reads messages.json: the person's conversations with every
// message they may read — a paid reply only once they unlocked it or if
// they wrote it (MSG-3); one still locked for them is left out.
func readMessages(ctx context.Context, q db.Querier, userID int64) (any, error) {
	var f messagesFile
	var errs [2]error
	var msgs []messageData
	f.Conversations, errs[0] = list(ctx, q, `SELECT c.id, CASE WHEN c.client_id = $1 THEN 'client' ELSE 'reader' END, `+partyColumns("cl")+`, `+partyColumns("rd")+`,
		c.created_at, c.last_message_at
		FROM conversations c LEFT JOIN users cl ON cl.id = c.client_id LEFT JOIN users rd ON rd.id = c.reader_id
		WHERE c.client_id = $1 OR c.reader_id = $1 ORDER BY c.id`,
		func(r db.Row, x *conversationData) error {
			var cID, rID int64
			var cName, rName string
			err := r.Scan(&x.ID, &x.Role, &cID, &cName, &rID, &rName, &x.CreatedAt, &x.LastMessageAt)
			x.Client, x.Reader = partyOf(cID, cName), partyOf(rID, rName)
			return err
		}, userID)
	msgs, errs[1] = list(ctx, q, `SELECT m.conversation_id, m.id, `+partyColumns("s")+`, m.body, m.price_cents, m.unlocked_at, m.created_at
		FROM messages m JOIN conversations c ON c.id = m.conversation_id LEFT JOIN users s ON s.id = m.sender_id
		WHERE (c.client_id = $1 OR c.reader_id = $1) AND NOT `+message.LockedFor+` ORDER BY m.conversation_id, m.id`,
		func(r db.Row, x *messageData) error {
			var id int64
			var name string
			err := r.Scan(&x.of, &x.ID, &id, &name, &x.Body, &x.PriceCents, &x.UnlockedAt, &x.CreatedAt)
			x.From = partyOf(id, name)
			return err
		}, userID)
	if err := errors.Join(errs[:]...); err != nil {
		return nil, err
	}
	byConversation := groupBy(msgs, func(m messageData) int64 { return m.of })
	for i := range f.Conversations {
		f.Conversations[i].Messages = orEmpty(byConversation[f.Conversations[i].ID])
	}
	return f, nil
}
