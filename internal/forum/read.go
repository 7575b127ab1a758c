package forum

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/soulseer/soulseer/internal/db"
)

// Unread is how a thread stands for one reader of the forum (COM-2): never
// opened, or opened with this many posts written since.
type Unread struct {
	Seen bool
	New  int
}

// MarkRead records that userID has read thread id up to post upTo; the
// mark only moves forward, so an older page read later changes nothing —
// and, read first, writes nothing (a thread page opened again costs no
// write transaction).
func (s *Service) MarkRead(ctx context.Context, userID, id, upTo int64) error {
	if userID == 0 || upTo == 0 {
		return nil
	}
	var last int64
	err := s.DB.Read().QueryRowContext(ctx, `SELECT last_post_id FROM forum_reads WHERE user_id = $1 AND thread_id = $2`, userID, id).Scan(&last)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return fmt.Errorf("forum: mark read: %w", err)
	}
	if last >= upTo {
		return nil
	}
	err = s.DB.Tx(ctx, func(tx *db.Tx) error {
		return markRead(ctx, tx, userID, id, upTo, db.Millis(s.Clock.Now()))
	})
	if err != nil {
		return fmt.Errorf("forum: mark read: %w", err)
	}
	return nil
}

func markRead(ctx context.Context, tx *db.Tx, userID, id, upTo, now int64) error {
	_, err := tx.ExecContext(ctx, `INSERT INTO forum_reads (user_id, thread_id, last_post_id, read_at) VALUES ($1, $2, $3, $4)
		ON CONFLICT (user_id, thread_id) DO UPDATE SET last_post_id = excluded.last_post_id, read_at = excluded.read_at
		WHERE forum_reads.last_post_id < excluded.last_post_id`, userID, id, upTo, now)
	return err
}

// Unread tells userID, for each of threads, whether they have opened it and
// how many posts (not deleted) came after what they last read.
func (s *Service) Unread(ctx context.Context, userID int64, threads []Thread) (map[int64]Unread, error) {
	out := make(map[int64]Unread, len(threads))
	if userID == 0 || len(threads) == 0 {
		return out, nil
	}
	ids := make([]string, len(threads))
	for i, t := range threads {
		ids[i] = strconv.FormatInt(t.ID, 10)
	}
	rows, err := s.DB.Read().QueryContext(ctx, `SELECT t.id, r.last_post_id, (SELECT count(*) FROM forum_posts p
		WHERE p.thread_id = t.id AND p.deleted_at IS NULL AND p.id > COALESCE(r.last_post_id, 0))
		FROM forum_threads t LEFT JOIN forum_reads r ON r.thread_id = t.id AND r.user_id = $1 WHERE t.id IN (`+strings.Join(ids, ", ")+`)`, userID)
	if err != nil {
		return nil, fmt.Errorf("forum: unread: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var last sql.NullInt64
		var n int
		if err := rows.Scan(&id, &last, &n); err != nil {
			return nil, fmt.Errorf("forum: unread: %w", err)
		}
		out[id] = Unread{Seen: last.Valid, New: n}
	}
	return out, rows.Err()
}
