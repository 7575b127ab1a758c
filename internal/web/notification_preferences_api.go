package web

import (
	"fmt"
	"net/http"

	"github.com/soulseer/soulseer/internal/apperr"
	"github.com/soulseer/soulseer/internal/notify"
)

// preferencesResponse is every kind of notification with the caller's
// choice for it.
type preferencesResponse struct {
	Preferences []notify.Preference `json:"preferences"`
}

// apiPreferenceInput is one choice in PUT /api/v1/me/notification-preferences;
// both switches must be given.
type apiPreferenceInput struct {
	Kind  notify.Kind `json:"kind"`
	InApp *bool       `json:"in_app"`
	Email *bool       `json:"email"`
}

// apiPreferencesRequest is the body of PUT /api/v1/me/notification-preferences.
type apiPreferencesRequest struct {
	Preferences []apiPreferenceInput `json:"preferences"`
}

// apiNotificationPreferencesShow answers the caller's choice, per kind, of
// being told in the app and by email (MSG-2).
func (s *Server) apiNotificationPreferencesShow(w http.ResponseWriter, r *http.Request) error {
	ps, err := s.Notify.Preferences(r.Context(), userOf(r).ID)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, preferencesResponse{Preferences: ps})
}

// apiNotificationPreferencesUpdate saves the caller's choices for the kinds
// named (others keep theirs) and answers every choice after. A kind
// without both switches, or an unknown or repeated kind, saves nothing.
func (s *Server) apiNotificationPreferencesUpdate(w http.ResponseWriter, r *http.Request) error {
	var req apiPreferencesRequest
	if err := decodeJSON(w, r, &req); err != nil {
		return err
	}
	if req.Preferences == nil {
		return apperr.Validation(map[string]string{"preferences": "List the kinds to change."})
	}
	fields := map[string]string{}
	ps := make([]notify.Preference, 0, len(req.Preferences))
	for i, in := range req.Preferences {
		if in.InApp == nil {
			fields[fmt.Sprintf("preferences[%d].in_app", i)] = "Use true or false."
		}
		if in.Email == nil {
			fields[fmt.Sprintf("preferences[%d].email", i)] = "Use true or false."
		}
		if in.InApp != nil && in.Email != nil {
			ps = append(ps, notify.Preference{Kind: in.Kind, InApp: *in.InApp, Email: *in.Email})
		}
	}
	if len(fields) > 0 {
		return apperr.Validation(fields)
	}
	out, err := s.Notify.SetPreferences(r.Context(), userOf(r).ID, ps)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, preferencesResponse{Preferences: out})
}
