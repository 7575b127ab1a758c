package web

import (
	"net/http"

	"github.com/soulseer/soulseer/internal/notify"
)

// preferencesPage is the data of the notification preferences page.
type preferencesPage struct {
	Page
	Preferences []notify.Preference
}

// notificationPreferencesShow renders the person's choice, per kind of
// notification, of being told in the app and by email (MSG-2).
func (s *Server) notificationPreferencesShow(w http.ResponseWriter, r *http.Request) error {
	ps, err := s.Notify.Preferences(r.Context(), userOf(r).ID)
	if err != nil {
		return err
	}
	return s.render(w, http.StatusOK, "notification_preferences", preferencesPage{Page: s.page(w, r, "Notification settings"), Preferences: ps})
}

// notificationPreferencesUpdate saves the preferences form: a box ticked is
// on, a box left empty off, for every kind (in_app_<kind>, email_<kind>).
func (s *Server) notificationPreferencesUpdate(w http.ResponseWriter, r *http.Request) error {
	if err := parseForm(w, r); err != nil {
		return err
	}
	var ps []notify.Preference
	for _, k := range notify.Kinds() {
		ps = append(ps, notify.Preference{Kind: k.Kind,
			InApp: r.PostFormValue("in_app_"+string(k.Kind)) != "", Email: r.PostFormValue("email_"+string(k.Kind)) != ""})
	}
	if _, err := s.Notify.SetPreferences(r.Context(), userOf(r).ID, ps); err != nil {
		return err
	}
	s.setFlash(w, "Your notification settings are saved.")
	http.Redirect(w, r, "/notifications/preferences", http.StatusSeeOther)
	return nil
}
