package payment

import (
	"context"
	"strconv"
	"strings"

	"github.com/soulseer/soulseer/internal/account"
	"github.com/soulseer/soulseer/internal/apperr"
	"github.com/soulseer/soulseer/internal/audit"
	"github.com/soulseer/soulseer/internal/db"
)

// What an admin can decide about a card refund in review.
const (
	ReviewConfirm = "confirm" // the refund is in the Stripe dashboard: it succeeded
	ReviewReverse = "reverse" // Stripe has no such refund: the money goes back to the wallet
	ReviewRetry   = "retry"   // ask Stripe again, as the job does
)

// ResolveRefund lets an admin settle a card refund whose outcome Stripe
// never told (status review), after checking the Stripe dashboard: confirm
// it (with the Stripe refund id when known), reverse it to the wallet, or
// send it to Stripe again. Only refunds in review can be resolved, so an
// admin never races the job; every decision is audited (SEC-4).
func (s *Service) ResolveRefund(ctx context.Context, admin account.User, id int64, action, stripeRefundID string) (Refund, error) {
	if admin.Role != account.RoleAdmin {
		return Refund{}, apperr.Errorf(apperr.Forbidden, "Only admins can resolve refunds.")
	}
	stripeRefundID = strings.TrimSpace(stripeRefundID)
	fields := map[string]string{}
	switch action {
	case ReviewConfirm, ReviewReverse, ReviewRetry:
	default:
		fields["action"] = `Use "confirm", "reverse" or "retry".`
	}
	if len(stripeRefundID) > 255 || (stripeRefundID != "" && action != ReviewConfirm) {
		fields["stripe_refund_id"] = "Give a Stripe refund id (re_…) only when confirming."
	}
	if err := apperr.Validation(fields); err != nil {
		return Refund{}, err
	}
	r, err := s.Refund(ctx, id)
	if err != nil {
		return Refund{}, err
	}
	if r.Status != RefundReview {
		return Refund{}, apperr.Errorf(apperr.Conflict, "Refund %d is %s, not waiting for review.", r.ID, r.Status)
	}
	switch action {
	case ReviewConfirm:
		err = s.cardRefundDone(ctx, r, RefundResult{ID: stripeRefundID}, admin.ID)
	case ReviewReverse:
		err = s.cardRefundReverse(ctx, r, "No refund found at Stripe (checked by an admin).", admin.ID)
	case ReviewRetry:
		err = s.DB.Tx(ctx, func(tx *db.Tx) error {
			done, err := settleRefund(ctx, tx, r, RefundPending, "", "", db.Millis(s.Clock.Now()))
			if err != nil || !done {
				return err
			}
			if err := audit.Record(ctx, tx, audit.Entry{ActorID: admin.ID, Action: "wallet.refund_card_retry", Model: "refund",
				ObjectID: strconv.FormatInt(r.ID, 10), At: s.Clock.Now()}); err != nil {
				return err
			}
			return s.Jobs.InsertTx(ctx, tx, CardRefundArgs{RefundID: r.ID}, nil)
		})
	}
	if err != nil {
		return Refund{}, err
	}
	return s.Refund(ctx, id)
}
