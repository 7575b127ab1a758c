package web

import (
	"net/http"
	"time"

	"github.com/soulseer/soulseer/internal/reader"
)

// applicationResponse is an application to become a reader in API
// responses, seen by its applicant and admins.
type applicationResponse struct {
	ID              int64                    `json:"id"`
	UserID          int64                    `json:"user_id"`
	Email           string                   `json:"email"`
	DisplayName     string                   `json:"display_name"`
	Specialties     []string                 `json:"specialties"`
	YearsExperience int                      `json:"years_experience"`
	Languages       []string                 `json:"languages"`
	Bio             string                   `json:"bio"`
	SampleReading   string                   `json:"sample_reading"`
	KYCConsentAt    time.Time                `json:"kyc_consent_at"`
	Status          reader.ApplicationStatus `json:"status"`
	Reason          string                   `json:"reason"` // why it was rejected
	CreatedAt       time.Time                `json:"created_at"`
	DecidedAt       *time.Time               `json:"decided_at"` // null while pending
}

func applicationJSON(a reader.Application) applicationResponse {
	out := applicationResponse{ID: a.ID, UserID: a.UserID, Email: a.Email, DisplayName: a.DisplayName, Specialties: a.Specialties,
		YearsExperience: a.YearsExperience, Languages: a.Languages, Bio: a.Bio, SampleReading: a.SampleReading,
		KYCConsentAt: a.KYCConsentAt, Status: a.Status, Reason: a.Reason, CreatedAt: a.CreatedAt}
	if !a.DecidedAt.IsZero() {
		out.DecidedAt = &a.DecidedAt
	}
	return out
}

// apiApplicationRequest is the body of POST /api/v1/me/reader-application.
type apiApplicationRequest struct {
	DisplayName     string   `json:"display_name"`
	Specialties     []string `json:"specialties"`
	YearsExperience int      `json:"years_experience"`
	Languages       []string `json:"languages"`
	Bio             string   `json:"bio"`
	SampleReading   string   `json:"sample_reading"`
	KYCConsent      bool     `json:"kyc_consent"`
}

// apiApplicationCreate sends the client's application to become a reader
// to the admins' verification queue (ACC-8).
func (s *Server) apiApplicationCreate(w http.ResponseWriter, r *http.Request) error {
	var req apiApplicationRequest
	if err := decodeJSON(w, r, &req); err != nil {
		return err
	}
	a, err := s.Readers.Apply(r.Context(), userOf(r), reader.ApplicationInput{DisplayName: req.DisplayName, Specialties: req.Specialties,
		YearsExperience: req.YearsExperience, Languages: req.Languages, Bio: req.Bio, SampleReading: req.SampleReading, KYCConsent: req.KYCConsent})
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusCreated, applicationJSON(a))
}

// apiApplicationShow returns the user's latest application, with its
// decision and reason (ACC-8); 404 when they never applied.
func (s *Server) apiApplicationShow(w http.ResponseWriter, r *http.Request) error {
	a, err := s.Readers.MyApplication(r.Context(), userOf(r).ID)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, applicationJSON(a))
}

// apiAdminApplicationsList is the verification queue: applications with
// the status asked for (pending by default, "all" for every one), waiting
// ones oldest first (ACC-8).
func (s *Server) apiAdminApplicationsList(w http.ResponseWriter, r *http.Request) error {
	status := reader.ApplicationStatus(r.URL.Query().Get("status"))
	switch status {
	case "":
		status = reader.ApplicationPending
	case "all":
		status = ""
	}
	list, err := s.Readers.Applications(r.Context(), status)
	if err != nil {
		return err
	}
	out := make([]applicationResponse, 0, len(list))
	for _, a := range list {
		out = append(out, applicationJSON(a))
	}
	return writeJSON(w, http.StatusOK, map[string]any{"applications": out})
}

// apiAdminApplicationApprove makes the applicant a verified reader;
// audited, the applicant told (ACC-8).
func (s *Server) apiAdminApplicationApprove(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	a, err := s.Readers.ApproveApplication(r.Context(), userOf(r), id)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, applicationJSON(a))
}

// apiApplicationRejectRequest is the body of POST
// /api/v1/admin/applications/{id}/reject.
type apiApplicationRejectRequest struct {
	Reason string `json:"reason"`
}

// apiAdminApplicationReject turns an application down with the reason the
// applicant is told; audited (ACC-8).
func (s *Server) apiAdminApplicationReject(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	var req apiApplicationRejectRequest
	if err := decodeJSON(w, r, &req); err != nil {
		return err
	}
	a, err := s.Readers.RejectApplication(r.Context(), userOf(r), id, req.Reason)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, applicationJSON(a))
}
