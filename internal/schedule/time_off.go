package schedule

import (
	"context"
	"fmt"
	"time"

	"github.com/soulseer/soulseer/internal/account"
	"github.com/soulseer/soulseer/internal/apperr"
	"github.com/soulseer/soulseer/internal/db"
)

// MaxTimeOff bounds one stretch of time off.
const MaxTimeOff = 366 * 24 * time.Hour

// TimeOffInput is a stretch of time a reader takes off: RFC 3339 instants.
type TimeOffInput struct {
	From string `json:"from"`
	To   string `json:"to"`
}

// TimeOff is a stretch [From, To) in which no open time starts or runs.
type TimeOff struct {
	ID   int64     `json:"id"`
	From time.Time `json:"from"`
	To   time.Time `json:"to"`
}

// AddTimeOff takes [from, to) out of a reader's open times (SCH-2): it
// ends in the future, after it starts, and lasts at most MaxTimeOff.
func (s *Service) AddTimeOff(ctx context.Context, u account.User, in TimeOffInput) (TimeOff, error) {
	if u.Role != account.RoleReader {
		return TimeOff{}, apperr.Errorf(apperr.Forbidden, "Only readers take time off.")
	}
	fields := map[string]string{}
	from, errFrom := time.Parse(time.RFC3339, in.From)
	if errFrom != nil {
		fields["from"] = "Use a date and time such as 2027-03-14T09:00:00+01:00."
	}
	to, errTo := time.Parse(time.RFC3339, in.To)
	now := s.Clock.Now()
	switch {
	case errTo != nil:
		fields["to"] = "Use a date and time such as 2027-03-21T09:00:00+01:00."
	case !to.After(now):
		fields["to"] = "End in the future."
	case errFrom == nil && !to.After(from):
		fields["to"] = "End after the start."
	case errFrom == nil && to.Sub(from) > MaxTimeOff:
		fields["to"] = "Take at most a year off at a time."
	}
	if err := apperr.Validation(fields); err != nil {
		return TimeOff{}, err
	}
	t := TimeOff{From: from.UTC(), To: to.UTC()}
	err := s.DB.Tx(ctx, func(tx *db.Tx) error {
		return tx.QueryRowContext(ctx, `INSERT INTO availability_time_off (reader_id, starts_at, ends_at, created_at) VALUES ($1, $2, $3, $4) RETURNING id`,
			u.ID, db.Millis(from), db.Millis(to), db.Millis(now)).Scan(&t.ID)
	})
	if err != nil {
		return TimeOff{}, fmt.Errorf("schedule: add time off: %w", err)
	}
	return t, nil
}
