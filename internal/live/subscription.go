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

// MaxSubscriptionPriceCents bounds a reader's monthly subscription price.
const MaxSubscriptionPriceCents = int64(500_00)

// The states of a subscription.
const (
	SubActive    = "active"    // paid up to its period's end
	SubCancelled = "cancelled" // ended at a period's end, as its holder asked
	SubLapsed    = "lapsed"    // ended because a renewal could not be paid
)

// Subscription is a monthly subscription to a reader: while active it
// admits its holder to the reader's premium streams (LIV-3).
type Subscription struct {
	ID                int64     `json:"id"`
	SubscriberID      int64     `json:"subscriber_id"`
	ReaderID          int64     `json:"reader_id"`
	ReaderName        string    `json:"reader_name"`
	PriceCents        int64     `json:"price_cents"`
	State             string    `json:"state"`
	PeriodStart       time.Time `json:"period_start"`
	PeriodEnd         time.Time `json:"period_end"`
	CancelAtPeriodEnd bool      `json:"cancel_at_period_end"`
}

// SetSubscriptionPrice sets reader's monthly subscription price (LIV-3):
// 0 offers none, else 1 cent to MaxSubscriptionPriceCents (a field error
// otherwise). Subscriptions already running keep the price they were
// taken at. A reader without a profile yet is a Conflict.
func (s *Service) SetSubscriptionPrice(ctx context.Context, reader account.User, cents int64) error {
	if reader.Role != account.RoleReader {
		return apperr.Errorf(apperr.Forbidden, "Only readers offer subscriptions.")
	}
	if cents < 0 || cents > MaxSubscriptionPriceCents {
		return apperr.Validation(map[string]string{"price_cents": fmt.Sprintf("Charge 0 (no subscription) to %s a month.", ledger.FormatCents(MaxSubscriptionPriceCents))})
	}
	res, err := s.DB.Writer.ExecContext(ctx, `UPDATE reader_profiles SET subscription_price_cents = $2 WHERE user_id = $1`, reader.ID, cents)
	if err != nil {
		return fmt.Errorf("live: subscription price: %w", err)
	}
	if n, err := res.RowsAffected(); err != nil || n == 0 {
		return apperr.Errorf(apperr.Conflict, "Fill in your reader profile first.")
	}
	return nil
}

const subColumns = `s.id, s.subscriber_id, s.reader_id, u.display_name, s.price_cents, s.state, s.period_start, s.period_end, s.cancel_at_period_end`

const subFrom = ` FROM stream_subscriptions s JOIN users u ON u.id = s.reader_id`

func scanSub(row interface{ Scan(...any) error }) (Subscription, error) {
	var sub Subscription
	var start, end int64
	err := row.Scan(&sub.ID, &sub.SubscriberID, &sub.ReaderID, &sub.ReaderName, &sub.PriceCents, &sub.State, &start, &end, &sub.CancelAtPeriodEnd)
	sub.PeriodStart, sub.PeriodEnd = db.Time(start), db.Time(end)
	return sub, err
}

// subscription reads who's subscription to readerID, the active one or
// else the latest; ok is false when there is none.
func (s *Service) subscription(ctx context.Context, q db.Querier, who, readerID int64) (Subscription, bool, error) {
	sub, err := scanSub(q.QueryRowContext(ctx, `SELECT `+subColumns+subFrom+` WHERE s.subscriber_id = $1 AND s.reader_id = $2
		ORDER BY CASE WHEN s.state = 'active' THEN 0 ELSE 1 END, s.id DESC LIMIT 1`, who, readerID))
	if errors.Is(err, sql.ErrNoRows) {
		return Subscription{}, false, nil
	}
	if err != nil {
		return Subscription{}, false, fmt.Errorf("live: subscription: %w", err)
	}
	return sub, true, nil
}

