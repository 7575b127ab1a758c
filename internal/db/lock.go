package db

import (
	"context"
	"fmt"
)

// LockKey makes write transactions that lock the same key run one after
// another from here until they end, so a check-then-act on something that
// may not exist yet (a Stripe event waiting for its object while another
// delivery creates it) cannot interleave. Statements after LockKey see what
// transactions that held the key before committed.
func (db *DB) LockKey(ctx context.Context, tx *Tx, key string) error {
	if err := db.engine.lockKey(ctx, tx.Tx, key); err != nil {
		return fmt.Errorf("db: lock %q: %w", key, err)
	}
	return nil
}
