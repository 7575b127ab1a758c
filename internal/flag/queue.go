package flag

import (
	"context"
	"fmt"
	"time"

	"github.com/soulseer/soulseer/internal/account"
	"github.com/soulseer/soulseer/internal/apperr"
	"github.com/soulseer/soulseer/internal/db"
)

// Flagged is an item in the moderation queue (COM-6): what it says, its
// pending flags, the earlier decisions on it, and how often its author's
// items were acted on before.
type Flagged struct {
	TargetType    string    `json:"target_type"`
	TargetID      int64     `json:"target_id"`
	Item          Item      `json:"item"`
	Gone          bool      `json:"gone"` // deleted since it was flagged
	FirstFlagged  time.Time `json:"first_flagged_at"`
	Flags         []Flag    `json:"flags"`
	Earlier       []Flag    `json:"earlier"`
	AuthorUpheld  int       `json:"author_upheld"`  // the author's other items acted on
	AuthorFlagged int       `json:"author_flagged"` // the author's other items flagged at all
}

// Queue lists the items with pending flags for admin, the longest waiting
// first (COM-6), up to a page.
func (s *Service) Queue(ctx context.Context, admin account.User) ([]Flagged, error) {
	if admin.Role != account.RoleAdmin {
		return nil, apperr.Errorf(apperr.Forbidden, "Only admins see the moderation queue.")
	}
	q := s.DB.Read()
	rows, err := q.QueryContext(ctx, fmt.Sprintf(`SELECT target_type, target_id, min(created_at) FROM flags WHERE status = 'pending'
		GROUP BY target_type, target_id ORDER BY min(created_at), target_type, target_id LIMIT %d`, queueLen))
	if err != nil {
		return nil, fmt.Errorf("flag: queue: %w", err)
	}
	out := []Flagged{}
	for rows.Next() {
		var f Flagged
		var first int64
		if err := rows.Scan(&f.TargetType, &f.TargetID, &first); err != nil {
			rows.Close()
			return nil, fmt.Errorf("flag: queue: %w", err)
		}
		f.FirstFlagged = db.Time(first)
		out = append(out, f)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("flag: queue: %w", err)
	}
	for i := range out {
		if err := s.fill(ctx, q, &out[i]); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// fill reads a queued item, its flags and its author's record.
func (s *Service) fill(ctx context.Context, q db.Querier, f *Flagged) error {
	item, err := s.Targets[f.TargetType].Item(ctx, q, f.TargetID)
	switch {
	case apperr.CodeOf(err) == apperr.NotFound:
		f.Gone = true
	case err != nil:
		return err
	default:
		f.Item = item
	}
	all, err := s.flags(ctx, q, f.TargetType, f.TargetID)
	if err != nil {
		return err
	}
	for _, fl := range all {
		if fl.Status == Pending {
			f.Flags = append(f.Flags, fl)
		} else {
			f.Earlier = append(f.Earlier, fl)
		}
	}
	if f.Item.AuthorID == 0 {
		return nil
	}
	err = q.QueryRowContext(ctx, `SELECT count(DISTINCT target_type || ':' || target_id),
		count(DISTINCT CASE WHEN status = 'resolved' THEN target_type || ':' || target_id END)
		FROM flags WHERE author_id = $1 AND NOT (target_type = $2 AND target_id = $3)`, f.Item.AuthorID, f.TargetType, f.TargetID).
		Scan(&f.AuthorFlagged, &f.AuthorUpheld)
	if err != nil {
		return fmt.Errorf("flag: author's record: %w", err)
	}
	return nil
}

// flags lists an item's flags, oldest first.
func (s *Service) flags(ctx context.Context, q db.Querier, targetType string, targetID int64) ([]Flag, error) {
	rows, err := q.QueryContext(ctx, `SELECT f.id, f.target_type, f.target_id, f.reporter_id, u.display_name, f.reason, f.note, f.status, f.action,
		f.created_at, f.decided_at FROM flags f JOIN users u ON u.id = f.reporter_id WHERE f.target_type = $1 AND f.target_id = $2 ORDER BY f.id`,
		targetType, targetID)
	if err != nil {
		return nil, fmt.Errorf("flag: flags: %w", err)
	}
	defer rows.Close()
	var out []Flag
	for rows.Next() {
		var f Flag
		var created int64
		var decided *int64
		if err := rows.Scan(&f.ID, &f.TargetType, &f.TargetID, &f.ReporterID, &f.Reporter, &f.Reason, &f.Note, &f.Status, &f.Action,
			&created, &decided); err != nil {
			return nil, fmt.Errorf("flag: flags: %w", err)
		}
		f.CreatedAt = db.Time(created)
		if decided != nil {
			t := db.Time(*decided)
			f.DecidedAt = &t
		}
		out = append(out, f)
	}
	return out, rows.Err()
}

// PendingCount is how many items wait in the queue, for the admin
// navigation.
func (s *Service) PendingCount(ctx context.Context) (int, error) {
	var n int
	if err := s.DB.Read().QueryRowContext(ctx, `SELECT count(DISTINCT target_type || ':' || target_id) FROM flags WHERE status = 'pending'`).Scan(&n); err != nil {
		return 0, fmt.Errorf("flag: pending: %w", err)
	}
	return n, nil
}
