package live

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/soulseer/soulseer/internal/account"
	"github.com/soulseer/soulseer/internal/apperr"
	"github.com/soulseer/soulseer/internal/db"
	"github.com/soulseer/soulseer/internal/reading"
)

// SendInput is a gift a viewer sends: which, how many, and the key that
// names this one sending, so a double tap or a retry sends it once.
type SendInput struct {
	GiftID         int64
	Quantity       int
	IdempotencyKey string
}

// Sent is a gift sent to a stream (LIV-5, LIV-9), with the split the
// sender is shown: what the reader receives and what the platform keeps.
// It is also the data of the stream.gift event every viewer receives
// (LIV-6).
type Sent struct {
	ID            int64     `json:"id"`
	StreamID      int64     `json:"stream_id"`
	SenderID      int64     `json:"sender_id"`
	SenderName    string    `json:"sender_name"`
	ReaderName    string    `json:"reader_name"`
	GiftID        int64     `json:"gift_id"`
	GiftName      string    `json:"gift_name"`
	Animation     string    `json:"animation"`
	Quantity      int       `json:"quantity"`
	AmountCents   int64     `json:"amount_cents"`
	ReaderCents   int64     `json:"reader_cents"`
	PlatformCents int64     `json:"platform_cents"`
	CreatedAt     time.Time `json:"created_at"`
}

// SendGift sends sender's gift to live stream id (LIV-5, LIV-6): a gift of
// the catalog on offer, 1 to MaxGiftQuantity of it, to a stream CanWatch
// lets the sender watch (the reader cannot gift their own stream). The gift
// is stored and one 'gift' transfer moves quantity × price from the
// sender's wallet to the reader's earnings (their share, rounded down to
// the cent as reading.Split does) and the platform (the rest, so the odd
// cent), in a transaction it shares with the other gifts arriving at the
// stream at the same moment (commit); once it commits every viewer is told
// (stream.gift). The key, 1 to MaxRequestKeyLen characters, is the
// sender's: the same key again answers the gift it sent (replayed) and
// moves nothing — also when twenty copies race, or once the stream has
// ended — and the key used for another gift is a Conflict. A short wallet
// is InsufficientFunds naming balance, price and shortfall.
func (s *Service) SendGift(ctx context.Context, sender account.User, id int64, in SendInput) (g Sent, replayed bool, err error) {
	if sender.ID == 0 {
		return Sent{}, false, errLogInToWatch
	}
	if err := in.check(); err != nil {
		return Sent{}, false, err
	}
	p := &pendingGift{sender: sender, key: in.IdempotencyKey, g: Sent{StreamID: id, SenderID: sender.ID, SenderName: sender.DisplayName,
		GiftID: in.GiftID, Quantity: in.Quantity, CreatedAt: s.Clock.Now()}}
	s.commit(ctx, p)
	switch {
	case p.err != nil && p.early:
		// a retry of a gift already sent is answered even when it could
		// not be sent now
		if g, ok, rerr := s.replayGift(ctx, sender.ID, id, in); ok || rerr != nil {
			return g, ok, rerr
		}
		return Sent{}, false, p.err
	case p.err != nil:
		return Sent{}, false, p.err
	case p.replayed:
		g, _, err = s.replayGift(ctx, sender.ID, id, in)
		return g, true, err
	}
	return p.g, false, nil
}

// errOwnStream refuses a reader's gift to their own stream.
var errOwnStream = apperr.Errorf(apperr.Forbidden, "You cannot send gifts to your own stream.")

// admit decides inside tx which of batch's gifts, all to one stream, may be
// sent now, as Watch would for each sender: the stream live, the sender
// not its reader and allowed to watch it (CanWatch's rule, asked about
// every sender in one query). A refused gift gets its error and early set;
// the others the stream's reader and split.
func (s *Service) admit(ctx context.Context, tx *db.Tx, batch []*pendingGift) error {
	st, err := s.load(ctx, tx, batch[0].g.StreamID)
	if err != nil && !errors.Is(err, errNoStream) {
		return err
	}
	var ask []int64
	for _, p := range batch {
		p.err, p.early = nil, true
		switch {
		case err != nil:
			p.err = err
		case st.State != Live:
			p.err = errEnded
		case p.sender.ID == st.ReaderID:
			p.err = errOwnStream
		case p.sender.Role != account.RoleAdmin:
			ask = append(ask, p.sender.ID)
		}
	}
	facts := map[int64]watchFacts{}
	if len(ask) > 0 {
		if facts, err = s.watchFacts(ctx, tx, st, ask); err != nil {
			return err
		}
	}
	for _, p := range batch {
		if p.err == nil && p.sender.Role != account.RoleAdmin {
			p.err = facts[p.sender.ID].decide(st)
		}
		if p.err == nil {
			p.early, p.readerID, p.sharePct, p.g.ReaderName = false, st.ReaderID, st.platformSharePct, st.ReaderName
		}
	}
	return nil
}

