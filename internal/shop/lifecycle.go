package shop

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/riverqueue/river"

	"github.com/soulseer/soulseer/internal/account"
	"github.com/soulseer/soulseer/internal/apperr"
	"github.com/soulseer/soulseer/internal/db"
	"github.com/soulseer/soulseer/internal/notify"
	"github.com/soulseer/soulseer/internal/payment"
)

// PayByTopUp is payment.Service's Credited hook: a top-up that pays a
// pending order pays it from the wallet in the transaction that credited
// the card's money (SHOP-5). An order no longer pending (its reservation
// expired) leaves the money in the wallet, and the buyer is told so.
func (s *Service) PayByTopUp(ctx context.Context, tx *db.Tx, t payment.TopUp) error {
	var id int64
	err := tx.QueryRowContext(ctx, `SELECT id FROM shop_orders WHERE topup_id = $1`, t.ID).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return nil // a top-up of the wallet, not of an order
	}
	if err != nil {
		return err
	}
	o, err := s.order(ctx, tx, id, true)
	if err != nil {
		return err
	}
	if o.State != Pending {
		return s.tell(ctx, tx, o, "unpaid")
	}
	state, now := Paid, db.Millis(s.Clock.Now())
	var delivered any
	if !o.Physical {
		state, delivered = Delivered, now
	}
	if _, err := tx.ExecContext(ctx, `UPDATE shop_orders SET state = $1, paid_at = $2, delivered_at = $3, reserved_until = NULL WHERE id = $4`,
		state, now, delivered, o.ID); err != nil {
		return err
	}
	if err := s.payFromWallet(ctx, tx, o.UserID, o.ID, o.TotalCents); err != nil {
		return fmt.Errorf("shop: pay order %d by card: %w", o.ID, err)
	}
	return s.tell(ctx, tx, o, state)
}

// ExpireReservations cancels the card checkouts whose reservation has
// ended unpaid, giving back their stock and coupon uses (SHOP-3), and
// returns how many it cancelled.
func (s *Service) ExpireReservations(ctx context.Context) (int, error) {
	rows, err := s.DB.Read().QueryContext(ctx, `SELECT id FROM shop_orders WHERE state = 'pending' AND reserved_until <= $1 ORDER BY id LIMIT 500`,
		db.Millis(s.Clock.Now()))
	if err != nil {
		return 0, fmt.Errorf("shop: expired reservations: %w", err)
	}
	var ids []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			rows.Close()
			return 0, err
		}
		ids = append(ids, id)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return 0, err
	}
	n := 0
	for _, id := range ids {
		if err := s.cancel(ctx, id, "expired"); err != nil {
			return n, err
		}
		n++
	}
	return n, nil
}

