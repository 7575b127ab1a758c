package reading

import (
	"context"
	"fmt"
	"time"

	"github.com/soulseer/soulseer/internal/db"
)

// PlatformCounts are the reading figures of the admin dashboard (DASH-A).
type PlatformCounts struct {
	StartedSince  int // readings that began (were accepted and went live) since the moment asked about
	PendingClaims int // satisfaction claims waiting for an admin's decision
}

// Counts reports how many readings began since since and how many claims
// wait for a decision, in one query.
func (s *Service) Counts(ctx context.Context, since time.Time) (PlatformCounts, error) {
	var c PlatformCounts
	err := s.DB.Read().QueryRowContext(ctx, `SELECT
		(SELECT count(*) FROM readings WHERE activated_at >= $1),
		(SELECT count(*) FROM satisfaction_claims WHERE status = 'pending')`, db.Millis(since)).Scan(&c.StartedSince, &c.PendingClaims)
	if err != nil {
		return PlatformCounts{}, fmt.Errorf("reading: counts: %w", err)
	}
	return c, nil
}
