// Package job runs SoulSeer's background work on River, in-process, on both
// database engines: periodic jobs (cleanups, billing sweeps), retries and
// jobs enqueued in the same transaction as the change that needs them.
// Jobs may run more than once; every job that moves money is idempotent by a
// unique key written in the same transaction as the money.
//
// On PostgreSQL a job inserted in a transaction starts as soon as the
// transaction commits, on whichever instance is free: the insert sends
// River's NOTIFY inside the transaction, and each instance's queue LISTENs
// on a pgx connection of its own. Polling is only the fallback there.
package job

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"strconv"
	"time"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/riverdriver"
	"github.com/riverqueue/river/riverdriver/riverdatabasesql"
	"github.com/riverqueue/river/riverdriver/riversqlite"
	"github.com/riverqueue/river/rivermigrate"
	"github.com/riverqueue/river/rivertype"

	"github.com/soulseer/soulseer/internal/db"
	"github.com/soulseer/soulseer/internal/errreport"
)

// Queue collects workers and periodic jobs, then runs them.
type Queue struct {
	// Errors, when set before Init, hears of every job that fails or
	// panics (EXT-5); River retries it as usual.
	Errors *errreport.Reporter

	db       *db.DB
	log      *slog.Logger
	workers  *river.Workers
	periodic []*river.PeriodicJob
	client   *river.Client[*sql.Tx]
	poll     time.Duration
}

// New returns a queue on d. Register workers and periodic jobs before Start.
// poll is how often idle workers look for new jobs they were not told about
// (on SQLite every job; on PostgreSQL only ones whose notification was lost).
func New(d *db.DB, log *slog.Logger, poll time.Duration) *Queue {
	if poll <= 0 {
		poll = time.Second
	}
	return &Queue{db: d, log: log, workers: river.NewWorkers(), poll: poll}
}

// driver runs River on the app's database/sql pool, so jobs are inserted in
// the app's own *sql.Tx; on PostgreSQL it also listens for River's insert
// notifications on a pgx connection from the database's listen pool.
func driver(d *db.DB) riverdriver.Driver[*sql.Tx] {
	if d.Engine == db.SQLite {
		return riversqlite.New(d.Writer)
	}
	return riverdatabasesql.NewWithPgxListener(d.Writer, d.ListenPool())
}

// Migrate applies River's own schema migrations.
func Migrate(ctx context.Context, d *db.DB) error {
	m, err := rivermigrate.New(driver(d), &rivermigrate.Config{Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		return fmt.Errorf("job: migrator: %w", err)
	}
	if _, err := m.Migrate(ctx, rivermigrate.DirectionUp, nil); err != nil {
		return fmt.Errorf("job: migrate: %w", err)
	}
	return nil
}

// Register adds a worker for one kind of job.
func Register[T river.JobArgs](q *Queue, w river.Worker[T]) {
	river.AddWorker(q.workers, w)
}

// Every schedules args to be enqueued every interval (and once at start).
// Only one instance — River's elected leader — enqueues periodic jobs.
func (q *Queue) Every(interval time.Duration, args river.JobArgs) {
	q.periodic = append(q.periodic, river.NewPeriodicJob(
		river.PeriodicInterval(interval),
		func() (river.JobArgs, *river.InsertOpts) { return args, nil },
		&river.PeriodicJobOpts{ID: args.Kind(), RunOnStart: true},
	))
}

// Init builds the River client once every worker and periodic job is
// registered. After Init jobs can be inserted; Start begins working them.
func (q *Queue) Init() error {
	var failures river.ErrorHandler // nil: River only logs them
	if q.Errors != nil {
		failures = reportedFailures{q.Errors}
	}
	c, err := river.NewClient(driver(q.db), &river.Config{
		ErrorHandler:                failures,
		Queues:                      map[string]river.QueueConfig{river.QueueDefault: {MaxWorkers: 8}},
		Workers:                     q.workers,
		PeriodicJobs:                q.periodic,
		FetchPollInterval:           q.poll,
		FetchCooldown:               min(q.poll, 100*time.Millisecond),
		CompletedJobRetentionPeriod: time.Hour,
		Logger:                      q.log.With("component", "jobs"),
		JobTimeout:                  5 * time.Minute,
	})
	if err != nil {
		return fmt.Errorf("job: client: %w", err)
	}
	q.client = c
	return nil
}

// Start starts working jobs until Stop.
func (q *Queue) Start(ctx context.Context) error {
	if q.client == nil {
		return errors.New("job: Start before Init")
	}
	if err := q.client.Start(ctx); err != nil {
		return fmt.Errorf("job: start: %w", err)
	}
	return nil
}

// Stop waits for running jobs to finish (or ctx to expire).
func (q *Queue) Stop(ctx context.Context) error {
	if q.client == nil {
		return nil
	}
	err := q.client.Stop(ctx)
	if errors.Is(err, context.DeadlineExceeded) || errors.Is(err, context.Canceled) {
		return q.client.StopAndCancel(context.Background())
	}
	return err
}

// InsertTx enqueues args inside tx, so the job exists exactly when the
// transaction's change does.
func (q *Queue) InsertTx(ctx context.Context, tx *db.Tx, args river.JobArgs, opts *river.InsertOpts) error {
	if q.client == nil {
		return errors.New("job: insert before Init")
	}
	if _, err := q.client.InsertTx(ctx, tx.Tx, args, opts); err != nil {
		return fmt.Errorf("job: insert %s: %w", args.Kind(), err)
	}
	return nil
}

// reportedFailures tells the error reporter of a job's failed attempt,
// tagged with its kind, id and attempt; nothing of its arguments is sent.
// Cancelled jobs, snoozes and jobs stopped by shutdown are not failures and
// never reach it.
type reportedFailures struct {
	errs *errreport.Reporter
}

// HandleError reports a job that returned an error.
func (f reportedFailures) HandleError(_ context.Context, j *rivertype.JobRow, err error) *river.ErrorHandlerResult {
	f.errs.Error(err, jobTags(j))
	return nil
}

// HandlePanic reports a job that panicked, with River's trace of it.
func (f reportedFailures) HandlePanic(_ context.Context, j *rivertype.JobRow, p any, trace string) *river.ErrorHandlerResult {
	f.errs.PanicTrace(p, trace, jobTags(j))
	return nil
}

func jobTags(j *rivertype.JobRow) errreport.Tags {
	return errreport.Tags{"job_kind": j.Kind, "job_id": strconv.FormatInt(j.ID, 10), "job_attempt": strconv.Itoa(j.Attempt)}
}