// Subscribe subscribes who to readerID for a month from their wallet at
// the reader's monthly price (LIV-3), split as tickets are: the reader's
// share to their earnings (rounded down), the rest to the platform, in one
// 'order' transfer keyed by the subscription and the period's start, so a
// period is paid once. Subscribing while active charges nothing and
// answers the subscription (replayed), taking back a cancellation (one
// whose month has ended is renewed first, as Renew would). Subscribing
// after a subscription ended starts a new one. A
// reader who offers none, or oneself, is a Conflict; a block is Forbidden
// (ACC-6); a short wallet is InsufficientFunds naming what to add.
func (s *Service) Subscribe(ctx context.Context, who account.User, readerID int64) (sub Subscription, replayed bool, err error) {
	if who.ID == readerID {
		return Subscription{}, false, apperr.Errorf(apperr.Conflict, "You cannot subscribe to yourself.")
	}
	offer, err := s.SubscriptionOffer(ctx, account.User{}, readerID)
	if err != nil {
		return Subscription{}, false, err
	}
	price, name := offer.PriceCents, offer.ReaderName
	blocked, err := block.Blocked(ctx, s.DB.Read(), who.ID, readerID)
	if err != nil {
		return Subscription{}, false, err
	}
	if blocked {
		return Subscription{}, false, apperr.Errorf(apperr.Forbidden, "You cannot subscribe to %s.", name)
	}
	now := s.Clock.Now()
	if cur, ok, err := s.subscription(ctx, s.DB.Read(), who.ID, readerID); err != nil {
		return Subscription{}, false, err
	} else if ok && cur.State == SubActive && !cur.PeriodEnd.After(now) {
		if _, err := s.renewOne(ctx, cur, now); err != nil { // due: renew it first, as the job would
			return Subscription{}, false, err
		}
	}
	err = s.DB.Tx(ctx, func(tx *db.Tx) error {
		cur, ok, err := s.subscription(ctx, tx, who.ID, readerID)
		if err != nil {
			return err
		}
		replayed = ok && cur.State == SubActive
		if replayed {
			_, err := tx.ExecContext(ctx, `UPDATE stream_subscriptions SET cancel_at_period_end = FALSE, updated_at = $2 WHERE id = $1`, cur.ID, db.Millis(now))
			return err
		}
		if price == 0 {
			return apperr.Errorf(apperr.Conflict, "%s offers no subscription.", name)
		}
		var id int64
		err = tx.QueryRowContext(ctx, `INSERT INTO stream_subscriptions (subscriber_id, reader_id, price_cents, state, period_start, period_end, created_at, updated_at)
			VALUES ($1, $2, $3, 'active', $4, $5, $4, $4) ON CONFLICT (subscriber_id, reader_id) WHERE state = 'active' DO NOTHING RETURNING id`,
			who.ID, readerID, price, db.Millis(now), db.Millis(now.AddDate(0, 1, 0))).Scan(&id)
		if errors.Is(err, sql.ErrNoRows) {
			replayed = true // another request subscribed first
			return nil
		}
		if err != nil {
			return fmt.Errorf("live: subscribe: %w", err)
		}
		return s.chargePeriod(ctx, tx, id, who.ID, readerID, price, now, name)
	})
	switch {
	case apperr.CodeOf(err) == apperr.InsufficientFunds:
		return Subscription{}, false, s.Ledger.Shortfall(ctx, who.ID, price, "a month costs %s: add %s to subscribe")
	case err != nil:
		return Subscription{}, false, err
	}
	sub, _, err = s.subscription(ctx, s.DB.Read(), who.ID, readerID)
	return sub, replayed, err
}

// chargePeriod pays subscription id's period starting at start from
// subscriber's wallet, keyed so that the period is paid once.
func (s *Service) chargePeriod(ctx context.Context, tx *db.Tx, id, subscriber, readerID, price int64, start time.Time, readerName string) error {
	readerCents, platformCents := reading.Split(price, s.Config.PlatformSharePct)
	_, err := s.Ledger.Post(ctx, tx, ledger.Transfer{Key: fmt.Sprintf("sub:%d:%d", id, db.Millis(start)), Type: ledger.TypeOrder,
		Postings: split(subscriber, readerID, price, readerCents, platformCents), CauseType: "stream_subscription",
		CauseID: strconv.FormatInt(id, 10), ActorID: subscriber, Memo: "Monthly subscription: " + readerName})
	return err
}

