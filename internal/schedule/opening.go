package schedule

import (
	"context"
	"fmt"
	"time"

	"github.com/soulseer/soulseer/internal/account"
	"github.com/soulseer/soulseer/internal/apperr"
	"github.com/soulseer/soulseer/internal/db"
)

// OpeningInput is a start time a reader adds by hand (SCH-2): an RFC 3339
// instant and a length in minutes.
type OpeningInput struct {
	StartsAt        string `json:"starts_at"`
	DurationMinutes int    `json:"duration_minutes"`
}

// Opening is a start time a reader added by hand.
type Opening struct {
	ID              int64     `json:"id"`
	StartsAt        time.Time `json:"starts_at"`
	EndsAt          time.Time `json:"ends_at"`
	DurationMinutes int       `json:"duration_minutes"`
}

// AddOpening adds a one-off open time outside the weekly ranges (SCH-2).
// It starts on a quarter hour, in the future and within the reader's
// booking window, and lasts one of Durations. Adding the same one again
// answers the one already there.
func (s *Service) AddOpening(ctx context.Context, u account.User, in OpeningInput) (Opening, error) {
	if u.Role != account.RoleReader {
		return Opening{}, apperr.Errorf(apperr.Forbidden, "Only readers add open times.")
	}
	fields := map[string]string{}
	start, err := time.Parse(time.RFC3339, in.StartsAt)
	now := s.Clock.Now()
	switch {
	case err != nil:
		fields["starts_at"] = "Use a date and time such as 2027-03-14T09:00:00+01:00."
	case start.Unix()%(Grid*60) != 0:
		fields["starts_at"] = "Start on a quarter hour."
	case !start.After(now):
		fields["starts_at"] = "Choose a time in the future."
	}
	if !offered(in.DurationMinutes) {
		fields["duration_minutes"] = "Choose 15, 30, 45 or 60 minutes."
	}
	if err := apperr.Validation(fields); err != nil {
		return Opening{}, err
	}
	o := Opening{StartsAt: start.UTC(), EndsAt: start.Add(time.Duration(in.DurationMinutes) * time.Minute).UTC(), DurationMinutes: in.DurationMinutes}
	err = s.DB.Tx(ctx, func(tx *db.Tx) error {
		p, err := s.loadOrDefault(ctx, tx, u.ID)
		if err != nil {
			return err
		}
		if start.After(now.AddDate(0, 0, p.daysAhead)) {
			return apperr.Validation(map[string]string{"starts_at": fmt.Sprintf("Choose a time within your booking window of %d days.", p.daysAhead)})
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO availability_openings (reader_id, starts_at, duration_minutes, created_at) VALUES ($1, $2, $3, $4)
			ON CONFLICT (reader_id, starts_at, duration_minutes) DO NOTHING`, u.ID, db.Millis(start), in.DurationMinutes, db.Millis(now)); err != nil {
			return fmt.Errorf("schedule: add opening: %w", err)
		}
		return tx.QueryRowContext(ctx, `SELECT id FROM availability_openings WHERE reader_id = $1 AND starts_at = $2 AND duration_minutes = $3`,
			u.ID, db.Millis(start), in.DurationMinutes).Scan(&o.ID)
	})
	if err != nil {
		return Opening{}, err
	}
	return o, nil
}

// openingsIn returns a reader's hand-added openings starting in [from, to).
func openingsIn(ctx context.Context, q db.Querier, readerID int64, from, to time.Time) ([]Opening, error) {
	rows, err := q.QueryContext(ctx, `SELECT id, starts_at, duration_minutes FROM availability_openings WHERE reader_id = $1 AND starts_at >= $2 AND starts_at < $3`,
		readerID, db.Millis(from), db.Millis(to))
	if err != nil {
		return nil, fmt.Errorf("schedule: openings: %w", err)
	}
	defer rows.Close()
	var out []Opening
	for rows.Next() {
		var o Opening
		var at int64
		if err := rows.Scan(&o.ID, &at, &o.DurationMinutes); err != nil {
			return nil, fmt.Errorf("schedule: openings: %w", err)
		}
		o.StartsAt = db.Time(at)
		o.EndsAt = o.StartsAt.Add(time.Duration(o.DurationMinutes) * time.Minute)
		out = append(out, o)
	}
	return out, rows.Err()
}
