package payment

import (
	"context"
	"fmt"

	"github.com/soulseer/soulseer/internal/account"
	"github.com/soulseer/soulseer/internal/db"
	"github.com/soulseer/soulseer/internal/ledger"
)

// RefundableTopUps is how much of u's paid top-ups can still go back to
// their cards: a closing wallet is refunded up to this much, the rest of
// it is forfeited (SEC-2).
func (s *Service) RefundableTopUps(ctx context.Context, q db.Querier, userID int64) (int64, error) {
	var topups int64
	if err := q.QueryRowContext(ctx, `SELECT COALESCE(SUM(credited_cents - refunded_cents), 0) FROM topups
		WHERE user_id = $1 AND status = 'paid' AND COALESCE(payment_intent_id, '') <> ''`, userID).Scan(&topups); err != nil {
		return 0, fmt.Errorf("payment: refundable top-ups: %w", err)
	}
	return topups, nil
}

// RefundToCards sends the wallet of u, who is closing their account, back
// to the cards that topped it up, newest top-up first, as far as the
// top-ups allow (SEC-2); each refund goes through the ledger and Stripe
// like an admin's card refund, and is audited as u's. It reports how much
// went back; what is left stays in the wallet. Run again, it refunds
// nothing twice.
func (s *Service) RefundToCards(ctx context.Context, u account.User) (int64, error) {
	var total int64
	err := s.DB.Tx(ctx, func(tx *db.Tx) error {
		rows, err := tx.QueryContext(ctx, `SELECT id FROM topups WHERE user_id = $1 AND status = 'paid' AND COALESCE(payment_intent_id, '') <> ''
			AND credited_cents > refunded_cents ORDER BY paid_at DESC, id DESC`, u.ID)
		if err != nil {
			return err
		}
		ids, err := db.Collect(rows, func(r db.Row) (int64, error) {
			var id int64
			err := r.Scan(&id)
			return id, err
		})
		if err != nil {
			return err
		}
		for _, id := range ids {
			bal, err := s.Ledger.Balance(ctx, tx, ledger.Wallet(u.ID))
			if err != nil || bal == 0 {
				return err
			}
			t, err := getTopUp(ctx, tx, "id = $1", s.DB.ForUpdate(), id)
			if err != nil {
				return err
			}
			amount := min(bal, t.Refundable())
			if _, err := s.refundCard(ctx, tx, u, RefundInput{Kind: RefundCard, TopUpID: id, AmountCents: amount,
				Reason: "Account closed"}, fmt.Sprintf("close:%d:%d", u.ID, id)); err != nil {
				return err
			}
			total += amount
		}
		return nil
	})
	if err != nil {
		return 0, fmt.Errorf("payment: refund to cards: %w", err)
	}
	return total, nil
}