// Unsubscribe cancels who's subscription to readerID at the end of the
// period paid for (LIV-3): it admits them until then and is not renewed.
// No active subscription is NotFound.
func (s *Service) Unsubscribe(ctx context.Context, who account.User, readerID int64) (Subscription, error) {
	res, err := s.DB.Writer.ExecContext(ctx, `UPDATE stream_subscriptions SET cancel_at_period_end = TRUE, updated_at = $3
		WHERE subscriber_id = $1 AND reader_id = $2 AND state = 'active'`, who.ID, readerID, db.Millis(s.Clock.Now()))
	if err != nil {
		return Subscription{}, fmt.Errorf("live: unsubscribe: %w", err)
	}
	if n, err := res.RowsAffected(); err != nil || n == 0 {
		return Subscription{}, apperr.Errorf(apperr.NotFound, "You have no subscription to this reader.")
	}
	sub, _, err := s.subscription(ctx, s.DB.Read(), who.ID, readerID)
	return sub, err
}

// Subscriptions lists userID's subscriptions, active and ended, newest
// period first.
func (s *Service) Subscriptions(ctx context.Context, userID int64) ([]Subscription, error) {
	rows, err := s.DB.Read().QueryContext(ctx, `SELECT `+subColumns+subFrom+` WHERE s.subscriber_id = $1 ORDER BY s.period_start DESC, s.id DESC`, userID)
	if err != nil {
		return nil, fmt.Errorf("live: subscriptions: %w", err)
	}
	defer rows.Close()
	out := []Subscription{}
	for rows.Next() {
		sub, err := scanSub(rows)
		if err != nil {
			return nil, fmt.Errorf("live: subscriptions: %w", err)
		}
		out = append(out, sub)
	}
	return out, rows.Err()
}

// Offer is what a reader's subscription costs, and the viewer's own
// subscription to them if they have one.
type Offer struct {
	ReaderID     int64         `json:"reader_id"`
	ReaderName   string        `json:"reader_name"`
	PriceCents   int64         `json:"price_cents"` // 0: no subscription offered
	Subscription *Subscription `json:"subscription"`
}

// SubscriptionOffer tells anyone what a month of readerID's premium
// streams costs, and a signed-in viewer their subscription to them, active
// or the latest ended (LIV-3). No such reader is NotFound.
func (s *Service) SubscriptionOffer(ctx context.Context, viewer account.User, readerID int64) (Offer, error) {
	o := Offer{ReaderID: readerID}
	err := s.DB.Read().QueryRowContext(ctx, `SELECT p.subscription_price_cents, u.display_name FROM reader_profiles p JOIN users u ON u.id = p.user_id
		WHERE p.user_id = $1 AND u.role = 'reader'`, readerID).Scan(&o.PriceCents, &o.ReaderName)
	if errors.Is(err, sql.ErrNoRows) {
		return Offer{}, apperr.Errorf(apperr.NotFound, "No such reader.")
	}
	if err != nil {
		return Offer{}, fmt.Errorf("live: subscription offer: %w", err)
	}
	if viewer.ID == 0 {
		return o, nil
	}
	sub, ok, err := s.subscription(ctx, s.DB.Read(), viewer.ID, readerID)
	if ok {
		o.Subscription = &sub
	}
	return o, err
}

// SubscriberCount is how many people readerID's subscription admits now:
// active subscriptions within their month, cancelled at its end or not
// (LIV-3).
func (s *Service) SubscriberCount(ctx context.Context, readerID int64) (int, error) {
	var n int
	err := s.DB.Read().QueryRowContext(ctx, `SELECT COUNT(*) FROM stream_subscriptions WHERE reader_id = $1 AND state = 'active' AND period_end > $2`,
		readerID, db.Millis(s.Clock.Now())).Scan(&n)
	if err != nil {
		return 0, fmt.Errorf("live: subscriber count: %w", err)
	}
	return n, nil
}
