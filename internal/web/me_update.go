package web

import (
	"net/http"

	"github.com/soulseer/soulseer/internal/account"
)

// apiMeRequest is the body of PATCH /api/v1/me; a missing field keeps its
// value.
type apiMeRequest struct {
	DisplayName *string `json:"display_name"`
	TimeZone    *string `json:"time_zone"`
}

// apiMeUpdate changes the signed-in user's display name and time zone
// (ACC-9) and returns the user.
func (s *Server) apiMeUpdate(w http.ResponseWriter, r *http.Request) error {
	var req apiMeRequest
	if err := decodeJSON(w, r, &req); err != nil {
		return err
	}
	u, err := s.Accounts.UpdateSettings(r.Context(), userOf(r).ID, account.SettingsInput{DisplayName: req.DisplayName, TimeZone: req.TimeZone})
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, s.userJSON(r, u))
}
