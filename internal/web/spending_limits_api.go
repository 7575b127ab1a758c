package web

import (
	"net/http"
	"time"

	"github.com/soulseer/soulseer/internal/limits"
)

// limitsJSON is a set of spending limits in the API; null means none.
type limitsJSON struct {
	PerReadingCents *int64     `json:"per_reading_cents"`
	DailyCents      *int64     `json:"daily_cents"`
	MonthlyCents    *int64     `json:"monthly_cents"`
	PausedUntil     *time.Time `json:"paused_until"`
}

func toLimitsJSON(l limits.Limits) limitsJSON {
	out := limitsJSON{PerReadingCents: l.PerReading, DailyCents: l.Daily, MonthlyCents: l.Monthly}
	if !l.PausedUntil.IsZero() {
		t := l.PausedUntil.UTC()
		out.PausedUntil = &t
	}
	return out
}

// spendingLimitsJSON is the caller's limits in force, those waiting 24
// hours, and what counts against them now.
type spendingLimitsJSON struct {
	limitsJSON
	Pending         *limitsJSON `json:"pending"`
	PendingAt       *time.Time  `json:"pending_at"`
	SpentTodayCents int64       `json:"spent_today_cents"`
	SpentMonthCents int64       `json:"spent_month_cents"`
}

// writeLimits answers the caller's spending limits.
func (s *Server) writeLimits(w http.ResponseWriter, r *http.Request, st limits.Settings) error {
	u := userOf(r)
	out := spendingLimitsJSON{limitsJSON: toLimitsJSON(st.Current)}
	if st.Pending != nil {
		p, at := toLimitsJSON(*st.Pending), st.PendingAt.UTC()
		out.Pending, out.PendingAt = &p, &at
	}
	var err error
	if out.SpentTodayCents, out.SpentMonthCents, err = s.Limits.Spent(r.Context(), u.ID, u.Location()); err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, out)
}

// apiSpendingLimitsShow answers the caller's spending limits (WAL-11).
func (s *Server) apiSpendingLimitsShow(w http.ResponseWriter, r *http.Request) error {
	st, err := s.Limits.Get(r.Context(), userOf(r).ID)
	if err != nil {
		return err
	}
	return s.writeLimits(w, r, st)
}

// capsRequest is the body of PUT /api/v1/me/spending-limits.
type capsRequest struct {
	PerReadingCents *int64 `json:"per_reading_cents"`
	DailyCents      *int64 `json:"daily_cents"`
	MonthlyCents    *int64 `json:"monthly_cents"`
}

// apiSpendingLimitsUpdate sets the caps (null: none): a lower cap applies
// at once, a higher one or none after 24 hours (WAL-11).
func (s *Server) apiSpendingLimitsUpdate(w http.ResponseWriter, r *http.Request) error {
	var req capsRequest
	if err := decodeJSON(w, r, &req); err != nil {
		return err
	}
	st, err := s.Limits.SetCaps(r.Context(), userOf(r).ID, req.PerReadingCents, req.DailyCents, req.MonthlyCents)
	if err != nil {
		return err
	}
	return s.writeLimits(w, r, st)
}

// pauseRequest is the body of POST /api/v1/me/spending-limits/pause.
type pauseRequest struct {
	Days int `json:"days"`
}

// apiSpendingPauseCreate starts a cooling-off pause of 1, 7 or 30 days.
func (s *Server) apiSpendingPauseCreate(w http.ResponseWriter, r *http.Request) error {
	var req pauseRequest
	if err := decodeJSON(w, r, &req); err != nil {
		return err
	}
	st, err := s.Limits.Pause(r.Context(), userOf(r).ID, req.Days)
	if err != nil {
		return err
	}
	return s.writeLimits(w, r, st)
}

// apiSpendingPauseDelete ends the pause 24 hours from now.
func (s *Server) apiSpendingPauseDelete(w http.ResponseWriter, r *http.Request) error {
	st, err := s.Limits.EndPause(r.Context(), userOf(r).ID)
	if err != nil {
		return err
	}
	return s.writeLimits(w, r, st)
}
