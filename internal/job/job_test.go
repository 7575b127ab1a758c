package job_test

import (
	"context"
	"log/slog"
	"testing"
	"time"

	"github.com/riverqueue/river"

	"github.com/soulseer/soulseer/internal/db"
	"github.com/soulseer/soulseer/internal/db/dbtest"
	"github.com/soulseer/soulseer/internal/job"
)

type pingArgs struct {
	N int `json:"n"`
}

func (pingArgs) Kind() string { return "test_ping" }

// pingWorker reports each job it works.
type pingWorker struct {
	river.WorkerDefaults[pingArgs]
	ran chan int
}

func (w *pingWorker) Work(_ context.Context, j *river.Job[pingArgs]) error {
	w.ran <- j.Args.N
	return nil
}

// run initialises q and works its jobs until the test ends.
func run(t *testing.T, q *job.Queue) {
	t.Helper()
	if err := q.Init(); err != nil {
		t.Fatal(err)
	}
	if err := q.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		sctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		_ = q.Stop(sctx)
	})
}

// On PostgreSQL a job inserted in the app's transaction starts when the
// transaction commits, not at the next poll: with a one-minute poll it still
// runs well within the wait below.
func TestInsertedJobStartsWithoutPolling(t *testing.T) {
	t.Parallel()
	d := dbtest.Open(t, db.Postgres)
	ctx := context.Background()
	if err := job.Migrate(ctx, d); err != nil {
		t.Fatal(err)
	}
	q := job.New(d, slog.New(slog.DiscardHandler), time.Minute)
	w := &pingWorker{ran: make(chan int, 2)}
	job.Register(q, w)
	run(t, q)
	insert := func(n int) {
		t.Helper()
		if err := d.Tx(ctx, func(tx *db.Tx) error { return q.InsertTx(ctx, tx, pingArgs{N: n}, nil) }); err != nil {
			t.Fatal(err)
		}
	}
	ran := func(n int) {
		t.Helper()
		select {
		case got := <-w.ran:
			if got != n {
				t.Fatalf("job %d ran, want %d", got, n)
			}
		case <-time.After(30 * time.Second):
			t.Fatalf("job %d did not start within 30 s (the poll is 1 min): inserts do not wake the queue", n)
		}
	}
	// The first job may be found by the queue's first fetch after Start; once
	// it has run, that fetch is over and the next fetch is a minute away.
	insert(1)
	ran(1)
	// River sends at most one insert notification per queue per fetch
	// cooldown (100 ms); let it pass so the second insert sends its own.
	time.Sleep(time.Second)
	insert(2)
	ran(2)
}
