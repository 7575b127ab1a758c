package message

import (
	"context"
	"fmt"
)

// Earnings is what a reader's paid replies brought in (MSG-6): how many
// they sent, how many clients unlocked, and the reader's share of those.
type Earnings struct {
	Sent        int
	Unlocked    int
	EarnedCents int64
}

// PaidReplyEarnings sums up a reader's paid replies.
func (s *Service) PaidReplyEarnings(ctx context.Context, readerID int64) (Earnings, error) {
	var e Earnings
	if err := s.DB.Read().QueryRowContext(ctx, `SELECT count(*), count(unlocked_at), COALESCE(sum(earnings_cents), 0)
		FROM messages WHERE sender_id = $1 AND price_cents > 0`, readerID).Scan(&e.Sent, &e.Unlocked, &e.EarnedCents); err != nil {
		return Earnings{}, fmt.Errorf("message: paid-reply earnings: %w", err)
	}
	return e, nil
}
