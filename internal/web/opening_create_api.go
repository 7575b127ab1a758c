package web

import (
	"net/http"

	"github.com/soulseer/soulseer/internal/schedule"
)

// apiOpeningCreate adds an open time by hand outside the signed-in
// reader's weekly ranges (SCH-2).
func (s *Server) apiOpeningCreate(w http.ResponseWriter, r *http.Request) error {
	var in schedule.OpeningInput
	if err := decodeJSON(w, r, &in); err != nil {
		return err
	}
	o, err := s.Schedule.AddOpening(r.Context(), userOf(r), in)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusCreated, o)
}
