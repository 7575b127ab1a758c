package payout

import (
	"context"
	"time"

	"github.com/riverqueue/river"
)

// RunInterval is how often the periodic job pays the readers who are due
// and sends pending payouts again: at most this long after a period starts
// or a crash leaves a payout pending.
const RunInterval = 15 * time.Minute

// RunArgs is the periodic job that pays readers out on schedule (EXT-3).
type RunArgs struct{}

// Kind names the job.
func (RunArgs) Kind() string { return "payout.run" }

// RunWorker runs RunDue for the schedule.
type RunWorker struct {
	river.WorkerDefaults[RunArgs]
	Payouts *Service
}

// Work sends pending payouts again and pays everyone due.
func (w *RunWorker) Work(ctx context.Context, _ *river.Job[RunArgs]) error {
	rep, err := w.Payouts.RunDue(ctx, 0)
	if len(rep.Paid)+len(rep.Failed)+rep.Retried > 0 {
		w.Payouts.Log.Info("payouts run", "paid", len(rep.Paid), "failed", len(rep.Failed), "pending", len(rep.Pending), "retried", rep.Retried)
	}
	return err
}
