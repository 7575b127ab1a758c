package live

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/soulseer/soulseer/internal/account"
	"github.com/soulseer/soulseer/internal/apperr"
	"github.com/soulseer/soulseer/internal/block"
	"github.com/soulseer/soulseer/internal/db"
	"github.com/soulseer/soulseer/internal/ledger"
	"github.com/soulseer/soulseer/internal/reading"
)

// Ticket admits its holder to one premium stream (LIV-3).
type Ticket struct {
	ID            int64     `json:"id"`
	StreamID      int64     `json:"stream_id"`
	UserID        int64     `json:"user_id"`
	PriceCents    int64     `json:"price_cents"`
	ReaderCents   int64     `json:"reader_cents"`
	PlatformCents int64     `json:"platform_cents"`
	CreatedAt     time.Time `json:"created_at"`
}

// BuyTicket sells buyer a ticket for live premium stream id at its price
// (LIV-3): one transfer from their wallet to the reader's earnings (their
// share, rounded down as reading.Split does) and the platform (the rest),
// an 'order' transfer keyed by the ticket — the ledger has no ticket entry
// type, and a ticket is an order for a show. The service is delivered
// while it is paid for, so nothing waits in escrow. One ticket per user
// and stream: buying again answers the ticket already held (replayed) and
// charges nothing, even when two purchases race. The reader needs none
// (Conflict), nor does a stream that is not premium (Conflict); a block
// between buyer and reader is Forbidden (ACC-6); a short wallet is
// InsufficientFunds naming balance, price and shortfall.
func (s *Service) BuyTicket(ctx context.Context, buyer account.User, id int64) (t Ticket, replayed bool, err error) {
	st, err := s.Get(ctx, id)
	if err != nil {
		return Ticket{}, false, err
	}
	switch {
	case st.State != Live:
		return Ticket{}, false, errEnded
	case st.Visibility != Premium:
		return Ticket{}, false, apperr.Errorf(apperr.Conflict, "This stream needs no ticket.")
	case buyer.ID == st.ReaderID:
		return Ticket{}, false, apperr.Errorf(apperr.Conflict, "You need no ticket for your own stream.")
	}
	blocked, err := block.Blocked(ctx, s.DB.Read(), buyer.ID, st.ReaderID)
	if err != nil {
		return Ticket{}, false, err
	}
	if blocked {
		return Ticket{}, false, apperr.Errorf(apperr.Forbidden, "You cannot join this stream.")
	}
	t = Ticket{StreamID: id, UserID: buyer.ID, PriceCents: st.TicketPriceCents, CreatedAt: s.Clock.Now()}
	t.ReaderCents, t.PlatformCents = reading.Split(t.PriceCents, st.platformSharePct)
	err = s.DB.Tx(ctx, func(tx *db.Tx) error {
		replayed = false
		err := tx.QueryRowContext(ctx, `INSERT INTO stream_tickets (stream_id, user_id, price_cents, reader_cents, platform_cents, created_at)
			VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (stream_id, user_id) DO NOTHING RETURNING id`,
			id, buyer.ID, t.PriceCents, t.ReaderCents, t.PlatformCents, db.Millis(t.CreatedAt)).Scan(&t.ID)
		if errors.Is(err, sql.ErrNoRows) {
			replayed = true // held already
			return nil
		}
		if err != nil {
			return err
		}
		_, err = s.Ledger.Post(ctx, tx, ledger.Transfer{Key: "stream-ticket:" + strconv.FormatInt(t.ID, 10), Type: ledger.TypeOrder,
			Postings: split(buyer.ID, st.ReaderID, t.PriceCents, t.ReaderCents, t.PlatformCents), CauseType: "stream_ticket",
			CauseID: strconv.FormatInt(t.ID, 10), ActorID: buyer.ID, Memo: "Ticket: " + st.Title})
		return err
	})
	switch {
	case apperr.CodeOf(err) == apperr.InsufficientFunds:
		return Ticket{}, false, s.Ledger.Shortfall(ctx, buyer.ID, t.PriceCents, "a ticket costs %s: add %s to buy it")
	case err != nil:
		return Ticket{}, false, fmt.Errorf("live: buy ticket: %w", err)
	case replayed:
		t, err = s.heldTicket(ctx, id, buyer.ID)
	}
	return t, replayed, err
}

// heldTicket reads userID's ticket for stream id.
func (s *Service) heldTicket(ctx context.Context, id, userID int64) (Ticket, error) {
	t := Ticket{StreamID: id, UserID: userID}
	var at int64
	err := s.DB.Read().QueryRowContext(ctx, `SELECT id, price_cents, reader_cents, platform_cents, created_at FROM stream_tickets
		WHERE stream_id = $1 AND user_id = $2`, id, userID).Scan(&t.ID, &t.PriceCents, &t.ReaderCents, &t.PlatformCents, &at)
	if err != nil {
		return Ticket{}, fmt.Errorf("live: ticket: %w", err)
	}
	t.CreatedAt = db.Time(at)
	return t, nil
}

// split is the postings of a payment of amount from payer's wallet to the
// reader's earnings (readerCents) and the platform (platformCents),
// leaving out a part of zero.
func split(payer, readerID, amount, readerCents, platformCents int64) []ledger.Posting {
	ps := []ledger.Posting{{Account: ledger.Wallet(payer), Amount: -amount}}
	if readerCents > 0 {
		ps = append(ps, ledger.Posting{Account: ledger.Earnings(readerID), Amount: readerCents})
	}
	if platformCents > 0 {
		// the payer picks the platform's shard: many payers at once into one
		// stream wait only on the reader's earnings, not on one platform row
		ps = append(ps, ledger.Posting{Account: ledger.PlatformRevenueShard(int(payer % ledger.PlatformRevenueShards)), Amount: platformCents})
	}
	return ps
}
