package schedule

import (
	"context"
	"fmt"
	"slices"

	"github.com/soulseer/soulseer/internal/db"
)

// MaxUpcoming bounds how many openings and how many stretches of time off
// a reader's availability page lists.
const MaxUpcoming = 50

// Upcoming lists a reader's hand-added openings that have not started and
// their time off that has not ended, earliest first, at most MaxUpcoming of
// each (SCH-1, SCH-2).
func (s *Service) Upcoming(ctx context.Context, readerID int64) ([]Opening, []TimeOff, error) {
	q := s.DB.Read()
	now := s.Clock.Now()
	openings, err := openingsIn(ctx, q, readerID, now, now.AddDate(0, 0, MaxDaysAhead+1))
	if err != nil {
		return nil, nil, err
	}
	slices.SortFunc(openings, func(a, b Opening) int { return a.StartsAt.Compare(b.StartsAt) })
	openings = openings[:min(len(openings), MaxUpcoming)]
	rows, err := q.QueryContext(ctx, `SELECT id, starts_at, ends_at FROM availability_time_off WHERE reader_id = $1 AND ends_at > $2
		ORDER BY starts_at, id LIMIT $3`, readerID, db.Millis(now), MaxUpcoming)
	if err != nil {
		return nil, nil, fmt.Errorf("schedule: upcoming time off: %w", err)
	}
	defer rows.Close()
	off := []TimeOff{}
	for rows.Next() {
		var t TimeOff
		var a, b int64
		if err := rows.Scan(&t.ID, &a, &b); err != nil {
			return nil, nil, fmt.Errorf("schedule: upcoming time off: %w", err)
		}
		t.From, t.To = db.Time(a), db.Time(b)
		off = append(off, t)
	}
	return openings, off, rows.Err()
}
