package payment

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/soulseer/soulseer/internal/account"
	"github.com/soulseer/soulseer/internal/apperr"
	"github.com/soulseer/soulseer/internal/db"
)

// Customer returns the user's Customer at the payment provider, creating
// it the first time: a user has one, to which every card they save belongs
// (WAL-12). Two first calls at once save the same one (the provider's
// idempotency key is the user's), or the first saved wins.
func (s *Service) Customer(ctx context.Context, u account.User) (string, error) {
	id, err := customerOf(ctx, s.DB.Read(), u.ID)
	if err == nil || !errors.Is(err, sql.ErrNoRows) {
		return id, err
	}
	if id, err = s.Gateway.CreateCustomer(ctx, CustomerRequest{UserID: u.ID, Email: u.Email}); err != nil {
		s.Log.Error("customer creation failed", "user", u.ID, "err", err)
		return "", apperr.Errorf(apperr.Unavailable, "We could not reach the payment provider. Please try again in a moment.")
	}
	err = s.DB.Tx(ctx, func(tx *db.Tx) error {
		if _, err := tx.ExecContext(ctx, `INSERT INTO payment_customers (user_id, customer_id, created_at) VALUES ($1, $2, $3)
			ON CONFLICT (user_id) DO NOTHING`, u.ID, id, db.Millis(s.Clock.Now())); err != nil {
			return err
		}
		id, err = customerOf(ctx, tx, u.ID)
		return err
	})
	if err != nil {
		return "", fmt.Errorf("payment: save customer: %w", err)
	}
	return id, nil
}

// customerOf reads the user's saved Customer id; sql.ErrNoRows when none.
func customerOf(ctx context.Context, q db.Querier, userID int64) (string, error) {
	var id string
	err := q.QueryRowContext(ctx, `SELECT customer_id FROM payment_customers WHERE user_id = $1`, userID).Scan(&id)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return "", fmt.Errorf("payment: customer: %w", err)
	}
	return id, err
}
