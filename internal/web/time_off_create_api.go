package web

import (
	"net/http"

	"github.com/soulseer/soulseer/internal/schedule"
)

// apiTimeOffCreate takes a stretch of time out of the signed-in reader's
// open times (SCH-2).
func (s *Server) apiTimeOffCreate(w http.ResponseWriter, r *http.Request) error {
	var in schedule.TimeOffInput
	if err := decodeJSON(w, r, &in); err != nil {
		return err
	}
	t, err := s.Schedule.AddTimeOff(r.Context(), userOf(r), in)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusCreated, t)
}
