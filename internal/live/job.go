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