// price sets p's gift, amount and split from the catalog: a gift not in it,
// or no longer on offer, is refused.
func (p *pendingGift) price(catalog map[int64]Gift) error {
	gift, ok := catalog[p.g.GiftID]
	if !ok {
		return apperr.Errorf(apperr.NotFound, "No such gift.")
	}
	if !gift.Active {
		return apperr.Errorf(apperr.Unprocessable, "The %s is no longer offered; please choose another gift.", gift.Name)
	}
	p.unitCents, p.g.GiftName, p.g.Animation = gift.PriceCents, gift.Name, gift.Animation
	p.g.AmountCents = gift.PriceCents * int64(p.g.Quantity)
	p.g.ReaderCents, p.g.PlatformCents = reading.Split(p.g.AmountCents, p.sharePct)
	p.memo = fmt.Sprintf("Gift: %s × %d to %s", gift.Name, p.g.Quantity, p.g.ReaderName)
	return nil
}

// check validates a gift's sending.
func (in SendInput) check() error {
	fields := map[string]string{}
	if in.GiftID <= 0 {
		fields["gift_id"] = "Choose a gift."
	}
	if in.Quantity < 1 || in.Quantity > MaxGiftQuantity {
		fields["quantity"] = fmt.Sprintf("Send 1 to %d at once.", MaxGiftQuantity)
	}
	if key := strings.TrimSpace(in.IdempotencyKey); key == "" || key != in.IdempotencyKey || len(key) > MaxRequestKeyLen {
		fields["idempotency_key"] = fmt.Sprintf("Send a key of 1 to %d characters naming this gift.", MaxRequestKeyLen)
	}
	return apperr.Validation(fields)
}

const sentColumns = `g.id, g.stream_id, g.sender_id, su.display_name, ru.display_name, g.gift_id, c.name, c.animation, g.quantity,
	g.amount_cents, g.reader_cents, g.platform_cents, g.created_at`

const sentFrom = ` FROM stream_gifts g JOIN users su ON su.id = g.sender_id JOIN streams s ON s.id = g.stream_id
	JOIN users ru ON ru.id = s.reader_id JOIN gifts c ON c.id = g.gift_id`

// replayGift finds the gift senderID's key already sent: ok with the gift
// when it is this one again, a Conflict when the key sent another.
func (s *Service) replayGift(ctx context.Context, senderID, streamID int64, in SendInput) (Sent, bool, error) {
	var g Sent
	var at int64
	err := s.DB.Read().QueryRowContext(ctx, `SELECT `+sentColumns+sentFrom+` WHERE g.sender_id = $1 AND g.request_key = $2`,
		senderID, in.IdempotencyKey).Scan(&g.ID, &g.StreamID, &g.SenderID, &g.SenderName, &g.ReaderName, &g.GiftID, &g.GiftName, &g.Animation,
		&g.Quantity, &g.AmountCents, &g.ReaderCents, &g.PlatformCents, &at)
	if errors.Is(err, sql.ErrNoRows) {
		return Sent{}, false, nil
	}
	if err != nil {
		return Sent{}, false, fmt.Errorf("live: gift replay: %w", err)
	}
	if g.StreamID != streamID || g.GiftID != in.GiftID || g.Quantity != in.Quantity {
		return Sent{}, false, apperr.Errorf(apperr.Conflict, "This idempotency key was already used for another gift.")
	}
	g.CreatedAt = db.Time(at)
	return g, true, nil
}

// Gifter is one sender's gifts to a stream, added up.
type Gifter struct {
	UserID      int64  `json:"user_id"`
	Name        string `json:"name"`
	AmountCents int64  `json:"amount_cents"`
	Gifts       int    `json:"gifts"` // how many gifts, counting quantities
}

// TopGifters returns the ten who gave the most to stream id, most first
// (LIV-9); a tie goes to whoever gave first.
func (s *Service) TopGifters(ctx context.Context, id int64) ([]Gifter, error) {
	if _, err := s.Get(ctx, id); err != nil {
		return nil, err
	}
	rows, err := s.DB.Read().QueryContext(ctx, fmt.Sprintf(`SELECT g.sender_id, u.display_name, CAST(SUM(g.amount_cents) AS BIGINT), CAST(SUM(g.quantity) AS BIGINT)
		FROM stream_gifts g JOIN users u ON u.id = g.sender_id WHERE g.stream_id = $1
		GROUP BY g.sender_id, u.display_name ORDER BY SUM(g.amount_cents) DESC, MIN(g.id) LIMIT %d`, topGiftersLen), id)
	if err != nil {
		return nil, fmt.Errorf("live: top gifters: %w", err)
	}
	defer rows.Close()
	out := []Gifter{}
	for rows.Next() {
		var g Gifter
		if err := rows.Scan(&g.UserID, &g.Name, &g.AmountCents, &g.Gifts); err != nil {
			return nil, fmt.Errorf("live: top gifters: %w", err)
		}
		out = append(out, g)
	}
	return out, rows.Err()
}
