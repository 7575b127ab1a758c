package job_test

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/riverqueue/river"

	"github.com/soulseer/soulseer/internal/db"
	"github.com/soulseer/soulseer/internal/db/dbtest"
	"github.com/soulseer/soulseer/internal/errreport"
	"github.com/soulseer/soulseer/internal/errreport/sentrytest"
	"github.com/soulseer/soulseer/internal/job"
)

// chargeArgs is a job that carries something private.
type chargeArgs struct {
	Card  string `json:"card"`
	Panic bool   `json:"panic"`
}

func (chargeArgs) Kind() string { return "test_charge" }

// chargeWorker fails as a payment gateway's 502 would, or panics.
type chargeWorker struct {
	river.WorkerDefaults[chargeArgs]
}

func (chargeWorker) Work(_ context.Context, j *river.Job[chargeArgs]) error {
	if j.Args.Panic {
		panic("charge: gateway answer was nil")
	}
	return errors.New("charge: the payment gateway answered 502 Bad Gateway")
}

// EXT-5: a job that fails, and one that panics, reach Sentry tagged with
// the job's kind, id and attempt, the panic with its trace — and nothing
// of the job's arguments.
func TestJobFailureReportedToSentry_EXT5(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		fake := sentrytest.Start(t)
		errs, err := errreport.New(fake.DSN, "ext5-test")
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { errs.Close(5 * time.Second) })
		if err := job.Migrate(ctx, d); err != nil {
			t.Fatal(err)
		}
		q := job.New(d, slog.New(slog.DiscardHandler), 20*time.Millisecond)
		q.Errors = errs
		job.Register(q, chargeWorker{})
		run(t, q)
		const card = "4242424242424242"
		for _, p := range []bool{false, true} {
			if err := d.Tx(ctx, func(tx *db.Tx) error {
				return q.InsertTx(ctx, tx, chargeArgs{Card: card, Panic: p}, &river.InsertOpts{MaxAttempts: 1})
			}); err != nil {
				t.Fatal(err)
			}
		}

		var failed, panicked sentrytest.Envelope
		fake.Next(t, func(e sentrytest.Envelope) bool {
			if e.Event.Tags["job_kind"] == "test_charge" && len(e.Event.Exception) > 0 {
				if e.Event.Exception[0].Type == "panic" {
					panicked = e
				} else {
					failed = e
				}
			}
			return failed.Raw != nil && panicked.Raw != nil
		})
		for _, e := range []sentrytest.Envelope{failed, panicked} {
			if id, err := strconv.ParseInt(e.Event.Tags["job_id"], 10, 64); err != nil || id <= 0 || e.Event.Tags["job_attempt"] != "1" {
				t.Errorf("tags = %v, want the job's id and attempt 1", e.Event.Tags)
			}
			if e.Event.Environment != "ext5-test" || e.Event.Release != errreport.Release() {
				t.Errorf("environment %q, release %q", e.Event.Environment, e.Event.Release)
			}
			if bytes.Contains(e.Raw, []byte(card)) {
				t.Errorf("the report holds the job's arguments:\n%s", e.Raw)
			}
		}
		ex := failed.Event.Exception
		if ex[len(ex)-1].Value != "charge: the payment gateway answered 502 Bad Gateway" || failed.Event.Level != "error" {
			t.Errorf("failure reported as %+v, level %q", ex, failed.Event.Level)
		}
		trace, _ := panicked.Event.Contexts["panic"]["trace"].(string)
		if panicked.Event.Exception[0].Value != "charge: gateway answer was nil" || !strings.Contains(trace, "chargeWorker") {
			t.Errorf("panic reported as %+v with trace %q", panicked.Event.Exception, trace)
		}
	})
}
