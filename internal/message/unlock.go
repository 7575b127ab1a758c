package message

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"

	"github.com/soulseer/soulseer/internal/account"
	"github.com/soulseer/soulseer/internal/apperr"
	"github.com/soulseer/soulseer/internal/db"
	"github.com/soulseer/soulseer/internal/ledger"
	"github.com/soulseer/soulseer/internal/reading"
)

// unlockKey is the idempotency key of a paid reply's unlock: it is paid for
// once, whoever asks and however often.
func unlockKey(messageID int64) string {
	return "paid_reply:" + strconv.FormatInt(messageID, 10)
}

// Unlock pays for a paid reply and returns it with its text (MSG-4, MSG-6):
// the client's wallet pays the price, the reader earns their share and the
// platform the rest (reading.Split, with the platform share of readings),
// in one paid_reply transfer keyed by the message, whose id the message
// keeps. Unlocking again returns the same result and moves nothing. A
// wallet that cannot pay is an InsufficientFunds error saying how much is
// missing, and nothing changes. Only the conversation's client unlocks;
// anyone outside the conversation gets NotFound.
func (s *Service) Unlock(ctx context.Context, u account.User, messageID int64) (Message, error) {
	var m Message
	err := s.DB.Tx(ctx, func(tx *db.Tx) error {
		var convID, senderID, clientID, readerID, price int64
		var unlocked bool
		var readerName string
		err := tx.QueryRowContext(ctx, `SELECT m.conversation_id, m.sender_id, c.client_id, c.reader_id, m.price_cents,
			m.unlocked_at IS NOT NULL, o.display_name
			FROM messages m JOIN conversations c ON c.id = m.conversation_id JOIN users o ON o.id = c.reader_id
			WHERE m.id = $1 AND (c.client_id = $2 OR c.reader_id = $2)`+s.DB.ForUpdateOf("m"), messageID, u.ID).
			Scan(&convID, &senderID, &clientID, &readerID, &price, &unlocked, &readerName)
		if errors.Is(err, sql.ErrNoRows) {
			return errNoMessage
		}
		if err != nil {
			return fmt.Errorf("message: unlock: %w", err)
		}
		switch {
		case price == 0:
			return apperr.Errorf(apperr.Conflict, "This message is free to read; there is nothing to unlock.")
		case u.ID != clientID:
			return apperr.Errorf(apperr.Conflict, "Only the client unlocks a paid reply.")
		case !unlocked:
			if err := s.pay(ctx, tx, messageID, clientID, readerID, price, readerName); err != nil {
				return err
			}
			for _, id := range []int64{clientID, readerID} {
				if err := s.publish(ctx, tx, "message.unlocked", id, convID, messageID); err != nil {
					return err
				}
			}
		}
		m, err = messageFor(ctx, tx, u.ID, messageID)
		return err
	})
	if err != nil {
		return Message{}, err
	}
	return m, nil
}

// pay posts the unlock's transfer and records it on the message.
func (s *Service) pay(ctx context.Context, tx *db.Tx, messageID, clientID, readerID, price int64, readerName string) error {
	share, fee := reading.Split(price, s.Config.PlatformSharePct)
	postings := []ledger.Posting{{Account: ledger.Wallet(clientID), Amount: -price}}
	if share > 0 {
		postings = append(postings, ledger.Posting{Account: ledger.Earnings(readerID), Amount: share})
	}
	if fee > 0 {
		postings = append(postings, ledger.Posting{Account: ledger.PlatformRevenue(), Amount: fee})
	}
	res, err := s.Ledger.Post(ctx, tx, ledger.Transfer{
		Key: unlockKey(messageID), Type: ledger.TypePaidReply, Postings: postings,
		CauseType: "reply", CauseID: strconv.FormatInt(messageID, 10), Memo: "Paid reply from " + readerName, ActorID: clientID,
	})
	if ledger.ShortOfFunds(err) {
		bal, berr := s.Ledger.Balance(ctx, tx, ledger.Wallet(clientID))
		if berr != nil {
			return berr
		}
		return &apperr.Error{Code: apperr.InsufficientFunds, Message: fmt.Sprintf(
			"This reply costs %s and your balance is %s: add %s to unlock it.",
			ledger.FormatCents(price), ledger.FormatCents(bal), ledger.FormatCents(price-bal))}
	}
	if err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, `UPDATE messages SET transfer_id = $1, unlocked_at = $2, earnings_cents = $3 WHERE id = $4`,
		res.TransferID, db.Millis(s.Clock.Now()), share, messageID); err != nil {
		return fmt.Errorf("message: record unlock: %w", err)
	}
	return nil
}
