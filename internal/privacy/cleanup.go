package privacy

import (
	"context"
	"fmt"

	"github.com/riverqueue/river"

	"github.com/soulseer/soulseer/internal/db"
)

// cleanupBatch is how many expired exports one run of RemoveExpired
// removes.
const cleanupBatch = 500

// RemoveExpired removes the files of exports past their ExpiresAt and
// marks them expired, returning how many it removed. The file goes first:
// a link to an export past its expiry is refused whether or not the file
// is still there, and a run that stops half-way is finished by the next.
func (s *Service) RemoveExpired(ctx context.Context) (int, error) {
	rows, err := s.DB.Read().QueryContext(ctx, fmt.Sprintf(`SELECT id, file_key FROM data_exports WHERE state = 'ready' AND expires_at <= $1
		ORDER BY expires_at LIMIT %d`, cleanupBatch), db.Millis(s.Clock.Now()))
	if err != nil {
		return 0, fmt.Errorf("privacy: expired exports: %w", err)
	}
	type expired struct {
		id  int64
		key string
	}
	list, err := db.Collect(rows, func(r db.Row) (expired, error) {
		var e expired
		err := r.Scan(&e.id, &e.key)
		return e, err
	})
	if err != nil {
		return 0, fmt.Errorf("privacy: expired exports: %w", err)
	}
	for i, e := range list {
		if err := s.Files.Delete(ctx, e.key); err != nil {
			return i, err
		}
		if _, err := s.DB.Writer.ExecContext(ctx, `UPDATE data_exports SET state = 'expired', file_key = '' WHERE id = $1 AND state = 'ready'`, e.id); err != nil {
			return i, fmt.Errorf("privacy: expire export %d: %w", e.id, err)
		}
	}
	return len(list), nil
}

// CleanupArgs is the periodic job that removes expired exports.
type CleanupArgs struct{}

// Kind names the job.
func (CleanupArgs) Kind() string { return "privacy.cleanup" }

// CleanupWorker runs RemoveExpired.
type CleanupWorker struct {
	river.WorkerDefaults[CleanupArgs]
	Privacy *Service
}

// Work removes a batch of expired exports.
func (w *CleanupWorker) Work(ctx context.Context, _ *river.Job[CleanupArgs]) error {
	_, err := w.Privacy.RemoveExpired(ctx)
	return err
}
