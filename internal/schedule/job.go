package schedule

import (
	"context"
	"time"

	"github.com/riverqueue/river"
)

// SweepInterval is how often bookings are settled and reminded: a reader's
// no-show is refunded, and a reminder sent, within half a minute.
const SweepInterval = 30 * time.Second

// SweepArgs is the periodic job that settles bookings and sends reminders.
type SweepArgs struct{}

// Kind names the job.
func (SweepArgs) Kind() string { return "schedule.sweep" }

// SweepWorker runs Settle, then Remind.
type SweepWorker struct {
	river.WorkerDefaults[SweepArgs]
	Schedule *Service
}

// Work settles what is due and sends due reminders once.
func (w *SweepWorker) Work(ctx context.Context, _ *river.Job[SweepArgs]) error {
	if _, err := w.Schedule.Settle(ctx); err != nil {
		return err
	}
	_, err := w.Schedule.Remind(ctx)
	return err
}
