package web

import (
	"net/http"

	"github.com/soulseer/soulseer/internal/account"
)

// accountUpdate saves the display name and time zone from the account page
// (ACC-9); a refused value is shown beside its field and nothing changes.
// A user who has not chosen a time zone may save their name without one.
func (s *Server) accountUpdate(w http.ResponseWriter, r *http.Request) error {
	if err := parseForm(w, r); err != nil {
		return err
	}
	name, tz := r.PostFormValue("display_name"), r.PostFormValue("time_zone")
	in := account.SettingsInput{DisplayName: &name}
	if tz != "" { // "Choose your time zone" keeps none chosen
		in.TimeZone = &tz
	}
	if _, err := s.Accounts.UpdateSettings(r.Context(), userOf(r).ID, in); err != nil {
		return s.accountFormError(w, r, "settings", err, func(p *accountPage) { p.DisplayName, p.TimeZone = name, tz })
	}
	s.setFlash(w, "Your settings are saved.")
	http.Redirect(w, r, "/account", http.StatusSeeOther)
	return nil
}

// accountAvatarUpdate stores a photo uploaded from the account page, for
// any user (ACC-9).
func (s *Server) accountAvatarUpdate(w http.ResponseWriter, r *http.Request) error {
	return s.avatarUpload(w, r, "/account")
}

// accountPasswordUpdate changes the password from the account page: the
// current one is required, and every other session is logged out (ACC-9).
func (s *Server) accountPasswordUpdate(w http.ResponseWriter, r *http.Request) error {
	if err := parseForm(w, r); err != nil {
		return err
	}
	in := account.PasswordChange{Current: r.PostFormValue("current_password"), New: r.PostFormValue("new_password")}
	if err := s.Accounts.ChangePassword(r.Context(), userOf(r).ID, in, currentSession(r)); err != nil {
		return s.accountFormError(w, r, "password", err, func(*accountPage) {})
	}
	s.setFlash(w, "Your password is changed, and every other session is logged out.")
	http.Redirect(w, r, "/account", http.StatusSeeOther)
	return nil
}
