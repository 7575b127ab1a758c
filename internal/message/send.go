package message

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/soulseer/soulseer/internal/account"
	"github.com/soulseer/soulseer/internal/apperr"
	"github.com/soulseer/soulseer/internal/db"
	"github.com/soulseer/soulseer/internal/ledger"
	"github.com/soulseer/soulseer/internal/notify"
)

// SendInput is a message someone sends.
type SendInput struct {
	To   int64 // the recipient's user id
	Body string
	// Paid marks a reader's reply paid: the client sees it locked until
	// they pay the reader's paid-reply price (MSG-3).
	Paid bool
}

// pair is the client and the reader a message goes between.
type pair struct {
	clientID, readerID int64
	to                 Person
}

// Send delivers a message from one party of a client–reader pair to the
// other (MSG-1, MSG-3): a client may write to any verified reader; a
// reader may write to a client who has written to them or had a reading
// with them, never cold, and neither while either has blocked the other
// (ACC-6). Only readers send paid replies, priced at their
// paid-reply price. Each user may send Config.SendLimit messages per
// window across every instance (SEC-3); over it the message is refused
// with the time to wait, and nothing is stored. The message reaches both
// parties' open pages live, and the recipient is notified (MSG-2) — of a
// locked paid reply only that it came and its price. The message comes back
// sealed.
func (s *Service) Send(ctx context.Context, from account.User, in SendInput) (Message, error) {
	body, err := checkInput(from, in)
	if err != nil {
		return Message{}, err
	}
	p, err := s.pairFor(ctx, from, in.To)
	if err != nil {
		return Message{}, err
	}
	// A blocked pair is refused before the limit counts the attempt (and
	// again in the transaction, which decides).
	if err := refuseBlocked(ctx, s.DB.Read(), p); err != nil {
		return Message{}, err
	}
	if err := s.allow(ctx, from.ID); err != nil {
		return Message{}, err
	}
	var m Message
	err = s.DB.Tx(ctx, func(tx *db.Tx) error {
		if err := refuseBlocked(ctx, tx, p); err != nil {
			return err
		}
		var price int64
		if in.Paid {
			if err := tx.QueryRowContext(ctx, `SELECT paid_reply_cents FROM reader_profiles WHERE user_id = $1`, from.ID).Scan(&price); err != nil {
				return fmt.Errorf("message: paid-reply price: %w", err)
			}
		}
		now := db.Millis(s.Clock.Now())
		unread := "client_unread"
		if from.ID == p.clientID {
			unread = "reader_unread"
		}
		var convID int64
		if err := tx.QueryRowContext(ctx, `INSERT INTO conversations (client_id, reader_id, `+unread+`, last_message_at, created_at)
			VALUES ($1, $2, 1, $3, $3)
			ON CONFLICT (client_id, reader_id) DO UPDATE SET `+unread+` = conversations.`+unread+` + 1, last_message_at = excluded.last_message_at
			RETURNING id`, p.clientID, p.readerID, now).Scan(&convID); err != nil {
			return fmt.Errorf("message: conversation: %w", err)
		}
		var id int64
		if err := tx.QueryRowContext(ctx, `INSERT INTO messages (conversation_id, sender_id, body, chars, price_cents, created_at)
			VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`, convID, from.ID, body, utf8.RuneCountInString(body), price, now).Scan(&id); err != nil {
			return fmt.Errorf("message: store: %w", err)
		}
		var err error
		if m, err = messageFor(ctx, tx, from.ID, id); err != nil {
			return err
		}
		for _, u := range []int64{p.clientID, p.readerID} {
			if err := s.publish(ctx, tx, "message.new", u, convID, id); err != nil {
				return err
			}
		}
		return s.Notify.Send(ctx, tx, notify.Notification{
			UserID: p.to.ID, Kind: notify.KindMessage, Title: "New message from " + from.DisplayName,
			Body: preview(body, price), URL: ConversationPath(convID), Group: groupOf(convID),
		})
	})
	if err != nil {
		return Message{}, err
	}
	return m.Sealed(), nil
}

// ConversationPath is the page of a conversation.
func ConversationPath(id int64) string { return "/conversations/" + strconv.FormatInt(id, 10) }