// cancel ends pending order id unpaid, giving back its stock and coupon
// use; an order paid meanwhile is left as it is. why is told to the buyer
// ("" tells nothing: they are being answered already).
func (s *Service) cancel(ctx context.Context, id int64, why string) error {
	return s.DB.Tx(ctx, func(tx *db.Tx) error {
		o, err := s.order(ctx, tx, id, true)
		if err != nil || o.State != Pending {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE shop_orders SET state = 'cancelled', closed_at = $1, reserved_until = NULL WHERE id = $2`,
			db.Millis(s.Clock.Now()), id); err != nil {
			return err
		}
		if err := putBackStock(ctx, tx, o); err != nil {
			return err
		}
		if o.couponID != 0 {
			if err := unredeem(ctx, tx, o.couponID); err != nil {
				return err
			}
		}
		if why == "" {
			return nil
		}
		return s.tell(ctx, tx, o, Cancelled)
	})
}

// Bounds of what an admin writes when shipping.
const (
	MaxCarrierLen  = 60
	MaxTrackingLen = 100
)

// Ship marks paid physical order id shipped with its carrier and tracking
// number (SHOP-7), tells the buyer, and audits it as admin's. Shipping an
// order shipped already with the same details changes nothing.
func (s *Service) Ship(ctx context.Context, admin account.User, id int64, carrier, tracking string) (Order, error) {
	carrier, tracking = strings.TrimSpace(carrier), strings.TrimSpace(tracking)
	errs := map[string]string{}
	if carrier == "" || utf8.RuneCountInString(carrier) > MaxCarrierLen {
		errs["carrier"] = fmt.Sprintf("Name the carrier in at most %d characters.", MaxCarrierLen)
	}
	if tracking == "" || utf8.RuneCountInString(tracking) > MaxTrackingLen {
		errs["tracking_number"] = fmt.Sprintf("Give the tracking number in at most %d characters.", MaxTrackingLen)
	}
	if err := apperr.Validation(errs); err != nil {
		return Order{}, err
	}
	return s.advance(ctx, admin, id, Shipped, func(tx *db.Tx, o Order) error {
		switch {
		case o.State == Shipped && o.Carrier == carrier && o.TrackingNumber == tracking:
			return errSame
		case !o.Physical:
			return apperr.Errorf(apperr.Conflict, "Order #%d has nothing to ship.", o.ID)
		case o.State != Paid && o.State != Shipped:
			return apperr.Errorf(apperr.Conflict, "Order #%d is %s: only a paid order ships.", o.ID, o.State)
		}
		_, err := tx.ExecContext(ctx, `UPDATE shop_orders SET state = 'shipped', carrier = $1, tracking_number = $2, shipped_at = $3 WHERE id = $4`,
			carrier, tracking, db.Millis(s.Clock.Now()), o.ID)
		return err
	}, map[string]any{"carrier": carrier, "tracking_number": tracking})
}

// Deliver marks shipped order id delivered (SHOP-7), tells the buyer and
// audits it; delivering it again changes nothing.
func (s *Service) Deliver(ctx context.Context, admin account.User, id int64) (Order, error) {
	return s.advance(ctx, admin, id, Delivered, func(tx *db.Tx, o Order) error {
		switch o.State {
		case Delivered:
			return errSame
		case Shipped:
		default:
			return apperr.Errorf(apperr.Conflict, "Order #%d is %s: only a shipped order is delivered.", o.ID, o.State)
		}
		_, err := tx.ExecContext(ctx, `UPDATE shop_orders SET state = 'delivered', delivered_at = $1 WHERE id = $2`, db.Millis(s.Clock.Now()), o.ID)
		return err
	}, nil)
}

// errSame is what a change returns when the order is already as asked.
var errSame = apperr.Errorf(apperr.Conflict, "unchanged")

// advance locks order id, applies change, and unless change found it
// already done, audits the action as admin's and tells the buyer the new
// state.
func (s *Service) advance(ctx context.Context, admin account.User, id int64, state string, change func(*db.Tx, Order) error, details map[string]any) (Order, error) {
	err := s.DB.Tx(ctx, func(tx *db.Tx) error {
		o, err := s.order(ctx, tx, id, true)
		if err != nil {
			return err
		}
		if err := change(tx, o); err != nil {
			return err
		}
		if err := s.audit(ctx, tx, admin, "shop.order_"+state, "shop_order", id, details); err != nil {
			return err
		}
		return s.tell(ctx, tx, o, state)
	})
	if err != nil && err != errSame {
		return Order{}, err
	}
	return s.order(ctx, s.DB.Read(), id, false)
}

// Refund gives what is left of a paid order's charge back to the buyer's
// wallet and its items back to stock (SHOP-7, WAL-7), audited as admin's
// with the reason. It is a wallet refund of the order's charge, as the
// admins' refund page makes (payment.RefundCause): a part refunded there
// before is not refunded twice, and refunding the order again moves
// nothing. An order paid by card came through a top-up, which the refund
// page then sends back to the card.
func (s *Service) Refund(ctx context.Context, admin account.User, id int64, reason string) (Order, error) {
	reason = strings.TrimSpace(reason)
	if reason == "" || utf8.RuneCountInString(reason) > 500 {
		return Order{}, apperr.Validation(map[string]string{"reason": "Give the reason for the refund, in at most 500 characters."})
	}
	return s.advance(ctx, admin, id, Refunded, func(tx *db.Tx, o Order) error {
		switch o.State {
		case Refunded:
			return errSame
		case Paid, Shipped, Delivered:
		default:
			return apperr.Errorf(apperr.Conflict, "Order #%d is %s: only a paid order is refunded.", o.ID, o.State)
		}
		if _, err := tx.ExecContext(ctx, `UPDATE shop_orders SET state = 'refunded', closed_at = $1 WHERE id = $2`, db.Millis(s.Clock.Now()), o.ID); err != nil {
			return err
		}
		if err := putBackStock(ctx, tx, o); err != nil {
			return err
		}
		ref := strconv.FormatInt(o.ID, 10)
		_, err := s.Payments.RefundCause(ctx, tx, admin.ID, "shop_order", ref, "Shop order #"+ref+": "+reason, "shop-refund:"+ref)
		return err
	}, map[string]any{"reason": reason})
}

// tell notifies the buyer of o that it is now in state ("unpaid": a card
// payment arrived after its reservation ended), in tx.
func (s *Service) tell(ctx context.Context, tx *db.Tx, o Order, state string) error {
	if s.Notify == nil {
		return nil
	}
	id := o.ID
	n := notify.Notification{UserID: o.UserID, Kind: notify.KindOrder, URL: "/shop/orders/" + strconv.FormatInt(id, 10),
		Group: "order:" + strconv.FormatInt(id, 10)}
	switch state {
	case Paid:
		n.Title, n.Body = fmt.Sprintf("Order #%d is paid", id), "We will tell you when it ships."
	case Delivered:
		n.Title, n.Body = fmt.Sprintf("Order #%d is delivered", id), "We hope you enjoy it."
		if !o.Physical {
			n.Body = "Your downloads are waiting on the order's page."
		}
	case Shipped:
		n.Title, n.Body = fmt.Sprintf("Order #%d has shipped", id), "The tracking number is on the order's page."
	case Cancelled:
		n.Title, n.Body = fmt.Sprintf("Order #%d was cancelled", id), "It was not paid in time, so its items went back on sale."
	case Refunded:
		n.Title, n.Body = fmt.Sprintf("Order #%d was refunded", id), "The money is back in your wallet."
	case "unpaid":
		n.Title, n.Body = fmt.Sprintf("Your payment for order #%d is in your wallet", id), "It arrived after the order was cancelled; spend it or ask for it back."
	default:
		return nil
	}
	return s.Notify.Send(ctx, tx, n)
}

// ExpireArgs is the periodic job that releases expired reservations.
type ExpireArgs struct{}

// Kind names the job.
func (ExpireArgs) Kind() string { return "shop.expire" }

// ExpireWorker runs ExpireReservations.
type ExpireWorker struct {
	river.WorkerDefaults[ExpireArgs]
	Shop *Service
}

// Work cancels the card checkouts left unpaid past their reservation.
func (w *ExpireWorker) Work(ctx context.Context, _ *river.Job[ExpireArgs]) error {
	_, err := w.Shop.ExpireReservations(ctx)
	return err
}
