package web

import "net/http"

// twoFactorJSON is the caller's two-factor sign-in as the API shows it.
type twoFactorJSON struct {
	Enabled           bool `json:"enabled"`
	Pending           bool `json:"pending"`
	RecoveryCodesLeft int  `json:"recovery_codes_left"`
}

// apiTwoFactorShow answers whether the caller's two-factor sign-in is on,
// an enrolment waits for its first code, and how many recovery codes are
// left (ACC-7).
func (s *Server) apiTwoFactorShow(w http.ResponseWriter, r *http.Request) error {
	u := userOf(r)
	var out twoFactorJSON
	var err error
	if u.TwoFactor {
		out.Enabled = true
		out.RecoveryCodesLeft, err = s.Accounts.RecoveryCodesLeft(r.Context(), u.ID)
	} else {
		_, out.Pending, err = s.Accounts.PendingTwoFactor(r.Context(), u)
	}
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, out)
}

// apiTwoFactorEnroll gives the caller a new secret for an authenticator
// app: {secret, otpauth_url}; 409 when two-factor sign-in is on (ACC-7).
func (s *Server) apiTwoFactorEnroll(w http.ResponseWriter, r *http.Request) error {
	e, err := s.Accounts.BeginTwoFactor(r.Context(), userOf(r))
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, map[string]string{"secret": e.Secret, "otpauth_url": e.URL})
}

// twoFactorCodeRequest is the body of the routes that take a code.
type twoFactorCodeRequest struct {
	Code string `json:"code"`
}

// twoFactorCode reads {code} and counts the try (see tryCode).
func (s *Server) twoFactorCode(w http.ResponseWriter, r *http.Request) (string, error) {
	var req twoFactorCodeRequest
	if err := decodeJSON(w, r, &req); err != nil {
		return "", err
	}
	return req.Code, s.tryCode(r, req.Code)
}

// apiTwoFactorConfirm turns two-factor sign-in on with the first code from
// the app and answers the ten recovery codes, shown this once (ACC-7).
func (s *Server) apiTwoFactorConfirm(w http.ResponseWriter, r *http.Request) error {
	code, err := s.twoFactorCode(w, r)
	if err != nil {
		return err
	}
	codes, err := s.Accounts.ConfirmTwoFactor(r.Context(), userOf(r), code)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, map[string][]string{"recovery_codes": codes})
}

// apiTwoFactorRecoveryCodes replaces the caller's recovery codes after a
// code and answers the new ones (ACC-7).
func (s *Server) apiTwoFactorRecoveryCodes(w http.ResponseWriter, r *http.Request) error {
	code, err := s.twoFactorCode(w, r)
	if err != nil {
		return err
	}
	codes, err := s.Accounts.RegenerateRecoveryCodes(r.Context(), userOf(r), code)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, map[string][]string{"recovery_codes": codes})
}

// apiTwoFactorDisable turns two-factor sign-in off after a code; 204.
func (s *Server) apiTwoFactorDisable(w http.ResponseWriter, r *http.Request) error {
	code, err := s.twoFactorCode(w, r)
	if err != nil {
		return err
	}
	if err := s.Accounts.DisableTwoFactor(r.Context(), userOf(r), code); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}