// preview is what a notification shows of a message: its text, or for a
// paid reply only that it is one and its price — never its text.
func preview(body string, price int64) string {
	if price > 0 {
		return "Paid reply, " + ledger.FormatCents(price)
	}
	return body
}

// checkInput normalises a message's text (line breaks as "\n", no white
// space around it) and checks it and the recipient field.
func checkInput(from account.User, in SendInput) (string, error) {
	body := strings.TrimSpace(strings.ReplaceAll(in.Body, "\r\n", "\n"))
	fields := map[string]string{}
	if n := utf8.RuneCountInString(body); n == 0 || n > MaxBodyLen {
		fields["body"] = fmt.Sprintf("Write a message of 1 to %d characters.", MaxBodyLen)
	} else if strings.ContainsRune(body, 0) {
		fields["body"] = "A message cannot hold NUL characters."
	}
	if in.To <= 0 {
		fields["to_user_id"] = "Choose who to write to."
	}
	if in.Paid && from.Role != account.RoleReader {
		fields["paid"] = "Only readers send paid replies."
	}
	return body, apperr.Validation(fields)
}

// Recipient returns the person from would write to as user to, or the error
// Send would refuse the message with for who it goes to.
func (s *Service) Recipient(ctx context.Context, from account.User, to int64) (Person, error) {
	p, err := s.pairFor(ctx, from, to)
	if err != nil {
		return Person{}, err
	}
	return p.to, refuseBlocked(ctx, s.DB.Read(), p)
}

// pairFor decides whether from may write to user to, and as which side of
// which pair: a client to a verified reader, a reader to a client who has
// written to them or had a reading with them (no cold outreach). Anyone
// else is not there to be written to.
func (s *Service) pairFor(ctx context.Context, from account.User, to int64) (pair, error) {
	q := s.DB.Read()
	var p pair
	var verified bool
	err := q.QueryRowContext(ctx, `SELECT u.id, u.display_name, u.role, COALESCE(rp.is_verified, FALSE)
		FROM users u LEFT JOIN reader_profiles rp ON rp.user_id = u.id WHERE u.id = $1 AND u.deleted_at IS NULL`, to).
		Scan(&p.to.ID, &p.to.DisplayName, &p.to.Role, &verified)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return pair{}, fmt.Errorf("message: recipient: %w", err)
	}
	switch from.Role {
	case account.RoleClient:
		if p.to.Role != account.RoleReader || !verified {
			return pair{}, apperr.Errorf(apperr.NotFound, "No such reader.")
		}
		p.clientID, p.readerID = from.ID, to
	case account.RoleReader:
		if p.to.Role != account.RoleClient {
			return pair{}, apperr.Errorf(apperr.NotFound, "No such client.")
		}
		p.clientID, p.readerID = to, from.ID
		ok, err := mayReach(ctx, q, p.readerID, p.clientID)
		if err != nil {
			return pair{}, err
		}
		if !ok {
			return pair{}, apperr.Errorf(apperr.Forbidden, "You can write to a client once they have written to you or had a reading with you.")
		}
	default:
		return pair{}, apperr.Errorf(apperr.Forbidden, "Messages are between clients and readers.")
	}
	return p, nil
}

// mayReach reports whether a reader may write to a client: the client has
// written to them (their conversation exists) or had a reading with them.
func mayReach(ctx context.Context, q db.Querier, readerID, clientID int64) (bool, error) {
	var ok bool
	err := q.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM conversations WHERE client_id = $1 AND reader_id = $2)
		OR EXISTS (SELECT 1 FROM readings WHERE client_id = $1 AND reader_id = $2 AND activated_at IS NOT NULL)`, clientID, readerID).Scan(&ok)
	if err != nil {
		return false, fmt.Errorf("message: may reach: %w", err)
	}
	return ok, nil
}

// allow counts a message against the sender's limit (SEC-3).
func (s *Service) allow(ctx context.Context, userID int64) error {
	err := s.Limiter.Allow(ctx, "message:"+strconv.FormatInt(userID, 10), s.Config.SendLimit)
	if e := apperr.As(err); e != nil && e.Code == apperr.RateLimited {
		return &apperr.Error{Code: apperr.RateLimited, RetryAfter: e.RetryAfter, Message: fmt.Sprintf(
			"You are sending messages too quickly. Please wait %d seconds and send it again.", int(e.RetryAfter.Seconds()))}
	}
	return err
}
