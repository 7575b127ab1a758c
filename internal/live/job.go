package live

import (
	"context"
	"time"

	"github.com/riverqueue/river"
)

// SweepInterval is how often streams whose reader has gone are ended: at
// most this long after the grace runs out.
const SweepInterval = 30 * time.Second

// SweepArgs is the periodic job that ends streams whose reader has gone.
type SweepArgs struct{}

// Kind names the job.
func (SweepArgs) Kind() string { return "live.sweep" }

// SweepWorker runs Sweep.
type SweepWorker struct {
	river.WorkerDefaults[SweepArgs]
	Live *Service
}

// Work ends the streams whose reader has been gone past the grace.
func (w *SweepWorker) Work(ctx context.Context, _ *river.Job[SweepArgs]) error {
	_, err := w.Live.Sweep(ctx)
	return err
}

// RenewInterval is how often due subscriptions are renewed: at most this
// long after a period ends.
const RenewInterval = 5 * time.Minute

// RenewArgs is the periodic job that renews due subscriptions (LIV-3).
type RenewArgs struct{}

// Kind names the job.
func (RenewArgs) Kind() string { return "live.renew" }

// RenewWorker runs Renew.
type RenewWorker struct {
	river.WorkerDefaults[RenewArgs]
	Live *Service
}

// Work renews or ends the subscriptions whose period has ended.
func (w *RenewWorker) Work(ctx context.Context, _ *river.Job[RenewArgs]) error {
	_, err := w.Live.Renew(ctx)
	return err
}
