package app

import (
	"context"
	"log/slog"

	"github.com/riverqueue/river"

	"github.com/soulseer/soulseer/internal/account"
	"github.com/soulseer/soulseer/internal/ratelimit"
)

// cleanupArgs is the hourly job that deletes expired login sessions, API
// tokens, password-reset tokens and rate-limit records.
type cleanupArgs struct{}

func (cleanupArgs) Kind() string { return "cleanup" }

type cleanupWorker struct {
	river.WorkerDefaults[cleanupArgs]
	accounts *account.Service
	limiter  *ratelimit.Limiter
	log      *slog.Logger
}

func (w *cleanupWorker) Work(ctx context.Context, _ *river.Job[cleanupArgs]) error {
	sessions, err := w.accounts.PurgeExpired(ctx)
	if err != nil {
		return err
	}
	hits, err := w.limiter.Purge(ctx)
	if err != nil {
		return err
	}
	w.log.Info("cleanup", "expired_sessions", sessions, "rate_limit_hits", hits)
	return nil
}
