package web

import (
	"net/http"

	"github.com/soulseer/soulseer/internal/schedule"
)

// apiAvailabilityShow answers the signed-in reader's availability, or the
// defaults in their account's zone before they saved any (SCH-1).
func (s *Server) apiAvailabilityShow(w http.ResponseWriter, r *http.Request) error {
	a, err := s.Schedule.Get(r.Context(), userOf(r))
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, a)
}

// apiAvailabilityUpdate replaces the signed-in reader's availability
// (SCH-1); a refused change names each wrong field and changes nothing.
func (s *Server) apiAvailabilityUpdate(w http.ResponseWriter, r *http.Request) error {
	var in schedule.Availability
	if err := decodeJSON(w, r, &in); err != nil {
		return err
	}
	a, err := s.Schedule.Set(r.Context(), userOf(r), in)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, a)
}
