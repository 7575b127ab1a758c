// Package privacy gives people their data (SEC-1): a copy of everything
// SoulSeer holds about them, built in the background as a ZIP of JSON
// files with a README, kept in the file store and offered through a link
// signed for them that works for seven days. tables.go is the one list of
// where a person's data lives, table by table, which the export reads and
// which erasing an account follows.
package privacy

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"strconv"
	"time"

	"github.com/riverqueue/river"

	"github.com/soulseer/soulseer/internal/account"
	"github.com/soulseer/soulseer/internal/apperr"
	"github.com/soulseer/soulseer/internal/clock"
	"github.com/soulseer/soulseer/internal/db"
	"github.com/soulseer/soulseer/internal/filestore"
	"github.com/soulseer/soulseer/internal/job"
	"github.com/soulseer/soulseer/internal/notify"
)

// The timing of exports.
const (
	// ExportTTL is how long a finished export can be downloaded; its file
	// is removed after.
	ExportTTL = 7 * 24 * time.Hour
	// ExportInterval is the least time between two exports a person asks
	// for; one that failed does not count.
	ExportInterval = 24 * time.Hour
	// CleanupInterval is how often expired exports are looked for.
	CleanupInterval = time.Hour
	// buildAttempts is how often the job building an export is tried
	// before the export is marked failed.
	buildAttempts = 3
)

// dateTime is how messages, the README and emails about exports write a
// time.
const dateTime = "2 Jan 2006 15:04 MST"

// State is where an export stands.
type State string

// The states of an export.
const (
	StateBuilding State = "building" // asked for; the job has not finished
	StateReady    State = "ready"    // downloadable until it expires
	StateFailed   State = "failed"   // the job gave up; the person may ask again
	StateExpired  State = "expired"  // past its seven days; its file is gone
)

// Export is one copy of a person's data.
type Export struct {
	ID        int64
	UserID    int64
	State     State
	Bytes     int64
	CreatedAt time.Time
	ReadyAt   time.Time // zero until ready
	ExpiresAt time.Time // zero until ready
	// DownloadURL is the local link to the file, signed for its owner,
	// as Status and the notification give it while the export is ready;
	// "" otherwise.
	DownloadURL string

	fileKey string // where the file is stored, while ready
}

// Status is where a person's exports stand: the latest one, and the
// earliest time they may ask for another.
type Status struct {
	Latest Export    // ID 0: they never asked for one
	NextAt time.Time // zero: they may ask now
}

// Service builds, lists and serves data exports.
type Service struct {
	DB     *db.DB
	Clock  clock.Clock
	Files  *filestore.Store
	Jobs   *job.Queue
	Notify *notify.Service
	Log    *slog.Logger
	// BaseURL makes the link in the email absolute.
	BaseURL string
}

// exportColumns are what scanExport reads.
const exportColumns = `id, user_id, state, bytes, file_key, created_at, ready_at, expires_at`

// scanExport reads an export; a ready one past its expiry reads as
// expired, whether or not the cleanup job has removed its file yet.
func (s *Service) scanExport(row db.Row) (Export, error) {
	var e Export
	var created int64
	var ready, expires sql.NullInt64
	if err := row.Scan(&e.ID, &e.UserID, &e.State, &e.Bytes, &e.fileKey, &created, &ready, &expires); err != nil {
		return Export{}, err
	}
	e.CreatedAt, e.ReadyAt, e.ExpiresAt = db.Time(created), db.NullTime(ready), db.NullTime(expires)
	if e.State == StateReady && !s.Clock.Now().Before(e.ExpiresAt) {
		e.State = StateExpired
	}
	return e, nil
}

// latest returns userID's newest export, counting failed ones or not.
func (s *Service) latest(ctx context.Context, q db.Querier, userID int64, failedToo bool) (Export, bool, error) {
	where := ""
	if !failedToo {
		where = " AND state <> 'failed'"
	}
	e, err := s.scanExport(q.QueryRowContext(ctx, `SELECT `+exportColumns+` FROM data_exports WHERE user_id = $1`+where+`
		ORDER BY id DESC LIMIT 1`, userID))
	if errors.Is(err, sql.ErrNoRows) {
		return Export{}, false, nil
	}
	if err != nil {
		return Export{}, false, fmt.Errorf("privacy: latest export: %w", err)
	}
	return e, true, nil
}

// nextAt is when the owner of counted (their latest export not failed)
// may ask for another: ExportInterval after it; zero when that has passed.
func (s *Service) nextAt(counted Export, ok bool) time.Time {
	if !ok {
		return time.Time{}
	}
	next := counted.CreatedAt.Add(ExportInterval)
	if !s.Clock.Now().Before(next) {
		return time.Time{}
	}
	return next
}

// Status tells u where their exports stand (SEC-1).
func (s *Service) Status(ctx context.Context, u account.User) (Status, error) {
	latest, _, err := s.latest(ctx, s.DB.Read(), u.ID, true)
	if err != nil {
		return Status{}, err
	}
	counted, ok, err := s.latest(ctx, s.DB.Read(), u.ID, false)
	if err != nil {
		return Status{}, err
	}
	if latest.State == StateReady {
		if latest.DownloadURL, err = s.downloadPath(ctx, latest); err != nil {
			return Status{}, err
		}
	}
	return Status{Latest: latest, NextAt: s.nextAt(counted, ok)}, nil
}

// Start asks for a copy of u's data (SEC-1): the export is recorded as
// building and the job that builds it enqueued in the same transaction.
// A person asks at most once per ExportInterval (an export that failed
// does not count); sooner is refused as RateLimited, saying when the next
// is possible. Two requests at once make one export.
func (s *Service) Start(ctx context.Context, u account.User) (Export, error) {
	var e Export
	err := s.DB.Tx(ctx, func(tx *db.Tx) error {
		if err := s.DB.LockKey(ctx, tx, "data-export:"+strconv.FormatInt(u.ID, 10)); err != nil {
			return err
		}
		counted, ok, err := s.latest(ctx, tx, u.ID, false)
		if err != nil {
			return err
		}
		if next := s.nextAt(counted, ok); !next.IsZero() {
			return &apperr.Error{Code: apperr.RateLimited, RetryAfter: max(time.Second, next.Sub(s.Clock.Now()).Round(time.Second)),
				Message: "You can export your data once a day. Your next export is possible from " + next.Format(dateTime) + "."}
		}
		now := s.Clock.Now()
		e = Export{UserID: u.ID, State: StateBuilding, CreatedAt: now.Truncate(time.Millisecond)}
		if err := tx.QueryRowContext(ctx, `INSERT INTO data_exports (user_id, state, created_at) VALUES ($1, $2, $3) RETURNING id`,
			u.ID, StateBuilding, db.Millis(now)).Scan(&e.ID); err != nil {
			return fmt.Errorf("privacy: start export: %w", err)
		}
		return s.Jobs.InsertTx(ctx, tx, BuildArgs{ExportID: e.ID}, &river.InsertOpts{MaxAttempts: buildAttempts})
	})
	return e, err
}
