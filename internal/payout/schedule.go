package payout

import (
	"fmt"
	"time"
)

// Schedule is how often readers are paid out (SOULSEER_PAYOUT_SCHEDULE):
// each period starts at midnight UTC — every day, every Monday, or the
// first of every month — and a reader is paid at most once per period.
type Schedule string

// The schedules.
const (
	Daily   Schedule = "daily"
	Weekly  Schedule = "weekly"
	Monthly Schedule = "monthly"
)

// ParseSchedule reads a configured schedule.
func ParseSchedule(s string) (Schedule, error) {
	switch sc := Schedule(s); sc {
	case Daily, Weekly, Monthly:
		return sc, nil
	}
	return "", fmt.Errorf("payout: unknown schedule %q (daily, weekly or monthly)", s)
}

// PeriodStart is the start of the period holding t.
func (s Schedule) PeriodStart(t time.Time) time.Time {
	t = t.UTC()
	day := time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC)
	switch s {
	case Weekly:
		return day.AddDate(0, 0, -((int(day.Weekday()) + 6) % 7)) // back to Monday
	case Monthly:
		return time.Date(t.Year(), t.Month(), 1, 0, 0, 0, 0, time.UTC)
	}
	return day
}

// NextStart is the start of the period after the one holding t.
func (s Schedule) NextStart(t time.Time) time.Time {
	start := s.PeriodStart(t)
	switch s {
	case Weekly:
		return start.AddDate(0, 0, 7)
	case Monthly:
		return start.AddDate(0, 1, 0)
	}
	return start.AddDate(0, 0, 1)
}
