// Package errreport tells Sentry about panics and server errors (EXT-5),
// when a DSN is configured. An event says where the failure happened — a
// request's route, request id and user id, or a job's kind and id — and
// which release and environment it happened in, and nothing that a person
// typed or keeps secret: no request is attached, and every event passes
// through scrub before it leaves. Without a DSN no Reporter exists: a nil
// *Reporter reports nothing and costs nothing.
package errreport

import (
	"fmt"
	"maps"
	"runtime/debug"
	"slices"
	"time"

	"github.com/getsentry/sentry-go"
)

// Reporter sends error events to one Sentry project.
type Reporter struct {
	client *sentry.Client
}

// Tags say where a failure happened: "route", "request_id", "user_id",
// "job_kind" and the like. They must never hold what a person wrote or a
// credential.
type Tags map[string]string

// New returns a Reporter for the project of dsn, tagging every event with
// environment and the release of the running build (see Release).
func New(dsn, environment string) (*Reporter, error) {
	c, err := sentry.NewClient(sentry.ClientOptions{
		Dsn:         dsn,
		Environment: environment,
		// Set, so the SDK never derives one from the environment or git.
		Release:    Release(),
		BeforeSend: scrub,
		// Breadcrumbs would record what the process did before the
		// failure; none are kept.
		MaxBreadcrumbs: -1,
		Integrations:   withoutSourceLines,
	})
	if err != nil {
		return nil, fmt.Errorf("errreport: sentry DSN: %w", err)
	}
	return &Reporter{client: c}, nil
}

// Release names the running build: "soulseer@" followed by the module
// version when built as a tagged module, else the VCS revision (with
// "+dirty" for uncommitted changes), else "devel".
func Release() string {
	version := "devel"
	info, ok := debug.ReadBuildInfo()
	if !ok {
		return "soulseer@" + version
	}
	if v := info.Main.Version; v != "" && v != "(devel)" {
		return "soulseer@" + v
	}
	var dirty bool
	for _, s := range info.Settings {
		switch s.Key {
		case "vcs.revision":
			version = s.Value
		case "vcs.modified":
			dirty = s.Value == "true"
		}
	}
	if dirty && version != "devel" {
		version += "+dirty"
	}
	return "soulseer@" + version
}

// Panic reports the panic p. It must be called from the deferred function
// that recovered p, so the stack it records is the one that panicked.
func (r *Reporter) Panic(p any, tags Tags) {
	if r == nil {
		return
	}
	r.capture(panicEvent(p, sentry.NewStacktrace(), tags))
}

// PanicTrace reports the panic p recovered elsewhere, whose stack is given
// as text (as runtime/debug.Stack writes it).
func (r *Reporter) PanicTrace(p any, trace string, tags Tags) {
	if r == nil {
		return
	}
	e := panicEvent(p, nil, tags)
	e.Contexts = map[string]sentry.Context{"panic": {"trace": trace}}
	r.capture(e)
}

// Error reports err, a failure the server answered or retried on its own.
func (r *Reporter) Error(err error, tags Tags) {
	if r == nil {
		return
	}
	e := r.client.EventFromException(err, sentry.LevelError)
	e.Tags = maps.Clone(tags)
	r.capture(e)
}

// Close sends the events still queued, waiting at most timeout, and stops
// the reporter.
func (r *Reporter) Close(timeout time.Duration) {
	if r == nil {
		return
	}
	r.client.Flush(timeout)
	r.client.Close()
}

func (r *Reporter) capture(e *sentry.Event) {
	r.client.CaptureEvent(e, nil, nil)
}

// panicEvent is the event of a panic with value p.
func panicEvent(p any, stack *sentry.Stacktrace, tags Tags) *sentry.Event {
	e := sentry.NewEvent()
	e.Level = sentry.LevelFatal
	handled := true // recovered: the process goes on
	e.Exception = []sentry.Exception{{
		Type:       "panic",
		Value:      fmt.Sprint(p),
		Stacktrace: stack,
		Mechanism:  &sentry.Mechanism{Type: "recover", Handled: &handled},
	}}
	e.Tags = maps.Clone(tags)
	return e
}

// withoutSourceLines leaves out the integration that copies the source
// lines around each frame of a stack into events: a frame names its
// function, file and line, and no text of the files leaves the server.
func withoutSourceLines(in []sentry.Integration) []sentry.Integration {
	return slices.DeleteFunc(in, func(i sentry.Integration) bool { return i.Name() == "ContextifyFrames" })
}

// scrub is the last look at every event before it leaves: whatever added
// them, a request (its cookies, headers, body and query string),
// breadcrumbs and any user detail but the id are removed.
func scrub(e *sentry.Event, _ *sentry.EventHint) *sentry.Event {
	e.Request = nil
	e.Breadcrumbs = nil
	e.User = sentry.User{ID: e.User.ID}
	return e
}
