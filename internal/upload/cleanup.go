package upload

import (
	"context"
	"fmt"

	"github.com/riverqueue/river"

	"github.com/soulseer/soulseer/internal/db"
)

// cleanupBatch is how many orphans one run of DeleteOrphans removes.
const cleanupBatch = 500

// DeleteOrphans removes the uploads left unattached for OrphanAge — each
// row, unless attached meanwhile, and then its files — and returns how
// many it removed. A file is never removed while its row stands.
func (s *Service) DeleteOrphans(ctx context.Context) (int, error) {
	before := db.Millis(s.Clock.Now().Add(-OrphanAge))
	rows, err := s.DB.Read().QueryContext(ctx, fmt.Sprintf(`SELECT id, file_key, thumb_key FROM uploads WHERE attached_at IS NULL AND created_at < $1
		ORDER BY created_at LIMIT %d`, cleanupBatch), before)
	if err != nil {
		return 0, fmt.Errorf("upload: orphans: %w", err)
	}
	type orphan struct {
		id         int64
		key, thumb string
	}
	var orphans []orphan
	for rows.Next() {
		var o orphan
		if err := rows.Scan(&o.id, &o.key, &o.thumb); err != nil {
			rows.Close()
			return 0, fmt.Errorf("upload: orphans: %w", err)
		}
		orphans = append(orphans, o)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return 0, fmt.Errorf("upload: orphans: %w", err)
	}
	n := 0
	for _, o := range orphans {
		var gone int64
		err := s.DB.Tx(ctx, func(tx *db.Tx) error {
			res, err := tx.ExecContext(ctx, `DELETE FROM uploads WHERE id = $1 AND attached_at IS NULL`, o.id)
			if err != nil {
				return err
			}
			gone, err = res.RowsAffected()
			return err
		})
		if err != nil {
			return n, fmt.Errorf("upload: delete orphan: %w", err)
		}
		if gone == 0 {
			continue // attached meanwhile
		}
		for _, k := range []string{o.key, o.thumb} {
			if k == "" {
				continue
			}
			if err := s.Files.Delete(ctx, k); err != nil {
				return n, err
			}
		}
		n++
	}
	return n, nil
}

// CleanupArgs is the periodic job that removes orphaned uploads.
type CleanupArgs struct{}

// Kind names the job.
func (CleanupArgs) Kind() string { return "upload.cleanup" }

// CleanupWorker runs DeleteOrphans.
type CleanupWorker struct {
	river.WorkerDefaults[CleanupArgs]
	Uploads *Service
}

// Work removes a batch of orphans.
func (w *CleanupWorker) Work(ctx context.Context, _ *river.Job[CleanupArgs]) error {
	_, err := w.Uploads.DeleteOrphans(ctx)
	return err
}
